from datetime import date

import pytest

from tests import factories
from tracker.affiliations.summary import Tie, YearFigures, active_by, before_after, by_year
from tracker.extensions import db

THIS_YEAR = date.today().year


def test_by_year_counts_added_ended_and_active_at_each_years_end():
    ties = [Tie(1955, None, "US", "420000", "sister"), Tie(1957, 1959, "US", "270008", "sister"),
            Tie(1957, None, "CN", "270008", "friendship")]
    rows = by_year(ties, 1960)
    assert rows == [
        {"year": 1955, "added": 1, "ended": 0, "active": 1},
        {"year": 1956, "added": 0, "ended": 0, "active": 1},
        {"year": 1957, "added": 2, "ended": 0, "active": 3},
        {"year": 1958, "added": 0, "ended": 0, "active": 3},
        {"year": 1959, "added": 0, "ended": 1, "active": 2},  # ended during 1959: not active at its end
        {"year": 1960, "added": 0, "ended": 0, "active": 2},
    ]
    assert by_year([], 1960) == []


def test_active_by_counts_only_ties_not_ended_the_most_first():
    ties = [Tie(1955, None, "US", "420000", "sister"), Tie(1957, 2018, "US", "270008", "sister"),
            Tie(1973, None, "CN", "270008", "friendship"), Tie(1974, None, "CN", "280003", "friendship")]
    assert active_by(ties, "country") == [("CN", 2), ("US", 1)]
    assert active_by(ties, "prefecture") == [("270008", 1), ("280003", 1), ("420000", 1)]


def test_before_after_indexes_to_the_year_before_the_tie_within_three_years_each_side():
    figures = [YearFigures(year, partner, others) for year, partner, others in [
        (2005, 50, 500), (2006, 80, 800), (2007, 100, 1000), (2008, 120, 1000), (2009, 150, 900),
        (2011, 300, 1200), (2012, 999, 999)]]
    body = before_after(2008, figures)
    assert body == {"base_year": 2007, "rows": [
        {"year": 2005, "partner": 50, "others": 500, "partner_index": 50.0, "others_index": 50.0},
        {"year": 2006, "partner": 80, "others": 800, "partner_index": 80.0, "others_index": 80.0},
        {"year": 2007, "partner": 100, "others": 1000, "partner_index": 100.0, "others_index": 100.0},
        {"year": 2008, "partner": 120, "others": 1000, "partner_index": 120.0, "others_index": 100.0},
        {"year": 2009, "partner": 150, "others": 900, "partner_index": 150.0, "others_index": 90.0},
        {"year": 2011, "partner": 300, "others": 1200, "partner_index": 300.0, "others_index": 120.0},
    ]}


def test_before_after_indexes_are_null_where_the_base_is_zero_or_missing():
    zero = before_after(2008, [YearFigures(2007, 0, 10), YearFigures(2008, 5, 20)])
    assert [(r["partner_index"], r["others_index"]) for r in zero["rows"]] == [(None, 100.0), (None, 200.0)]
    missing = before_after(2008, [YearFigures(2008, 5, 20)])
    assert missing == {"base_year": 2007, "rows": [
        {"year": 2008, "partner": 5, "others": 20, "partner_index": None, "others_index": None}]}


@pytest.fixture
def network(app):
    """Two ties of Osaka city (one ended), one of Osaka prefecture, one of Nagasaki city; a reader's token."""
    osaka_city, nagasaki = factories.area("271004"), factories.area("422011")
    ties = {
        "sf": factories.affiliation(osaka_city, "San Francisco", established_year=1957, ended_year=2018),
        "shanghai": factories.affiliation(osaka_city, "Shanghai", country="CN", established_year=1974,
                                          kind="friendship", fields="culture;economy"),
        "shanghai_pref": factories.affiliation(factories.area("270008"), "Shanghai", country="CN",
                                               established_year=1980, kind="friendship", partner_level="state"),
        "saint_paul": factories.affiliation(nagasaki, "Saint Paul", established_year=1955),
    }
    from tracker.auth.services import issue_token

    token = issue_token(factories.user("viewer"))
    db.session.commit()
    return ties, {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def test_the_summary_by_year_runs_from_the_first_tie_to_this_year(client, network):
    _ties, headers = network
    rows = client.get("/api/v1/affiliations/summary?group_by=year", headers=headers).get_json()["rows"]
    assert rows[0] == {"year": 1955, "added": 1, "ended": 0, "active": 1}
    assert rows[-1]["year"] == THIS_YEAR and len(rows) == THIS_YEAR - 1955 + 1
    by = {row["year"]: row for row in rows}
    assert by[1957]["active"] == 2 and by[1980]["active"] == 4
    assert by[2018] == {"year": 2018, "added": 0, "ended": 1, "active": 3}
    assert rows[-1]["active"] == 3


def test_the_summary_by_country_and_by_prefecture_counts_active_ties(client, network):
    _ties, headers = network
    countries = client.get("/api/v1/affiliations/summary?group_by=country", headers=headers).get_json()
    assert countries == {"rows": [{"country": "CN", "active": 2}, {"country": "US", "active": 1}]}
    prefectures = client.get("/api/v1/affiliations/summary?group_by=prefecture", headers=headers).get_json()
    # Osaka city's tie counts for Osaka prefecture beside the prefecture's own
    assert prefectures == {"rows": [{"prefecture": "270008", "active": 2}, {"prefecture": "420000", "active": 1}]}
    osaka = client.get("/api/v1/affiliations/summary?group_by=country&area=270008", headers=headers).get_json()
    assert osaka == {"rows": [{"country": "CN", "active": 2}]}


def test_the_list_filters_by_area_subareas_country_and_active(client, network):
    ties, headers = network

    def partners(query):
        response = client.get(f"/api/v1/affiliations?{query}", headers=headers)
        return [(row["area_code"], row["partner_name_en"]) for row in response.get_json()["rows"]]

    assert partners("") == [("422011", "Saint Paul"), ("271004", "San Francisco"), ("271004", "Shanghai"),
                            ("270008", "Shanghai")]
    assert partners("area=270008") == [("270008", "Shanghai")]
    assert partners("area=270008&include_subareas=1") == [("271004", "San Francisco"), ("271004", "Shanghai"),
                                                          ("270008", "Shanghai")]
    assert partners("area=27000&include_subareas=1&country=cn&active=1") == [("271004", "Shanghai"),
                                                                            ("270008", "Shanghai")]
    assert partners("field=culture") == [("271004", "Shanghai")]
    assert partners("field=economy&area=271004") == [("271004", "Shanghai")]
    assert partners("field=education") == []
    row = client.get("/api/v1/affiliations?area=271004", headers=headers).get_json()["rows"][0]
    assert row == {"id": ties["sf"].id, "area_code": "271004", "area_name": "Test City 271004",
                   "partner_name": "San Francisco", "partner_name_en": "San Francisco", "country": "US",
                   "partner_level": "city", "kind": "sister", "established": "1957", "ended": "2018", "fields": [],
                   "note": ""}


@pytest.mark.parametrize("url, status, field", [
    ("/api/v1/affiliations?area=999999", 422, "area"),
    ("/api/v1/affiliations?country=QQ", 422, "country"),
    ("/api/v1/affiliations?active=maybe", 422, "active"),
    ("/api/v1/affiliations?field=cult_re", 422, "field"),
    ("/api/v1/affiliations/summary?group_by=month", 422, "group_by"),
    ("/api/v1/affiliations/summary", 422, "group_by"),
    ("/api/v1/affiliations/2147483647/visitors", 404, None),
])
def test_a_bad_request_is_answered_with_the_errors_body(client, network, url, status, field):
    _ties, headers = network
    response = client.get(url, headers=headers)
    assert response.status_code == status
    [error] = response.get_json()["errors"]
    assert error["field"] == field and error["message"]


def test_an_exporter_is_refused_with_403_and_the_errors_body(client, network):
    from tracker.auth.services import issue_token

    token = issue_token(factories.user("exporter"))
    db.session.commit()
    response = client.get("/api/v1/affiliations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and response.get_json()["errors"][0]["field"] is None


def test_the_visitors_endpoint_compares_the_partners_country_with_every_other_market(client, network):
    ties, headers = network
    osaka_city = factories.area("271004")
    for year, cn, others in [(1970, 10, 100), (1972, 0, 50), (1973, 20, 200), (1974, 30, 180), (1977, 60, 300),
                             (1978, 99, 99)]:
        if cn:
            factories.visitor_count(osaka_city, year, 4, "CN", cn)
        factories.visitor_count(osaka_city, year, 4, "KR", others // 2)
        factories.visitor_count(osaka_city, year, 5, "US", others - others // 2)
    db.session.commit()
    body = client.get(f"/api/v1/affiliations/{ties['shanghai'].id}/visitors", headers=headers).get_json()
    assert body["base_year"] == 1973 and body["source"] == "own"
    assert body["rows"] == [
        {"year": 1972, "partner": 0, "others": 50, "partner_index": 0.0, "others_index": 25.0},
        {"year": 1973, "partner": 20, "others": 200, "partner_index": 100.0, "others_index": 100.0},
        {"year": 1974, "partner": 30, "others": 180, "partner_index": 150.0, "others_index": 90.0},
        {"year": 1977, "partner": 60, "others": 300, "partner_index": 300.0, "others_index": 150.0},
    ]
    # a prefecture without figures of its own is read from the sum of its municipalities
    from tracker.rollups import rebuild_visitor_rollups

    rebuild_visitor_rollups()
    db.session.commit()
    prefecture = client.get(f"/api/v1/affiliations/{ties['shanghai_pref'].id}/visitors", headers=headers).get_json()
    assert prefecture["source"] == "subareas" and prefecture["base_year"] == 1979
    assert [row["year"] for row in prefecture["rows"]] == [1977, 1978]
    assert [row["partner_index"] for row in prefecture["rows"]] == [None, None]  # no figures for 1979

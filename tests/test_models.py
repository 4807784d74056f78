import csv
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tracker.areas.codes import InvalidAreaCode, check_digit, normalise_area_code, prefecture_code_of
from tracker.extensions import db
from tracker.models import Area, Market, VisitorCount
from tracker.reference import PREFECTURES


def test_migrations_produce_exactly_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_a_new_database_holds_the_nation_the_prefectures_and_the_markets(app):
    levels = db.session.execute(select(Area.level, db.func.count()).group_by(Area.level)).all()
    assert dict(levels) == {"nation": 1, "prefecture": 47}
    codes = set(db.session.scalars(select(Market.code)))
    assert len(codes) == 250
    assert {"CN", "KR", "TW", "HK", "US", "ZZ"} <= codes
    assert not codes & {"EU", "UN", "XK", "QO"}
    tokyo = db.session.scalar(select(Area).where(Area.code == "130001"))
    assert (tokyo.name_ja, tokyo.name_en, tokyo.parent.code) == ("東京都", "Tokyo", "JP")


def test_negative_visitor_counts_are_rejected_by_the_database(app):
    tokyo = factories.area("130001")
    with pytest.raises(IntegrityError):
        db.session.execute(insert(VisitorCount).values(area_id=tokyo.id, year=2015, month=4,
                                                       market_id=factories.market("CN").id, visitors=-1,
                                                       status="final", version=1))
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(VisitorCount.id))) == 0


def test_a_second_count_for_the_same_area_month_and_market_is_rejected_by_the_database(app):
    tokyo = factories.area("130001")
    factories.visitor_count(tokyo, 2015, 4, "CN", 100)
    with pytest.raises(IntegrityError):
        factories.visitor_count(tokyo, 2015, 4, "CN", 200)
    db.session.rollback()


@pytest.mark.parametrize("column, value", [("month", 13), ("status", "guess")])
def test_out_of_range_months_and_unknown_statuses_are_rejected_by_the_database(app, column, value):
    values = {"area_id": factories.area("130001").id, "year": 2015, "month": 4,
              "market_id": factories.market("CN").id, "visitors": 1, "status": "final", "version": 1}
    with pytest.raises(IntegrityError):
        db.session.execute(insert(VisitorCount).values(**{**values, column: value}))
    db.session.rollback()


def test_export_values_and_hs_codes_are_checked_by_the_database(app):
    item = factories.product(factories.new_exporter())
    with pytest.raises(IntegrityError):
        factories.export_sale(item, 2020, 1, "US", -5)
    db.session.rollback()
    with pytest.raises(IntegrityError):
        factories.product(factories.new_exporter(), hs_code="990000")
    db.session.rollback()


def test_the_check_digit_holds_for_every_code_of_the_official_list(shared_data):
    with open(os.path.join(shared_data, "jp_municipalities_lgcode.csv"), encoding="utf-8") as file:
        codes = [row["lg_code"] for row in csv.DictReader(file)]
    assert len(codes) == 1919
    for code in codes:
        assert check_digit(code[:5]) == int(code[5]), code
        assert normalise_area_code(code) == code
        assert normalise_area_code(code[:5]) == code


def test_the_shipped_prefectures_match_the_official_list(shared_data):
    """English names add "Prefecture" to the list's for each 府 and 県 (Kyoto Prefecture beside Kyoto City)."""
    with open(os.path.join(shared_data, "jp_prefectures.csv"), encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    suffix = {r["lg_code"]: " Prefecture" if r["name_ja"][-1] in "府県" else "" for r in rows}
    official = [(r["lg_code"], r["name_ja"], r["name_kana"], r["name_en"] + suffix[r["lg_code"]]) for r in rows]
    assert list(PREFECTURES) == official
    english = {code: name_en for code, _ja, _kana, name_en in PREFECTURES}
    assert (english["260002"], english["270008"], english["130001"], english["010006"]) == (
        "Kyoto Prefecture", "Osaka Prefecture", "Tokyo", "Hokkaido")


def test_known_codes_and_their_check_digits():
    assert check_digit("13101") == 6
    assert normalise_area_code(" jp ") == "JP"
    assert normalise_area_code("01100") == "011002"
    assert prefecture_code_of("131016") == "130001"
    for bad in ("131017", "1310", "13101a", "１３１０１６", ""):
        with pytest.raises(InvalidAreaCode):
            normalise_area_code(bad)

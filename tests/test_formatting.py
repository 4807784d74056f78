"""Numbers, yen, months and fiscal years in Japanese and English: pure functions, no request needed."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone

import pytest
from babel import Locale
from flask import current_app
from flask_babel import refresh

from tests import factories
from tracker import formatting


@contextmanager
def request_in(language: str):
    """A request with that Accept-Language; Flask-Babel caches the locale in the shared app context's `g`."""
    with current_app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        yield
    refresh()


@pytest.mark.parametrize(("value", "ja", "en"), [
    (19_737_409, "19,737,409", "19,737,409"),
    (0, "0", "0"),
    (-1_234, "-1,234", "-1,234"),
    (1234.5, "1,234.5", "1,234.5"),
])
def test_numbers_are_grouped_in_both_languages(value, ja, en):
    assert formatting.number(value, "ja") == ja
    assert formatting.number(value, "en") == en
    assert formatting.number(None, "ja") == ""


@pytest.mark.parametrize(("value", "ja", "en"), [
    (19_737_409, "1,973万人", "19.7 M"),
    (18_000_000, "1,800万人", "18.0 M"),
    (28_691_073, "2,869万人", "28.7 M"),
    (123_456_789, "1億2,345万人", "123 M"),
    (300_000_000, "3億人", "300 M"),
    (1_234_567_890_123, "12,345億6,789万人", "1.23 T"),
    (10_000, "1万人", "10,000"),
    (9_999, "9,999人", "9,999"),
    (999_999, "99万人", "999,999"),
    (1_250_000_000, "12億5,000万人", "1.25 B"),
    (0, "0人", "0"),
])
def test_card_counts_use_man_and_oku_in_japanese_and_m_in_english(value, ja, en):
    assert formatting.compact_count(value, "ja") == ja
    assert formatting.compact_count(value, "en") == en
    assert formatting.card_figure(value, "visitors", "ja") == ja
    assert formatting.card_figure(value, "visitors", "en") == en


@pytest.mark.parametrize(("value", "en"), [(3_970_000, "3.97 M"), (24_039_700, "24.0 M"), (166_667, "0.167 M"),
                                          (60_000_000, "60.0 M")])
def test_english_card_figures_keep_three_significant_figures_in_the_cards_unit(value, en):
    assert formatting.card_figure(value, "visitors", "en", scale=18_000_000) == en


def test_every_figure_of_a_card_is_written_in_the_unit_of_its_target():
    assert formatting.card_figure(22_000_990, "export_value", "ja", scale=264_010_000) == "2,200万円"
    assert formatting.card_figure(264_010_000, "export_value", "ja", scale=264_010_000) == "2億6,401万円"
    assert formatting.card_figure(22_000_990, "export_value", "en", scale=264_010_000) == "¥22.0 M"
    assert formatting.card_figure(166_667, "visitors", "ja", scale=18_000_000) == "16万人"
    assert formatting.card_figure(5_000_000, "export_value", "ja", scale=50_000_000) == "¥5,000,000"


def test_man_oku_rounds_down_as_headline_statistics_do():
    assert formatting.man_oku(19_737_409) == "1,973万"
    assert formatting.man_oku(19_999_999) == "1,999万"
    assert formatting.man_oku(100_000_000) == "1億"
    assert formatting.man_oku(-19_737_409) == "-1,973万"


@pytest.mark.parametrize(("value", "full", "ja_card", "en_card"), [
    (745_100_000_000, "¥745,100,000,000", "7,451億円", "¥745 B"),
    (1_234_567_890, "¥1,234,567,890", "12億3,456万円", "¥1.23 B"),
    (100_000_000, "¥100,000,000", "1億円", "¥100 M"),
    (99_999_999, "¥99,999,999", "¥99,999,999", "¥100 M"),
    (2_500_000, "¥2,500,000", "¥2,500,000", "¥2.50 M"),
    (980, "¥980", "¥980", "¥980"),
    (-3_000, "-¥3,000", "-¥3,000", "-¥3,000"),
])
def test_yen_is_grouped_with_the_yen_sign_and_large_sums_in_oku_yen(value, full, ja_card, en_card):
    assert formatting.yen(value, "ja") == full
    assert formatting.yen(value, "en") == full
    assert formatting.amount(value, "export_value", "ja") == full
    assert formatting.compact_yen(value, "ja") == ja_card
    assert formatting.compact_yen(value, "en") == en_card
    assert formatting.card_figure(value, "export_value", "ja") == ja_card


def test_amount_writes_visitor_counts_in_full():
    assert formatting.amount(19_737_409.4, "visitors", "ja") == "19,737,409"
    assert formatting.amount(None, "visitors", "en") == ""


@pytest.mark.parametrize(("year", "month", "ja", "en"), [
    (2015, 4, "2015年4月", "April 2015"),
    (2016, 3, "2016年3月", "March 2016"),
    (2024, 12, "2024年12月", "December 2024"),
])
def test_months_are_written_as_each_language_does(year, month, ja, en):
    assert formatting.month_label(year, month, "ja") == ja
    assert formatting.month_label(year, month, "en") == en
    assert formatting.month_text(f"{year}-{month:02d}", "ja") == ja
    assert formatting.month_text(f"{year}-{month:02d}", Locale("en")) == en
    assert formatting.month_abbreviation(month, "ja") == ja[5:]
    assert formatting.month_abbreviation(month, "en") == en[:3]


def test_fiscal_years_are_nendo_in_japanese_and_fy_in_english():
    assert formatting.year_label(2015, "fiscal", "ja") == "2015年度"
    assert formatting.year_label(2015, "fiscal", "en") == "FY2015"


def test_calendar_years_carry_nen_in_japanese_only():
    assert formatting.year_label(2015, "calendar", "ja") == "2015年"
    assert formatting.year_label(2015, locale="en") == "2015"


def test_chart_months_follow_japanese_statistics_or_english_abbreviations():
    assert formatting.chart_month_format("ja") == "%Y年%-m月"
    assert formatting.chart_month_format("en") == "%b %Y"


def test_percentages_keep_one_decimal_by_default():
    assert formatting.percent(0.23659, locale="ja") == "23.7%"
    assert formatting.percent(0.23659, locale="en") == "23.7%"
    assert formatting.percent(1.5, digits=0, locale="en") == "150%"


@pytest.mark.parametrize(("code", "ja", "en"), [
    ("KR", "韓国", "South Korea"),
    ("CN", "中国", "China"),
    ("TW", "台湾", "Taiwan"),
    ("HK", "香港", "Hong Kong"),
    ("MO", "マカオ", "Macao"),
    ("US", "アメリカ合衆国", "United States"),
    ("TH", "タイ", "Thailand"),
])
def test_markets_are_named_by_babel_in_the_active_language(code, ja, en):
    assert formatting.market_name(code, "ja") == ja
    assert formatting.market_name(code, "en") == en


def test_the_unspecified_market_is_translated(app):
    with request_in("ja"):
        assert formatting.market_name("ZZ") == "不明"
    with request_in("en"):
        assert formatting.market_name("ZZ") == "Unspecified"


def test_areas_are_kanji_in_japanese_and_romaji_in_english(app):
    tokyo = factories.area("130001")
    assert formatting.area_name(tokyo, "ja") == "東京都"
    assert formatting.area_name(tokyo, "en") == "Tokyo"
    assert formatting.area_name(None, "en") == ""


def test_without_a_locale_the_request_language_decides(app):
    with request_in("en-US,en;q=0.9"):
        assert formatting.card_figure(19_737_409, "visitors") == "19.7 M"
        assert formatting.month_label(2015, 4) == "April 2015"
        assert formatting.year_label(2015, "fiscal") == "FY2015"
    with request_in("ja-JP,ja;q=0.9"):
        assert formatting.card_figure(19_737_409, "visitors") == "1,973万人"
        assert formatting.month_label(2015, 4) == "2015年4月"
        assert formatting.year_label(2015, "fiscal") == "2015年度"


def test_labels_of_roles_and_statuses_follow_the_request_language(app):
    with request_in("ja"):
        statuses = ("estimate", "provisional", "final")
        assert [formatting.status_label(s) for s in statuses] == ["推計値", "暫定値", "確定値"]
        assert formatting.role_label("officer") == "観光担当者"
        assert formatting.metric_label("visitors") == "訪日外国人旅行者数"
    with request_in("en"):
        assert formatting.status_label("provisional") == "Provisional"
        assert formatting.progress_label("on_track") == "On track"


def test_only_japanese_writes_large_figures_in_man_and_oku():
    assert formatting.uses_man_oku("ja") and not formatting.uses_man_oku("en")


@pytest.mark.parametrize(("stored", "shown"), [
    (datetime(2024, 5, 1, 3, 39), "2024-05-01 12:39 JST"),  # SQLite hands back naive UTC
    (datetime(2024, 5, 1, 3, 39, tzinfo=UTC), "2024-05-01 12:39 JST"),
    (datetime(2024, 12, 31, 15, 0, tzinfo=UTC), "2025-01-01 00:00 JST"),  # the next day in Japan
    (datetime(2024, 5, 1, 21, 39, tzinfo=timezone(timedelta(hours=18))), "2024-05-01 12:39 JST"),
])
def test_stored_times_are_shown_in_japan_time_with_the_zone(stored, shown):
    assert formatting.moment(stored) == shown
    assert formatting.moment(stored, seconds=True) == shown.replace(" JST", ":00 JST")


def test_no_time_is_shown_as_nothing():
    assert formatting.moment(None) == ""


def test_an_english_card_past_a_thousand_of_its_unit_groups_the_figure():
    # the demo's export card: ¥1.05 billion projected beside its target of ¥970 million
    assert formatting.compact_yen(1_050_328_000, "en", scale=970_000_000) == "¥1,050 M"
    assert formatting.compact_yen(0, "en", scale=970_000_000) == "¥0 M"  # one unit on a card, nothing included
    assert formatting.compact_count(3_970_000, "en", scale=60_000_000) == "3.97 M"

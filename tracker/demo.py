"""Demo data: a national series shaped like JNTO's published totals, synthetic local figures, exporters.

Everything runs to the last complete month before the day the demo is loaded, so that pages that open on the
current year show figures. Past the last published year the national months are generated (status 推計値
estimate, and named as demo figures where the demo is described), never presented as JNTO's."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select

from tracker.affiliations.demo_data import load_demo_affiliations
from tracker.areas.codes import prefecture_code_of
from tracker.areas.queries import area_by_code
from tracker.auth.services import create_user, find_user
from tracker.extensions import db
from tracker.home.queries import DEMO_BATCH_KIND, demo_loaded
from tracker.models import Area, Exporter, ExportSale, ImportBatch, Market, Product, Target, VisitorCount
from tracker.periods import Month
from tracker.reference import NATION_CODE, municipality_english_name
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

# JNTO's published annual totals of foreign visitor arrivals (訪日外客数), persons.
JNTO_ANNUAL_ARRIVALS = {
    2003: 5_211_725, 2004: 6_137_905, 2005: 6_727_926, 2006: 7_334_077, 2007: 8_346_969, 2008: 8_350_835,
    2009: 6_789_658, 2010: 8_611_175, 2011: 6_218_752, 2012: 8_358_105, 2013: 10_363_904, 2014: 13_413_467,
    2015: 19_737_409, 2016: 24_039_700, 2017: 28_691_073, 2018: 31_191_856, 2019: 31_882_049, 2020: 4_115_828,
    2021: 245_862, 2022: 3_832_110, 2023: 25_066_350, 2024: 36_869_900,
}
LAST_FINAL_YEAR = 2023
# After the last published year the demo's national series grows by this much a year: a demo figure, not JNTO's.
DEMO_GROWTH = 1.10
DEMO_STATUS = "estimate"

# A seasonal pattern (cherry blossoms, summer, autumn leaves), not JNTO's monthly figures.
SEASONAL_WEIGHTS = (7.2, 7.4, 8.6, 9.4, 7.9, 7.6, 9.0, 9.1, 7.8, 8.7, 8.5, 8.8)
MARKET_SHARES = {"KR": 24, "CN": 22, "TW": 18, "HK": 7, "US": 6, "TH": 4, "AU": 2, "ZZ": 17}

# The 20 designated cities and a few smaller destinations: (code, kanji, kana, English).
DEMO_MUNICIPALITIES = (
    ("011002", "札幌市", "さっぽろし", "Sapporo"), ("041009", "仙台市", "せんだいし", "Sendai"),
    ("111007", "さいたま市", "さいたまし", "Saitama (city)"), ("121002", "千葉市", "ちばし", "Chiba (city)"),
    ("141003", "横浜市", "よこはまし", "Yokohama"), ("141305", "川崎市", "かわさきし", "Kawasaki, Kanagawa"),
    ("141500", "相模原市", "さがみはらし", "Sagamihara"), ("151009", "新潟市", "にいがたし", "Niigata (city)"),
    ("221007", "静岡市", "しずおかし", "Shizuoka (city)"), ("221309", "浜松市", "はままつし", "Hamamatsu"),
    ("231002", "名古屋市", "なごやし", "Nagoya"), ("261009", "京都市", "きょうとし", "Kyoto"),
    ("271004", "大阪市", "おおさかし", "Osaka"), ("271403", "堺市", "さかいし", "Sakai"),
    ("281000", "神戸市", "こうべし", "Kobe"), ("331007", "岡山市", "おかやまし", "Okayama"),
    ("341002", "広島市", "ひろしまし", "Hiroshima"), ("401005", "北九州市", "きたきゅうしゅうし", "Kitakyushu"),
    ("401307", "福岡市", "ふくおかし", "Fukuoka"), ("431001", "熊本市", "くまもとし", "Kumamoto"),
    ("212032", "高山市", "たかやまし", "Takayama, Gifu"), ("143821", "箱根町", "はこねまち", "Hakone"),
    ("013951", "ニセコ町", "にせこちょう", "Niseko, Hokkaido"), ("216046", "白川村", "しらかわむら", "Shirakawa, Gifu"),
    ("172014", "金沢市", "かなざわし", "Kanazawa"), ("442020", "別府市", "べっぷし", "Beppu"),
)
# Their offices as the code list places them (office_lat, office_lng): the maps' points.
DEMO_OFFICES = {
    "011002": (43.06208877, 141.3543886), "041009": (38.26805556, 140.8697222),
    "111007": (35.86166667, 139.6452778), "121002": (35.60722222, 140.1063889),
    "141003": (35.450195, 139.634903), "141305": (35.53083333, 139.7030556),
    "141500": (35.57138889, 139.3733333), "151009": (37.91611111, 139.0363889),
    "221007": (34.97555556, 138.3827778), "221309": (34.71083333, 137.7266667),
    "231002": (35.18166667, 136.9063889), "261009": (35.01166667, 135.7683333),
    "271004": (34.69388889, 135.5022222), "271403": (34.57333333, 135.4830556),
    "281000": (34.69, 135.1955556), "331007": (34.655, 133.9197222),
    "341002": (34.38527778, 132.4552778), "401005": (33.88333333, 130.8752778),
    "401307": (33.59, 130.4016667), "431001": (32.80333333, 130.7080556),
    "212032": (36.14583333, 137.2522222), "143821": (35.2325, 139.1069444),
    "013951": (42.80480026, 140.6875294), "216046": (36.27083333, 136.8986111),
    "172014": (36.56083333, 136.6566667), "442020": (33.28472222, 131.4911111),
}
LOCAL_FIRST_YEAR = 2015
LOCAL_MARKETS = ("KR", "CN", "TW", "HK", "US", "TH", "AU", "GB", "FR", "ZZ")

# (exporter, area code, contact, the exporter's English name, [(kanji, English, HS code, unit, destinations)])
DEMO_EXPORTERS = (
    ("越後酒造協同組合", "151009", "export@echigo-sake.example.jp", "Echigo Sake Brewers' Cooperative",
     [("純米吟醸 越後の雪", "Junmai Ginjo Echigo no Yuki", "220600", "l", ("US", "HK", "TW", "SG"))]),
    ("飛騨和牛輸出協議会", "212032", "info@hida-wagyu.example.jp", "Hida Wagyu Export Council",
     [("飛騨牛 ロース", "Hida wagyu loin", "020130", "kg", ("HK", "TH", "SG", "US"))]),
    ("福岡八女茶販売", "401307", "sales@yame-tea.example.jp", "Yame Tea Sales, Fukuoka",
     [("八女煎茶", "Yame sencha green tea", "090210", "kg", ("US", "DE", "FR", "TW")),
      ("抹茶", "Matcha", "090210", "kg", ("US", "GB", "AU"))]),
    ("金沢漆器工房", "172014", "studio@kanazawa-urushi.example.jp", "Kanazawa Lacquerware Studio",
     [("輪島塗 椀", "Lacquered bowl", "441900", "pcs", ("FR", "US", "CN"))]),
)
EXPORT_FIRST_YEAR = 2019
# The targets leadership knows (観光立国推進基本計画 and the 2016 vision): one met, one missed, one running.
# (name, English name, baseline year, target year, target value)
NATIONAL_TARGETS = (
    ("訪日外国人旅行者 1,800万人 (2016)", "18 million visitors by 2016", 2011, 2016, 18_000_000),
    ("訪日外国人旅行者 4,000万人 (2020)", "40 million visitors by 2020", 2015, 2020, 40_000_000),
    ("訪日外国人旅行者 6,000万人 (2030)", "60 million visitors by 2030", 2015, 2030, 60_000_000),
)
# The demo exporters' sales abroad, doubled from their first year by 2030.
EXPORT_TARGET = ("デモ輸出事業者の輸出額 2倍 (2030)", "Demo exporters' sales abroad doubled by 2030", 2030, 2)

DEMO_ACCOUNTS = (
    ("admin", "admin@example.jp", "管理者 Admin", "demo-admin-2016", (), None),
    ("officer", "officer@example.jp", "札幌市観光課 Officer", "demo-officer-2016", ("011002",), None),
    ("exporter", "exporter@example.jp", "越後酒造 Exporter", "demo-exporter-2016", (), "越後酒造協同組合"),
    ("viewer", "viewer@example.jp", "幹部 Viewer", "demo-viewer-2016", (), None),
)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


@dataclass
class DemoResult:
    loaded: bool
    accounts: list[DemoAccount] = field(default_factory=list)


def split_by_weights(total: int, weights) -> list[int]:
    """Split an integer total in proportion to weights, exactly (largest remainder)."""
    weights = list(weights)
    scale = sum(weights)
    shares = [total * w / scale for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def national_arrivals(last: Month) -> dict[int, int]:
    """Annual national arrivals up to `last`'s year: JNTO's published totals, then demo totals grown by DEMO_GROWTH
    a year (whole years: the months after `last` are left out when they are split)."""
    totals = dict(JNTO_ANNUAL_ARRIVALS)
    for year in range(max(JNTO_ANNUAL_ARRIVALS) + 1, last.year + 1):
        totals[year] = round(totals[year - 1] * DEMO_GROWTH)
    return totals


def last_demo_month(today: date) -> Month:
    """The last complete month before `today`: where every demo series ends."""
    return Month.of(today).shift(-1)


def load_demo(today: date) -> DemoResult:
    """Load everything once, up to the last complete month before `today`; a second call only makes sure the demo
    accounts exist."""
    loaded = not demo_loaded()
    if loaded:
        last = last_demo_month(today)
        markets = {m.code: m.id for m in db.session.scalars(select(Market))}
        areas = _demo_areas()
        arrivals = national_arrivals(last)
        _national_series(areas[NATION_CODE], markets, arrivals, last)
        _local_series(areas, markets, arrivals, last)
        rebuild_visitor_rollups()
        export_first_year = _exports(areas, markets, last)
        rebuild_export_rollups()
        load_demo_affiliations(areas)
        for name, name_en, baseline_year, target_year, target_value in NATIONAL_TARGETS:
            db.session.add(Target(name=name, name_en=name_en, metric="visitors", area_id=areas[NATION_CODE].id,
                                  baseline_year=baseline_year, baseline_value=arrivals[baseline_year],
                                  target_year=target_year, target_value=target_value, year_basis="calendar"))
        name, name_en, target_year, factor = EXPORT_TARGET
        db.session.add(Target(name=name, name_en=name_en, metric="export_value", area_id=areas[NATION_CODE].id,
                              baseline_year=EXPORT_FIRST_YEAR, baseline_value=export_first_year,
                              target_year=target_year, target_value=export_first_year * factor,
                              year_basis="calendar", include_subareas=True))
        generated = f"{max(JNTO_ANNUAL_ARRIVALS) + 1}-01..{last}"
        db.session.add(ImportBatch(kind=DEMO_BATCH_KIND, sha256="0" * 64, outcome="applied",
                                   filename=f"tracker demo (national months {generated} generated)"))
    accounts = [_account(*spec) for spec in DEMO_ACCOUNTS]
    db.session.flush()
    return DemoResult(loaded=loaded, accounts=accounts)


def _demo_areas() -> dict[str, Area]:
    areas = {a.code: a for a in db.session.scalars(select(Area).where(Area.level != "municipality"))}
    for code, name_ja, kana, name_en in DEMO_MUNICIPALITIES:
        area = area_by_code(code)
        if area is None:
            area = Area(code=code, level="municipality", parent=areas[prefecture_code_of(code)],
                        name_ja=name_ja, name_kana=kana, name_en=municipality_english_name(name_ja, name_en))
            area.office_lat, area.office_lng = DEMO_OFFICES[code]
            db.session.add(area)
        areas[code] = area
    db.session.flush()
    return areas


def _status(year: int) -> str:
    """Final up to JNTO's last final year, provisional for its published ones after, estimate for the demo's own."""
    if year <= LAST_FINAL_YEAR:
        return "final"
    return "provisional" if year in JNTO_ANNUAL_ARRIVALS else DEMO_STATUS


def _months(year: int, last: Month) -> int:
    """How many months of `year` the demo holds."""
    return 12 if year < last.year else last.month


def _national_series(nation: Area, markets: dict[str, int], arrivals: dict[int, int], last: Month) -> None:
    rows = []
    for year, total in arrivals.items():
        status = _status(year)
        for month, monthly in enumerate(split_by_weights(total, SEASONAL_WEIGHTS)[:_months(year, last)], start=1):
            for code, visitors in zip(MARKET_SHARES, split_by_weights(monthly, MARKET_SHARES.values()), strict=True):
                rows.append({"area_id": nation.id, "year": year, "month": month, "market_id": markets[code],
                             "visitors": visitors, "status": status, "version": 1})
    db.session.execute(insert(VisitorCount), rows)


def _local_series(areas: dict[str, Area], markets: dict[str, int], arrivals: dict[int, int], last: Month) -> None:
    rng = random.Random(2016)
    rows = []
    for code, *_names in DEMO_MUNICIPALITIES:
        base = rng.randint(2_000, 60_000)
        for year in range(LOCAL_FIRST_YEAR, last.year + 1):
            # Follow the national shape, so that 2020-2022 collapse as they did.
            scale = arrivals[year] / arrivals[LOCAL_FIRST_YEAR]
            for month, weight in enumerate(SEASONAL_WEIGHTS[:_months(year, last)], start=1):
                for market in LOCAL_MARKETS:
                    visitors = int(base * scale * weight / 8.3 * rng.uniform(0.02, 0.25))
                    rows.append({"area_id": areas[code].id, "year": year, "month": month,
                                 "market_id": markets[market], "visitors": visitors,
                                 "status": _status(year), "version": 1})
    db.session.execute(insert(VisitorCount), rows)


def _exports(areas: dict[str, Area], markets: dict[str, int], last: Month) -> int:
    """The demo exporters' sales to `last`; returns their value in the first year, the export target's baseline."""
    rng = random.Random(18)
    rows = []
    for name, area_code, contact, name_en, products in DEMO_EXPORTERS:
        exporter = Exporter(name=name, name_en=name_en, area=areas[area_code], contact=contact)
        db.session.add(exporter)
        for name_ja, name_en, hs_code, unit, destinations in products:
            product = Product(exporter=exporter, name_ja=name_ja, name_en=name_en, hs_code=hs_code,
                              origin_area=areas[area_code], default_unit=unit)
            db.session.add(product)
            db.session.flush()
            for year in range(EXPORT_FIRST_YEAR, last.year + 1):
                growth = 1.12 ** (year - EXPORT_FIRST_YEAR)
                for month in range(1, _months(year, last) + 1):
                    for destination in destinations:
                        quantity = round(rng.uniform(50, 800) * growth)
                        rows.append({"exporter_id": exporter.id, "product_id": product.id, "year": year,
                                     "month": month, "destination_id": markets[destination],
                                     "value_jpy": quantity * rng.randint(1_500, 9_000), "quantity": quantity,
                                     "unit": unit, "version": 1})
    db.session.execute(insert(ExportSale), rows)
    return sum(row["value_jpy"] for row in rows if row["year"] == EXPORT_FIRST_YEAR)


def _account(role, email, name, password, area_codes, exporter_name) -> DemoAccount:
    if find_user(email) is None:
        create_user(email, password, role, name=name, area_codes=area_codes, exporter_name=exporter_name)
    return DemoAccount(role=role, email=email, password=password)

"""Real, well-known affiliations for the demo, with the year each was established and where that is published.

Only facts that are widely published are listed: the year (never a day), the partner and the kind as the Japanese
side names it (ties with Chinese cities and provinces are 友好都市, friendship ties). Fields of exchange are left
empty rather than guessed. Sources, as noted per line:

* WIKI: Wikipedia, "List of twin towns and sister cities in Japan" (and the partner cities' own articles);
* OFFICIAL: the Japanese city's or prefecture's official website, page on its sister and friendship cities.
"""

from __future__ import annotations

from sqlalchemy import insert

from tracker.areas.codes import prefecture_code_of
from tracker.extensions import db
from tracker.models import Affiliation, Area

WIKI = "Wikipedia: List of twin towns and sister cities in Japan"
OFFICIAL = "the Japanese side's official website (sister and friendship cities)"

# The one municipality of the list that the demo's visitor figures do not already create: (code, kanji, kana, English)
EXTRA_MUNICIPALITIES = (("422011", "長崎市", "ながさきし", "Nagasaki (city)"),)

# (area code, partner as the Japanese side writes it, partner in English, country, level, kind, year, ended, source)
DEMO_AFFILIATIONS = (
    # Japan's first sister-city tie, and the first between Japan and the United States
    ("422011", "セントポール市", "Saint Paul", "US", "city", "sister", 1955, None, f"{WIKI}; {OFFICIAL}"),
    ("271004", "サンフランシスコ市", "San Francisco", "US", "city", "sister", 1957, 2018,
     f"{WIKI} (ended by Osaka in 2018)"),
    ("271004", "シカゴ市", "Chicago", "US", "city", "sister", 1973, None, WIKI),
    ("271004", "上海市", "Shanghai", "CN", "city", "friendship", 1974, None, f"{WIKI}; {OFFICIAL}"),
    ("271004", "メルボルン市", "Melbourne", "AU", "city", "sister", 1978, None, WIKI),
    ("141003", "サンディエゴ市", "San Diego", "US", "city", "sister", 1957, None, f"{WIKI}; {OFFICIAL}"),
    ("141003", "リヨン市", "Lyon", "FR", "city", "sister", 1959, None, WIKI),
    ("141003", "バンクーバー市", "Vancouver", "CA", "city", "sister", 1965, None, WIKI),
    ("141003", "上海市", "Shanghai", "CN", "city", "friendship", 1973, None, WIKI),
    ("281000", "シアトル市", "Seattle", "US", "city", "sister", 1957, None, f"{WIKI}; {OFFICIAL}"),
    ("281000", "マルセイユ市", "Marseille", "FR", "city", "sister", 1961, None, WIKI),
    # the first friendship tie between a Japanese and a Chinese city
    ("281000", "天津市", "Tianjin", "CN", "city", "friendship", 1973, None, f"{WIKI}; {OFFICIAL}"),
    ("231002", "ロサンゼルス市", "Los Angeles", "US", "city", "sister", 1959, None, f"{WIKI}; {OFFICIAL}"),
    ("231002", "南京市", "Nanjing", "CN", "city", "friendship", 1978, None, WIKI),
    ("231002", "シドニー市", "Sydney", "AU", "city", "sister", 1980, None, WIKI),
    ("011002", "ポートランド市", "Portland", "US", "city", "sister", 1959, None, f"{WIKI}; {OFFICIAL}"),
    ("011002", "ミュンヘン市", "Munich", "DE", "city", "sister", 1972, None, WIKI),
    ("011002", "瀋陽市", "Shenyang", "CN", "city", "friendship", 1980, None, WIKI),
    ("011002", "大田広域市", "Daejeon", "KR", "city", "friendship", 2010, None, f"{WIKI}; {OFFICIAL}"),
    ("261009", "パリ市", "Paris", "FR", "city", "friendship", 1958, None, f"{WIKI}; {OFFICIAL}"),
    ("261009", "ボストン市", "Boston", "US", "city", "sister", 1959, None, f"{WIKI}; {OFFICIAL}"),
    ("261009", "ケルン市", "Cologne", "DE", "city", "sister", 1963, None, WIKI),
    ("261009", "フィレンツェ市", "Florence", "IT", "city", "sister", 1965, None, WIKI),
    ("261009", "西安市", "Xi'an", "CN", "city", "friendship", 1974, None, WIKI),
    ("341002", "ホノルル市", "Honolulu", "US", "city", "sister", 1959, None, f"{WIKI}; {OFFICIAL}"),
    ("341002", "ボルゴグラード市", "Volgograd", "RU", "city", "sister", 1972, None, WIKI),
    ("341002", "ハノーバー市", "Hannover", "DE", "city", "sister", 1983, None, WIKI),
    ("341002", "重慶市", "Chongqing", "CN", "city", "friendship", 1986, None, WIKI),
    ("341002", "大邱広域市", "Daegu", "KR", "city", "sister", 1997, None, WIKI),
    ("401307", "オークランド市", "Oakland", "US", "city", "sister", 1962, None, f"{WIKI}; {OFFICIAL}"),
    ("401307", "広州市", "Guangzhou", "CN", "city", "friendship", 1979, None, WIKI),
    ("401307", "ボルドー市", "Bordeaux", "FR", "city", "sister", 1982, None, WIKI),
    ("401307", "オークランド市", "Auckland", "NZ", "city", "sister", 1986, None, WIKI),
    ("041009", "リバーサイド市", "Riverside", "US", "city", "sister", 1957, None, f"{WIKI}; {OFFICIAL}"),
    ("041009", "レンヌ市", "Rennes", "FR", "city", "sister", 1967, None, WIKI),
    ("041009", "長春市", "Changchun", "CN", "city", "friendship", 1980, None, WIKI),
    ("401005", "タコマ市", "Tacoma", "US", "city", "sister", 1959, None, WIKI),
    ("401005", "大連市", "Dalian", "CN", "city", "friendship", 1979, None, WIKI),
    ("401005", "仁川広域市", "Incheon", "KR", "city", "sister", 1988, None, WIKI),
    ("151009", "ハバロフスク市", "Khabarovsk", "RU", "city", "sister", 1965, None, WIKI),
    ("151009", "ハルビン市", "Harbin", "CN", "city", "friendship", 1979, None, WIKI),
    ("172014", "バッファロー市", "Buffalo", "US", "city", "sister", 1962, None, WIKI),
    ("172014", "ナンシー市", "Nancy", "FR", "city", "sister", 1973, None, WIKI),
    ("172014", "蘇州市", "Suzhou", "CN", "city", "friendship", 1981, None, WIKI),
    ("172014", "全州市", "Jeonju", "KR", "city", "sister", 2002, None, WIKI),
    ("431001", "桂林市", "Guilin", "CN", "city", "friendship", 1982, None, WIKI),
    ("431001", "サンアントニオ市", "San Antonio", "US", "city", "sister", 1987, None, WIKI),
    # prefectures and their states and provinces
    ("130001", "ニューヨーク市", "New York City", "US", "city", "sister", 1960, None, f"{WIKI}; {OFFICIAL}"),
    ("130001", "北京市", "Beijing", "CN", "city", "friendship", 1979, None, f"{WIKI}; {OFFICIAL}"),
    ("130001", "パリ市", "Paris", "FR", "city", "sister", 1982, None, f"{WIKI}; {OFFICIAL}"),
    ("130001", "ニューサウスウェールズ州", "New South Wales", "AU", "state", "sister", 1984, None, OFFICIAL),
    ("130001", "ソウル特別市", "Seoul", "KR", "city", "sister", 1988, None, f"{WIKI}; {OFFICIAL}"),
    ("130001", "ベルリン市", "Berlin", "DE", "city", "sister", 1994, None, f"{WIKI}; {OFFICIAL}"),
    ("010006", "アルバータ州", "Alberta", "CA", "state", "sister", 1980, None, f"{WIKI}; {OFFICIAL}"),
    ("010006", "黒竜江省", "Heilongjiang", "CN", "state", "friendship", 1986, None, OFFICIAL),
    ("280003", "ワシントン州", "Washington", "US", "state", "sister", 1963, None, f"{WIKI}; {OFFICIAL}"),
    ("140007", "メリーランド州", "Maryland", "US", "state", "sister", 1981, None, OFFICIAL),
    ("140007", "遼寧省", "Liaoning", "CN", "state", "friendship", 1983, None, OFFICIAL),
    ("420000", "福建省", "Fujian", "CN", "state", "friendship", 1982, None, OFFICIAL),
)


def load_demo_affiliations(areas: dict[str, Area]) -> int:
    """Add the list's ties (and Nagasaki city) to the demo's areas by code; returns how many ties."""
    for code, name_ja, kana, name_en in EXTRA_MUNICIPALITIES:
        if code not in areas:
            areas[code] = Area(code=code, level="municipality", parent=areas[prefecture_code_of(code)], name_ja=name_ja,
                               name_kana=kana, name_en=name_en)
            db.session.add(areas[code])
    db.session.flush()
    rows = [{"area_id": areas[code].id, "partner_name": name, "partner_name_en": name_en, "country": country,
             "partner_level": level, "kind": kind, "established_year": year, "ended_year": ended, "fields": "",
             "note": f"source: {source}", "version": 1}
            for code, name, name_en, country, level, kind, year, ended, source in DEMO_AFFILIATIONS]
    db.session.execute(insert(Affiliation), rows)
    return len(rows)

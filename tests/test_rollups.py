import io
from collections import defaultdict

from sqlalchemy import select

from tests import factories
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import ExportProductRollup, ExportRollup, ReportingRollup, VisitorRollup
from tracker.rollups import rebuild_visitor_rollups, refresh_visitor_rollups


def _rollups():
    rows = db.session.execute(select(VisitorRollup.area_id, VisitorRollup.year, VisitorRollup.month,
                                     VisitorRollup.visitors, VisitorRollup.areas)).all()
    return {(area_id, year, month): (visitors, areas) for area_id, year, month, visitors, areas in rows}


def test_rollups_sum_the_municipalities_below_each_prefecture_and_the_nation(app):
    chiyoda, sapporo = factories.area("131016"), factories.area("011002")
    tokyo, hokkaido, nation = factories.area("130001"), factories.area("010006"), factories.area("JP")
    factories.visitor_count(chiyoda, 2015, 4, "CN", 100)
    factories.visitor_count(sapporo, 2015, 4, "CN", 30)
    factories.visitor_count(tokyo, 2015, 4, "CN", 5000)  # a prefecture's own total is not added in
    factories.visitor_count(nation, 2015, 4, "CN", 90000)
    refresh_visitor_rollups([(2015, 4)])
    assert _rollups() == {(tokyo.id, 2015, 4): (100, 1), (hokkaido.id, 2015, 4): (30, 1),
                          (nation.id, 2015, 4): (130, 2)}


def test_a_refresh_replaces_only_the_months_it_names(app):
    chiyoda, nation = factories.area("131016"), factories.area("JP")
    count = factories.visitor_count(chiyoda, 2015, 4, "CN", 100)
    factories.visitor_count(chiyoda, 2015, 5, "CN", 7)
    rebuild_visitor_rollups()
    count.visitors = 250
    db.session.flush()
    refresh_visitor_rollups([(2015, 4)])
    rollups = _rollups()
    assert rollups[(nation.id, 2015, 4)] == (250, 1)
    assert rollups[(nation.id, 2015, 5)] == (7, 1)


def test_an_import_leaves_every_rollup_equal_to_the_raw_aggregate(app):
    """Exporters that sell one destination through two products, and products that share an HS code, count once
    in their group; each exporter counts in its own prefecture and once in the nation's sums."""
    municipalities = {code: factories.area(code) for code in ("131016", "131024", "011002", "271004")}
    prefectural = factories.new_exporter(factories.area("130001"))  # no municipality's: left out
    factories.export_sale(factories.product(prefectural), 2024, 1, "US", 1000)
    sales = [  # exporter, area, month, product, hs_code, destination, value
        ("酒蔵A", "131016", 1, "純米酒", "220600", "US", 100), ("酒蔵A", "131016", 1, "吟醸酒", "220600", "US", 20),
        ("酒蔵A", "131016", 1, "梅酒", "220890", "US", 3), ("酒蔵A", "131016", 2, "純米酒", "220600", "HK", 40),
        ("茶舗B", "131024", 1, "煎茶", "090210", "US", 7), ("茶舗B", "131024", 1, "抹茶", "", "US", 9),
        ("茶舗B", "131024", 3, "煎茶", "090210", "SG", 11), ("酒蔵C", "011002", 1, "純米酒", "220600", "US", 50),
        ("酒蔵C", "011002", 1, "純米酒", "220600", "HK", 60), ("酒蔵C", "011002", 4, "焼酎", "220890", "US", 5),
        ("酒蔵D", "011002", 1, "清酒", "220600", "US", 8), ("刃物E", "271004", 5, "包丁", "821191", "US", 900),
        ("刃物E", "271004", 6, "包丁", "821191", "CN", 30),
    ]
    text = "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n" + "".join(
        f"{exporter},{code},2024,{month},{name},{hs_code},{destination},,,{value}\n"
        for exporter, code, month, name, hs_code, destination, value in sales)
    result, _importer = import_exports(io.BytesIO(text.encode()), "sales.csv", None)
    assert result.ok, result.errors
    db.session.commit()

    nation = factories.area("JP").id
    by_destination, by_hs_code, reporters = defaultdict(list), defaultdict(list), defaultdict(set)
    for exporter, code, month, _name, hs_code, destination, value in sales:
        for area_id in (municipalities[code].parent_id, nation):
            by_destination[(area_id, month, factories.market(destination).id)].append((exporter, value))
            by_hs_code[(area_id, month, hs_code)].append((exporter, value))
            reporters[(area_id, month)].add(exporter)

    def expected(groups):
        return {key: (sum(value for _exporter, value in rows), len({exporter for exporter, _value in rows}))
                for key, rows in groups.items()}

    def stored(rollup, key):
        rows = db.session.execute(select(rollup.area_id, rollup.month, key, rollup.value_jpy, rollup.exporters))
        return {(area_id, month, group): (value, exporters) for area_id, month, group, value, exporters in rows}

    assert stored(ExportRollup, ExportRollup.destination_id) == expected(by_destination)
    assert stored(ExportProductRollup, ExportProductRollup.hs_code) == expected(by_hs_code)
    counted = db.session.execute(select(ReportingRollup.area_id, ReportingRollup.month, ReportingRollup.reporters)
                                 .where(ReportingRollup.metric == "export_value"))
    assert {(area_id, month): reporters for area_id, month, reporters in counted} == {
        key: len(exporters) for key, exporters in reporters.items()}
    assert reporters[(nation, 1)] == {"酒蔵A", "茶舗B", "酒蔵C", "酒蔵D"}

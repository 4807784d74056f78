"""The demo a newcomer loads: current to last month, with the national targets leadership knows."""

import re
from datetime import date

from sqlalchemy import func, select

from tracker import demo_cli
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportSale, ImportBatch, Target, VisitorCount
from tracker.targets.queries import all_progress

TODAY = date(2026, 12, 2)


class _Today(date):
    @classmethod
    def today(cls):
        return TODAY


def _load(runner, monkeypatch):
    monkeypatch.setattr(demo_cli, "date", _Today)
    result = runner.invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _latest(column_year, column_month, *where):
    return db.session.execute(select(column_year, column_month).where(*where)
                              .order_by(column_year.desc(), column_month.desc()).limit(1)).one()


def test_the_demo_runs_to_the_last_complete_month_before_today(runner, monkeypatch):
    _load(runner, monkeypatch)
    nation = db.session.scalar(select(Area).where(Area.code == "JP"))
    assert tuple(_latest(VisitorCount.year, VisitorCount.month, VisitorCount.area_id == nation.id)) == (2026, 11)
    assert tuple(_latest(VisitorCount.year, VisitorCount.month, VisitorCount.area_id != nation.id)) == (2026, 11)
    assert tuple(_latest(ExportSale.year, ExportSale.month)) == (2026, 11)
    # JNTO's published years keep their status; the months the demo makes up are estimates, and say so
    statuses = dict(db.session.execute(select(VisitorCount.year, func.min(VisitorCount.status))
                                       .where(VisitorCount.area_id == nation.id).group_by(VisitorCount.year)).all())
    assert (statuses[2023], statuses[2024], statuses[2025], statuses[2026]) == (
        "final", "provisional", "estimate", "estimate")
    assert "2025-01..2026-11 generated" in db.session.scalar(select(ImportBatch.filename))


def test_the_demo_holds_met_missed_and_running_national_targets_and_an_export_target(runner, monkeypatch):
    _load(runner, monkeypatch)
    shown = {(target.metric, target.target_year): progress for target, progress in all_progress(TODAY)}
    assert set(shown) == {("visitors", 2016), ("visitors", 2020), ("visitors", 2030), ("export_value", 2030)}
    assert shown["visitors", 2016].status == "met"
    assert shown["visitors", 2016].met_year == 2015
    assert shown["visitors", 2020].status == "missed"
    # running: neither met nor missed, read from this year's eleven months
    assert shown["visitors", 2030].status in ("on_track", "at_risk", "off_track")
    assert shown["visitors", 2030].ytd_months == 11
    assert shown["export_value", 2030].status in ("on_track", "at_risk", "off_track")
    assert shown["export_value", 2030].ytd_months == 11


def test_the_demo_targets_and_exporters_are_named_once_per_language(runner, monkeypatch):
    _load(runner, monkeypatch)
    targets = db.session.scalars(select(Target).order_by(Target.target_year)).all()
    # the English page shows the English name alone, the Japanese page the Japanese one
    assert all(target.name and target.name_en for target in targets)
    assert not any(re.search(r"[A-Za-z]{3}", target.name) for target in targets)
    assert not any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", target.name_en) for target in targets)
    assert targets[0].name_in("en") == "18 million visitors by 2016"
    exporters = db.session.scalars(select(Exporter)).all()
    assert len(exporters) == 4 and all(exporter.name_en for exporter in exporters)
    assert {exporter.name_in("en") for exporter in exporters} >= {"Echigo Sake Brewers' Cooperative"}

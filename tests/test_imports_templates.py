"""Every import template, downloaded and uploaded as it is on the demo data, imports: its example line names an
area of the demo's list (and of every area list), not Chiyoda 131016 that the demo does not hold."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tracker.demo import DEMO_MUNICIPALITIES, load_demo
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportSale, VisitorCount

EN = {"Accept-Language": "en"}
# Each feature's template: its download, its upload page.
TEMPLATES = {"visitors": ("/visitors/template", "/visitors/import"),
             "exports": ("/exports/template", "/exports/import")}


@pytest.fixture
def demo(app):
    result = load_demo(date.today())
    db.session.commit()
    return {account.role: account for account in result.accounts}


def _upload(client, path: str, content: bytes, filename: str) -> str:
    response = client.post(path, data={"file": (io.BytesIO(content), filename)}, headers=EN, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_each_template_uploaded_unchanged_imports_on_the_demo(client, auth, demo, kind):
    """In both formats and both languages: the first upload creates the example's figure, the others find it."""
    download, upload = TEMPLATES[kind]
    auth.login(demo["admin"].email, demo["admin"].password)
    # the demo runs to last month, which the example row names: the first upload may create or update its figure
    first = True
    for fmt in ("csv", "xlsx"):
        for lang in ("en", "ja"):
            with client.get(f"{download}.{fmt}?lang={lang}") as template:
                assert template.status_code == 200
                content = template.data
            report = _upload(client, upload, content, f"template.{fmt}")
            assert "Nothing was imported" not in report, (fmt, lang, report)
            if first:
                assert re.search(r"created [01], updated [01], unchanged 0", report), (fmt, lang)
                first = False
            else:
                assert "created 0, updated 0, unchanged 1" in report, (fmt, lang)


def test_the_examples_name_a_municipality_of_the_demo(client, auth, demo):
    auth.login(demo["admin"].email, demo["admin"].password)
    demo_codes = {code for code, *_names in DEMO_MUNICIPALITIES}
    visitors = client.get("/visitors/template.csv").get_data().decode("utf-8-sig").splitlines()[1]
    exports = client.get("/exports/template.csv").get_data().decode("utf-8-sig").splitlines()[1]
    assert visitors.split(",")[0] in demo_codes and exports.split(",")[1] in demo_codes
    with client.get("/visitors/template.xlsx") as workbook:
        sheet = load_workbook(io.BytesIO(workbook.data)).active
        assert sheet.cell(2, 1).value == "011002"  # text, with its zero, in the workbook too


def test_the_sapporo_officer_of_the_demo_imports_the_visitor_template(client, auth, demo):
    auth.login(demo["officer"].email, demo["officer"].password)
    content = client.get("/visitors/template.csv?lang=ja").data
    report = _upload(client, "/visitors/import", content, "template.csv")
    assert re.search(r"created [01], updated [01], unchanged 0", report)
    db.session.rollback()
    sapporo = db.session.scalar(select(Area.id).where(Area.code == "011002"))
    assert db.session.scalar(select(VisitorCount.visitors).where(VisitorCount.area_id == sapporo,
                                                                 VisitorCount.visitors == 1234)) == 1234


def test_the_export_template_adds_its_example_exporter_in_sapporo(client, auth, demo):
    auth.login(demo["admin"].email, demo["admin"].password)
    with client.get("/exports/template.xlsx") as template:  # sent from a temporary file
        content = template.data
    report = _upload(client, "/exports/import", content, "template.xlsx")
    assert "created 1, updated 0, unchanged 0" in report
    db.session.rollback()
    exporter = db.session.scalar(select(Exporter).join(ExportSale).where(ExportSale.value_jpy == 480_000))
    assert exporter.area.code == "011002"

"""Full-page screenshots of every page of the tracker, at 1,280 and 390 px, in Japanese and in English, on the demo,
for a person to look at (issue 17). Not a test: it checks nothing itself, but prints what a reader would otherwise
have to spot (a page wider than the phone, Japanese in an English page's headings, None or nan on a page).

    .venv/bin/python -m tests.browser.screens OUTDIR [--only SUBSTRING]

The app runs in this process on a demo database of its own (a temporary SQLite file) with a few notes, edits and
import jobs added so that their pages have something to show; each page is opened as a role that may see it. PDFs
are saved and turned into PNGs with poppler's pdftoppm. Files are named `<page>-<language>-<width>.png`.
"""

from __future__ import annotations

import argparse
import glob
import io
import logging
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_migrate import upgrade
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tracker import create_app
from tracker.affiliations.services import save_affiliation
from tracker.areas.queries import area_by_code
from tracker.auth.services import find_user
from tracker.demo import last_demo_month, load_demo
from tracker.extensions import db
from tracker.jobs.runner import run_job
from tracker.jobs.services import create_job
from tracker.models import Affiliation, Exporter, ImportJob, Product, Target, User
from tracker.notes.services import add_note, edit_note

WIDTHS = (1280, 390)
LANGUAGES = ("ja", "en")
# an error page for each code the app shows, reached through a route of this script's own app
ERROR_CODES = (400, 403, 404, 405, 409, 413, 422, 429, 500, 503)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# what a reader should never see on a page
RAW_WORDS = re.compile(r"\b(None|nan|NaN|undefined|estimate|provisional)\b")
CHECKS = """() => {
  const headings = [...document.querySelectorAll('h1, h2, h3, th, label, legend, button, nav a, .button')]
    .map(e => e.innerText.trim()).filter(Boolean);
  const small = [...document.querySelectorAll('a.button, button, input[type=submit], nav a, select')]
    .filter(e => e.offsetParent !== null)
    .map(e => [e.innerText.trim() || e.value || e.name, Math.round(e.getBoundingClientRect().height)])
    .filter(([_, h]) => h > 0 && h < 40);
  return {width: document.scrollingElement.scrollWidth, headings, text: document.body.innerText, small};
}"""


@dataclass(frozen=True)
class Shot:
    name: str
    role: str
    path: str
    pdf: bool = False


def prepare(folder: str):
    """The app on a fresh demo database with notes, edits and import jobs; returns it with the pages to open."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/screens.sqlite", "SECRET_KEY": "screens",
                      "WTF_CSRF_ENABLED": False, "TRACKER_JOBS_IMMEDIATE": True,
                      "TRACKER_UPLOAD_DIR": os.path.join(folder, "uploads"),
                      "TRACKER_QUEUE_FILE": os.path.join(folder, "queue.sqlite"),
                      "TRACKER_ASSET_DIR": os.path.join(folder, "assets"),
                      "MAX_CONTENT_LENGTH": 1024 * 1024})

    @app.get("/screens/error/<int:code>")
    def error(code: int):
        abort(code)

    today = date.today()
    with app.app_context():
        upgrade()
        demo = load_demo(today)
        db.session.commit()
        logins = {account.role: (account.email, account.password) for account in demo.accounts}
        pages = _pages(app, logins, last_demo_month(today))
        db.engine.dispose()
    return app, logins, pages


def _pages(app, logins, month) -> list[Shot]:
    users = {role: find_user(email) for role, (email, _password) in logins.items()}
    sapporo, nation = area_by_code("011002"), area_by_code("JP")
    exporter = users["exporter"].exporter or db.session.scalar(select(Exporter).order_by(Exporter.id))
    product = db.session.scalar(select(Product).where(Product.exporter_id == exporter.id))
    target = db.session.scalar(select(Target).order_by(Target.id.desc()).where(Target.metric == "visitors"))
    export_target = db.session.scalar(select(Target).where(Target.metric == "export_value"))
    note = add_note(users["officer"], month, "10月は紅葉の団体客が多く、韓国からの来訪が前年の2倍でした。",
                    area=sapporo)
    db.session.flush()
    edit_note(users["officer"], note, "10月は紅葉の団体客が多く、韓国からの来訪が前年の約2倍でした。")
    add_note(users["exporter"], month, "香港向けの出荷が船便の遅れで翌月にずれました。", exporter=exporter)
    affiliation = db.session.scalar(select(Affiliation).where(Affiliation.area_id == sapporo.id))
    if affiliation is None:
        affiliation = db.session.scalar(select(Affiliation).order_by(Affiliation.id))
    save_affiliation(users["admin"], affiliation.area, {
        "partner_name": affiliation.partner_name, "partner_name_en": affiliation.partner_name_en,
        "country": affiliation.country, "partner_level": affiliation.partner_level, "kind": affiliation.kind,
        "established": str(affiliation.established_on or affiliation.established_year), "ended": "",
        "fields": affiliation.fields, "note": "2024年に交流30周年の式典を開催。"},
        affiliation=affiliation, version=affiliation.version)
    db.session.commit()
    jobs = _jobs(app, users["admin"], logins["admin"])
    admin, officer = users["admin"], users["officer"]
    token_owner = db.session.scalar(select(User).where(User.role == "officer"))
    area = affiliation.area
    shots = [Shot(f"home-{role}", role, "/") for role in ("admin", "officer", "exporter", "viewer")]
    shots += [Shot("login", "anonymous", "/login"), Shot("account", "officer", "/account"),
              Shot("admin-areas", "admin", "/admin/areas"), Shot("admin-area", "admin", "/admin/areas/011002"),
              Shot("admin-audit", "admin", "/admin/audit/"), Shot("admin-users", "admin", "/admin/users"),
              Shot("admin-user", "admin", f"/admin/users/{token_owner.id}"),
              Shot("admin-user-new", "admin", "/admin/users/new"),
              Shot("dashboard", "viewer", "/dashboard/"),
              Shot("dashboard-target", "viewer", f"/dashboard/targets/{target.id}"),
              Shot("dashboard-export-target", "viewer", f"/dashboard/targets/{export_target.id}"),
              Shot("exports", "viewer", "/exports/"), Shot("exports-mine", "exporter", "/exports/"),
              Shot("exports-area", "viewer", "/exports/areas/JP"),
              Shot("exporters", "admin", "/exports/exporters"),
              Shot("exporter", "exporter", f"/exports/exporters/{exporter.id}"),
              Shot("exporter-edit", "exporter", f"/exports/exporters/{exporter.id}/edit"),
              Shot("exporter-product-new", "exporter", f"/exports/exporters/{exporter.id}/products/new"),
              Shot("exporter-sales", "exporter", f"/exports/exporters/{exporter.id}/sales?month={month}"),
              Shot("exporter-new", "admin", "/exports/exporters/new"),
              Shot("exports-import", "exporter", "/exports/import"),
              Shot("product-edit", "exporter", f"/exports/products/{product.id}/edit"),
              Shot("targets", "admin", "/targets/"), Shot("target-edit", "admin", f"/targets/{target.id}"),
              Shot("target-new", "admin", "/targets/new"),
              Shot("visitors", "viewer", "/visitors/"), Shot("visitors-month", "officer", f"/visitors/011002/{month}"),
              Shot("visitors-history", "officer", f"/visitors/011002/{month}/history"),
              Shot("visitors-entry", "officer", "/visitors/entry"),
              Shot("visitors-import", "officer", "/visitors/import"),
              Shot("imports", "admin", "/imports/")]
    shots += [Shot(f"import-job-{kind}", "admin", f"/imports/{job_id}") for kind, job_id in jobs.items()]
    shots += [Shot(f"import-report-{kind}", "admin", f"/imports/{job_id}/report") for kind, job_id in jobs.items()]
    shots += [Shot("outbox", "admin", "/notifications/outbox"), Shot("reporting", "viewer", "/reporting/"),
              Shot("reporting-queue", "officer", "/reporting/queue"),
              Shot("reporting-rules", "admin", "/reporting/rules"), Shot("api-docs", "anonymous", "/api/docs"),
              Shot("report-area", "viewer", f"/reports/areas/011002/{month}"),
              Shot("report-area-nation", "viewer", f"/reports/areas/JP/{month}"),
              Shot("report-target", "viewer", f"/reports/targets/{target.id}"),
              Shot("report-area-pdf", "viewer", f"/reports/areas/011002/{month}.pdf", pdf=True),
              Shot("report-target-pdf", "viewer", f"/reports/targets/{target.id}.pdf", pdf=True),
              Shot("affiliations", "viewer", "/affiliations/"),
              Shot("affiliation-edit", "officer", f"/affiliations/{affiliation.id}/edit"),
              Shot("affiliation-history", "viewer", f"/affiliations/{affiliation.id}/history"),
              Shot("affiliations-area", "viewer", f"/affiliations/areas/{area.code}"),
              Shot("affiliations-new", "officer", "/affiliations/areas/011002/new"),
              Shot("affiliations-import", "officer", "/affiliations/import"),
              Shot("notes", "officer", "/notes/"), Shot("notes-exporter-own", "exporter", "/notes/"),
              Shot("notes-area", "officer", f"/notes/areas/011002/{month}"),
              Shot("notes-exporter", "exporter", f"/notes/exporters/{exporter.id}/{month}"),
              Shot("note-edit", "officer", f"/notes/{note.id}/edit")]
    shots += [Shot(f"error-{code}", "viewer", f"/screens/error/{code}") for code in ERROR_CODES]
    shots += [Shot("error-404-real", "viewer", "/no/such/page"), Shot("error-403-real", "viewer", "/admin/users")]
    del admin, officer, nation
    return shots


def _jobs(app, admin: User, login: tuple[str, str]) -> dict[str, int]:
    """One import applied from the visitors' own template and one refused, so that the job pages show both."""
    client = app.test_client()
    client.post("/login", data={"email": login[0], "password": login[1]})
    template = client.get("/visitors/template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv", template.status
    jobs = {}
    for kind, name, body in (("applied", "template.csv", template.data),
                             ("refused", "visitors.csv", b"area_code,year,month,market,count\n999999,2024,13,XX,-5\n"
                                                         b"011002,2024,1,KR,abc\n")):
        job = create_job(admin, "visitors", "import", name, io.BytesIO(body),
                         upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="ja")
        db.session.commit()
        run_job(job.id)
        jobs[kind] = job.id
    db.session.rollback()
    jobs = {kind: db.session.get(ImportJob, job_id).id for kind, job_id in jobs.items()}
    return jobs


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def shoot(base: str, logins, shots: list[Shot], outdir: str, skip_existing: bool = False) -> list[str]:
    """Every page as its role, per language and width; returns what a reader should check first."""
    findings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in sorted({shot.role for shot in shots}):
            for language in LANGUAGES:
                for width in WIDTHS:
                    context, page = _open(browser, base, logins, role, language, width)
                    for shot in (s for s in shots if s.role == role):
                        if skip_existing and glob.glob(os.path.join(outdir, f"{shot.name}-{language}-*")):
                            continue
                        try:
                            findings += _one(page, base, shot, language, width, outdir)
                        except PlaywrightError:  # a tab that crashed on a busy machine: once more in a new one
                            context.close()
                            context, page = _open(browser, base, logins, role, language, width)
                            findings += _one(page, base, shot, language, width, outdir)
                    context.close()
        browser.close()
    return findings


def _open(browser, base, logins, role, language, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
    page = context.new_page()
    if role != "anonymous":
        _log_in(page, base, logins[role])
    page.request.post(f"{base}/language/{language}")
    return context, page


def _log_in(page, base, login) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", login[0])
    page.fill("input[name=password]", login[1])
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/")


def _one(page, base, shot: Shot, language: str, width: int, outdir: str) -> list[str]:
    stem = os.path.join(outdir, f"{shot.name}-{language}-{width}")
    if shot.pdf:
        if width != WIDTHS[0]:
            return []
        response = page.request.get(f"{base}{shot.path}")
        with open(f"{stem}.pdf", "wb") as pdf:
            pdf.write(response.body())
        subprocess.run(["pdftoppm", "-png", "-r", "60", f"{stem}.pdf", stem], check=True)
        return [] if response.status == 200 else [f"{shot.name} {language}: PDF answered {response.status}"]
    response = page.goto(f"{base}{shot.path}")
    page.wait_for_load_state("load")
    if page.locator("script.chart-data").count():
        page.locator(".chart svg.main-svg").first.wait_for(state="visible", timeout=15000)
        page.wait_for_timeout(400)
    page.screenshot(path=f"{stem}.png", full_page=True)
    seen = page.evaluate(CHECKS)
    found = []
    where = f"{shot.name} {language} {width}"
    if response.status >= 400 and not shot.name.startswith("error"):
        found.append(f"{where}: answered {response.status}")
    if seen["width"] > width:
        found.append(f"{where}: {seen['width']} px wide")
    if language == "en":
        japanese = sorted({h for h in seen["headings"] if JAPANESE.search(h) and h != "日本語"})
        if japanese:
            found.append(f"{where}: Japanese in headings/labels: {japanese[:12]}")
    raw = sorted(set(RAW_WORDS.findall(seen["text"])))
    if raw:
        found.append(f"{where}: raw words {raw}")
    if width == 390 and seen["small"]:
        found.append(f"{where}: under 40 px tall: {seen['small'][:8]}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    parser.add_argument("--only", default="", help="only the pages whose name holds this")
    parser.add_argument("--skip-existing", action="store_true", help="leave the pages already in OUTDIR")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        app, logins, shots = prepare(folder)
        shots = [shot for shot in shots if args.only in shot.name]
        server, base = serve(app)
        try:
            findings = shoot(base, logins, shots, args.outdir, args.skip_existing)
        finally:
            server.shutdown()
    print(f"{len(shots)} pages, {len(LANGUAGES)} languages, {len(WIDTHS)} widths -> {args.outdir}")
    for finding in findings:
        print(finding)


if __name__ == "__main__":
    main()

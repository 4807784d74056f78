"""axe-core (the npm package, installed by `make test` into node_modules/) on every page a person uses, as the role
that sees it, in Japanese and in English, on the demo's data: no serious or critical violation."""

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.demo import DEMO_ACCOUNTS, last_demo_month, load_demo
from tracker.extensions import db
from tracker.jobs import runner, services
from tracker.models import Affiliation, Exporter, Note, Target, User
from tracker.notes.services import add_note
from tracker.reporting import services as reporting
from tracker.reporting.units import Unit

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (run `npm ci`)")]

# what fails the test: the impacts axe calls serious and critical
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.filter(v => ["serious", "critical"].includes(v.impact)).flatMap(v => v.nodes.map(
        node => ({rule: v.id, impact: v.impact, target: node.target.join(" "), summary: node.failureSummary})));
}"""
EMAILS = {role: email for role, email, *_rest in DEMO_ACCOUNTS}


@pytest.fixture
def demo(app, live_server):
    """The demo as `make run` loads it, with what the demo leaves empty: notes, import reports, a due exception and
    a reporting step, so that every page draws its tables and charts."""
    load_demo(date.today())
    last = last_demo_month(date.today())
    users = {role: db.session.scalar(select(User).where(User.email == email)) for role, email in EMAILS.items()}
    for user in users.values():
        user.set_password(factories.PASSWORD)  # log_in types the tests' password
    exporter = db.session.scalar(select(Exporter).where(Exporter.name == "越後酒造協同組合"))
    product = exporter.products[0]
    officer = users["officer"]
    sapporo = officer.areas[0]
    add_note(officer, last, "札幌雪まつり / Snow festival", area=sapporo)
    add_note(users["exporter"], last, "香港の展示会 / Hong Kong fair", exporter=exporter)
    note = db.session.scalar(select(Note).where(Note.area_id == sapporo.id))
    reporting.transition(officer, Unit.of(sapporo), last, "submit")
    reporting.set_exception(Unit.of(sapporo), 2, None)
    upload_dir = app.config["TRACKER_UPLOAD_DIR"]
    head, when = "area_code,year,month,market,visitors\n", f"{last.year},{last.month}"
    refused, applied = (services.create_job(officer, "visitors", "import", "visitors.csv",
                                            io.BytesIO(f"{head}{lines}".encode()), upload_dir=upload_dir, language="ja")
                        for lines in (f"011002,{when},CN,12\n011002,{when},KR,many\n", f"011002,{when},CN,1234\n"))
    db.session.commit()
    runner.run_job(refused.id)
    runner.run_job(applied.id)
    targets = db.session.scalars(select(Target).order_by(Target.id)).all()
    affiliation = db.session.scalar(select(Affiliation).where(Affiliation.area_id == sapporo.id))
    month = f"{last}"
    pages = {
        "admin": ["/admin/users", f"/admin/users/{officer.id}", "/admin/users/new", "/admin/areas",
                  "/admin/areas/011002", "/admin/audit/", "/targets/", f"/targets/{targets[0].id}", "/targets/new",
                  "/notifications/outbox",
                  "/reporting/rules", f"/exports/exporters/{exporter.id}/sales?month={month}", "/api/docs",
                  f"/exports/exporters/{exporter.id}/history?month={month}", "/account"],
        "officer": ["/", "/visitors/entry", f"/visitors/011002/{month}", f"/visitors/011002/{month}/history",
                    "/visitors/import", "/imports/", f"/imports/{refused.id}",
                    f"/imports/{applied.id}", "/reporting/queue", f"/affiliations/{affiliation.id}/edit",
                    "/affiliations/areas/011002/new", "/affiliations/import", f"/notes/areas/011002/{month}",
                    f"/notes/{note.id}/edit", "/exports/exporters", "/exports/exporters/new",
                    f"/exports/exporters/{exporter.id}/edit", f"/exports/exporters/{exporter.id}/products/new",
                    f"/exports/products/{product.id}/edit"],
        "exporter": ["/", f"/exports/exporters/{exporter.id}/sales?month={month}", f"/exports/exporters/{exporter.id}",
                     "/exports/import", f"/notes/exporters/{exporter.id}/{month}", "/notes/", "/imports/", "/account"],
        "viewer": ["/", "/dashboard/", "/dashboard/?area=010006&map=growth",
                   *(f"/dashboard/targets/{target.id}" for target in targets), "/visitors/",
                   f"/visitors/011002/{month}/history", "/exports/", "/exports/areas/JP", "/exports/areas/151009",
                   "/reporting/", "/reporting/?area=010006", f"/reports/areas/011002/{month}",
                   f"/reports/targets/{targets[0].id}", f"/reports/targets/{targets[-1].id}", "/affiliations/",
                   "/affiliations/areas/011002", f"/affiliations/{affiliation.id}/history", "/notes/",
                   f"/notes/areas/011002/{month}", "/targets/"],  # the last one is refused: the error page
        None: ["/login", "/no-such-page"],
    }
    return pages, users


def _violations(page, live_server: str, paths: list[str], axe: str) -> list[str]:
    found = []
    for path in paths:
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
        if page.locator("script.chart-data").count():
            page.locator(".chart svg.main-svg").last.wait_for(state="visible")
        page.evaluate(axe)  # as the test's own script: the page's content security policy refuses inline scripts
        found += [f"{path}: {v['rule']} ({v['impact']}) at {v['target']}: {v['summary']}"
                  for v in page.evaluate(RUN_AXE)]
    return found


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("role", ["viewer", "officer", "exporter", "admin", None])
def test_every_page_has_no_serious_accessibility_violation(live_server, browser, demo, role, language):
    pages, users = demo
    context = browser.new_context(locale="ja-JP" if language == "ja" else "en-US")
    page = context.new_page()
    if role is not None:
        users[role].language = language
        db.session.commit()
        log_in(page, live_server, users[role])
        assert page.locator("html").get_attribute("lang") == language
    found = _violations(page, live_server, pages[role], AXE.read_text(encoding="utf-8"))
    context.close()
    assert found == [], "\n".join(found)


# Each chart: a labelled figure whose aria-describedby names its text alternative in the same section (or the table
# right after it): a table with rows, a link to the chart's CSV, or (a map with no area to list) a sentence saying so.
CHART_ALTERNATIVES = """() => Array.from(document.querySelectorAll(".chart")).map(chart => {
    const described = document.getElementById(chart.getAttribute("aria-describedby") || "");
    const section = chart.closest("section");
    const table = described && (described.matches("table") ? described : described.querySelector("table"));
    const links = described ? Array.from(described.querySelectorAll("a[href]")) : [];
    return {chart: chart.id, role: chart.getAttribute("role"), label: (chart.getAttribute("aria-label") || "").trim(),
            near: Boolean(described && (section.contains(described) || section.nextElementSibling === described)),
            rows: table ? table.querySelectorAll("tbody tr").length : 0,
            csv: links.some(link => /[.]csv([?]|$)/.test(link.getAttribute("href"))),
            words: described ? described.textContent.trim() : ""};
})"""


def test_every_chart_is_a_labelled_figure_described_by_its_table_or_csv_link(live_server, browser, demo):
    pages, users = demo
    charted = {"viewer": [path for path in pages["viewer"] if path.startswith(("/dashboard/", "/reporting/",
                                                                              "/reports/", "/affiliations/"))],
               "exporter": ["/"]}
    missing, counted = [], {}
    for role, paths in charted.items():
        context = browser.new_context()
        page = context.new_page()
        log_in(page, live_server, users[role])
        for path in paths:
            page.goto(f"{live_server}{path}")
            charts = page.evaluate(CHART_ALTERNATIVES)
            counted[path] = len(charts)
            missing += [f"{path}: {chart}" for chart in charts if not (
                chart["role"] == "figure" and chart["label"] and chart["near"]
                and (chart["rows"] or chart["csv"] or (chart["chart"] == "chart-map" and chart["words"])))]
        context.close()
    assert missing == [], "\n".join(missing)
    assert sum(counted.values()) >= 40 and counted["/reporting/?area=010006"] == 1, counted

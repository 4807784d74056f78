import csv
import os

from sqlalchemy import func, select

from tests import factories
from tracker.auth.services import authenticate
from tracker.cli import main
from tracker.extensions import db
from tracker.models import ApiToken, Area, ExportSale, Target, User, VisitorCount


def _invoke(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def test_users_create_reads_the_password_from_stdin(runner):
    result = _invoke(runner, "users", "create", "Officer@Example.jp", "--role", "officer", "--area", "130001",
                     "--area", "JP", "--password-stdin", input="s3cret-password\n")
    assert result.exit_code == 0, result.output
    user = authenticate("officer@example.jp", "s3cret-password")
    assert user is not None
    assert sorted(area.code for area in user.areas) == ["130001", "JP"]


def test_users_create_prompts_for_the_password(runner):
    result = _invoke(runner, "users", "create", "v@example.jp", "--role", "viewer",
                     input="long-password\nlong-password\n")
    assert result.exit_code == 0, result.output
    assert authenticate("v@example.jp", "long-password") is not None


def test_users_create_fails_with_one_clear_line(runner):
    cases = [
        (["--role", "officer"], "An officer needs at least one area."),
        (["--role", "officer", "--area", "131017"], "Not a local-government code: 131017"),
        (["--role", "exporter", "--exporter", "nobody"], "Unknown exporter: nobody"),
    ]
    for options, message in cases:
        result = _invoke(runner, "users", "create", "x@example.jp", *options, "--password-stdin",
                         input="long-password\n")
        assert result.exit_code == 1
        assert result.output.strip() == f"Error: {message}"
    result = _invoke(runner, "users", "create", "x@example.jp", "--role", "viewer", "--password-stdin", input="short\n")
    assert (result.exit_code, result.output.strip()) == (1, "Error: The password must have at least 12 characters.")
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_create_refuses_a_second_account_with_the_same_email(runner):
    factories.user("viewer", email="taken@example.jp")
    db.session.commit()
    result = _invoke(runner, "users", "create", "TAKEN@example.jp", "--role", "viewer", "--password-stdin",
                     input="long-password\n")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_users_token_prints_a_working_token_alone_on_its_last_line(runner, client):
    factories.user("viewer", email="api@example.jp")
    db.session.commit()
    result = _invoke(runner, "users", "token", "api@example.jp")
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert " " not in token and len(token) >= 40
    assert db.session.scalar(select(ApiToken.token_hash)) == ApiToken.hash(token)
    assert client.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_users_token_for_an_unknown_email_fails_cleanly(runner):
    result = _invoke(runner, "users", "token", "nobody@example.jp")
    assert (result.exit_code, result.output.strip()) == (1, "Error: no user with the email nobody@example.jp")


def test_db_upgrade_on_an_unreachable_database_fails_with_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setenv("TRACKER_DEMO", "1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/no/such/dir/db.sqlite")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: database error:")
    assert "Traceback" not in result.output


def test_demo_loads_once_and_prints_an_account_per_role(runner):
    first = _invoke(runner, "demo")
    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output
    for role in ("admin", "officer", "exporter", "viewer"):
        assert f"{role}@example.jp" in first.output
    counts = (db.session.scalar(select(func.count(VisitorCount.id))),
              db.session.scalar(select(func.count(ExportSale.id))))
    second = _invoke(runner, "demo")
    assert "nothing changed" in second.output
    assert (db.session.scalar(select(func.count(VisitorCount.id))),
            db.session.scalar(select(func.count(ExportSale.id)))) == counts
    line = next(line for line in first.output.splitlines() if "admin@example.jp" in line)
    assert authenticate("admin@example.jp", line.split("password:")[1].strip()) is not None


def test_the_demo_national_series_adds_up_to_jnto_annual_totals(runner, shared_data):
    _invoke(runner, "demo")
    with open(os.path.join(shared_data, "jnto", "jnto_visitor_arrivals_annual_total_1990-2024.csv")) as file:
        published = {int(r["year"]): int(r["visitors"]) for r in csv.DictReader(file)}
    nation = db.session.scalar(select(Area).where(Area.code == "JP"))
    totals = dict(db.session.execute(
        select(VisitorCount.year, func.sum(VisitorCount.visitors)).where(VisitorCount.area_id == nation.id)
        .group_by(VisitorCount.year)).all())
    assert totals[2015] == 19_737_409
    assert all(totals[year] == published[year] for year in totals if year in published)
    target = db.session.scalar(select(Target).where(Target.target_year == 2016))
    assert (target.baseline_year, target.baseline_value, target.target_year, target.target_value) == (
        2011, 6_218_752, 2016, 18_000_000)


def test_the_demo_area_codes_are_on_the_official_list(shared_data):
    from tracker.demo import DEMO_EXPORTERS, DEMO_MUNICIPALITIES

    with open(os.path.join(shared_data, "jp_municipalities_lgcode.csv"), encoding="utf-8") as file:
        official = {row["lg_code"]: row for row in csv.DictReader(file) if row["is_basic_municipality"] == "1"}
    for code, name_ja, kana, _name_en in DEMO_MUNICIPALITIES:
        assert official[code]["name_ja"] == name_ja
        assert official[code]["name_kana"] == kana
    assert {code for _, code, *_ in DEMO_EXPORTERS} <= official.keys()


def test_imports_as_an_account_need_the_rights_the_upload_page_asks_for(runner, tmp_path):
    exporter = factories.new_exporter(factories.area("131016"), name="テスト酒造")
    viewer = factories.user("viewer", areas=[factories.area("130001")])
    officer = factories.user("officer", areas=[factories.area("131130")])
    seller = factories.user("exporter", exporter=exporter)
    db.session.commit()
    sales = tmp_path / "sales.csv"
    sales.write_text("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
                     "テスト酒造,131016,2015,4,純米酒,220600,US,,,100\n", encoding="utf-8")
    visitors = tmp_path / "visitors.csv"
    visitors.write_text("area_code,year,month,market,visitors\n131130,2015,4,CN,1\n", encoding="utf-8")
    for kind, path, user in (("exports", sales, viewer), ("exports", sales, officer),
                             ("visitors", visitors, viewer), ("visitors", visitors, seller)):
        result = runner.invoke(main, ["import", kind, str(path), "--as", user.email])
        assert result.exit_code == 1, result.output
        what = "export sales" if kind == "exports" else "visitor figures"
        assert f"Error: {user.email} ({user.role}) may not import {what}: nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(ExportSale)) == 0
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 0

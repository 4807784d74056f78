"""The audit: what is recorded (account and target changes, each revision's area, log-in attempts) and the admins'
page and download that read it."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tracker.audit.queries import AuditFilter, revision_page
from tracker.cli import main
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import ApiToken, ImportJob, LoginEvent, Product, Revision, User
from tracker.periods import Month
from tracker.reporting.services import transition
from tracker.reporting.units import Unit
from tracker.revisions import Change, record_changes
from tracker.targets.services import TargetInput, create_target, update_target
from tracker.visitors.importer import import_visitors
from tracker.visitors.services import Entry, save_month

EN = {"Accept-Language": "en"}
TOKYO, OSAKA = "130001", "270008"
CHIYODA = "131016"  # in Tokyo


def _revisions(table: str) -> list[Revision]:
    db.session.rollback()
    return list(db.session.scalars(select(Revision).where(Revision.table_name == table).order_by(Revision.id)))


def _login_as_admin(auth):
    admin = factories.user("admin", email="admin@example.jp")
    db.session.commit()
    assert auth.login(admin.email).status_code == 302
    return admin


# What is recorded


def test_account_creation_role_and_area_changes_reset_and_deactivation_are_revisions(client, auth):
    admin = _login_as_admin(auth)
    admin_id = admin.id
    factories.area(CHIYODA)
    db.session.commit()
    client.post("/admin/users/new", data={"email": "sato@example.jp", "name": "Sato", "role": "viewer",
                                          "password": "a-long-new-passphrase", "active": "y"})
    [created] = _revisions("users")
    assert (created.record_key, created.old_value, created.new_value, created.note, created.source,
            created.user_id) == ("sato@example.jp", None, "Sato; viewer; active", "created", "form", admin_id)
    user_id = db.session.scalar(select(User.id).where(User.email == "sato@example.jp"))
    client.post(f"/admin/users/{user_id}", data={"name": "Sato", "role": "officer", "area_codes": f"{CHIYODA} {TOKYO}",
                                                 "active": "y"})
    client.post(f"/admin/users/{user_id}", data={"name": "Sato", "role": "officer", "area_codes": CHIYODA,
                                                 "password": "another-long-passphrase", "active": "y"})
    client.post(f"/admin/users/{user_id}", data={"name": "Sato", "role": "officer", "area_codes": CHIYODA})
    client.post(f"/admin/users/{user_id}", data={"name": "Sato", "role": "officer", "area_codes": CHIYODA})
    changes = [(r.old_value, r.new_value, r.note) for r in _revisions("users")[1:]]
    assert changes == [
        ("Sato; viewer; active", f"Sato; officer; areas {TOKYO} {CHIYODA}; active", "role, areas"),
        (f"Sato; officer; areas {TOKYO} {CHIYODA}; active", f"Sato; officer; areas {CHIYODA}; active",
         "areas, password reset"),
        (f"Sato; officer; areas {CHIYODA}; active", f"Sato; officer; areas {CHIYODA}; inactive", "deactivated"),
    ]  # the last save changed nothing and recorded nothing


def test_an_account_made_on_the_command_line_is_a_revision_without_a_user(runner):
    result = runner.invoke(main, ["users", "create", "cli@example.jp", "--role", "admin", "--password-stdin"],
                           input="a-long-new-passphrase\n")
    assert result.exit_code == 0, result.output
    [created] = _revisions("users")
    assert (created.source, created.user_id, created.note) == ("cli", None, "created")


def test_a_changed_password_is_a_revision_of_its_own_account(client, auth):
    user = factories.user("viewer")
    db.session.commit()
    user_id, email = user.id, user.email
    auth.login(email)
    client.post("/account/password", data={"current": factories.PASSWORD, "new": "a-brand-new-passphrase",
                                           "repeat": "a-brand-new-passphrase"})
    [changed] = _revisions("users")
    assert (changed.record_key, changed.note, changed.user_id) == (email, "password changed", user_id)


def test_target_creation_and_changes_are_revisions_with_the_targets_area(app):
    admin = factories.user("admin")
    data = TargetInput(name="18 million", metric="visitors", area=TOKYO, baseline_year=2012, target_year=2016,
                       target_value=18_000_000, baseline_value=8_000_000)
    target = create_target(data, by=admin, source="form")
    update_target(target, data, by=admin, source="form")  # unchanged: no revision
    update_target(target, TargetInput(**{**data.__dict__, "target_value": 20_000_000}), by=admin, source="api")
    db.session.commit()
    created, changed = _revisions("targets")
    assert created.record_key == changed.record_key == str(target.id)
    assert created.new_value == f"18 million; visitors {TOKYO}; calendar 2012: 8000000 -> 2016: 18000000"
    assert changed.old_value == created.new_value and changed.new_value.endswith("2016: 20000000")
    assert (changed.source, changed.user_id, changed.area.code) == ("api", admin.id, TOKYO)


def test_every_revision_of_figures_and_reporting_states_knows_its_area(app):
    officer = factories.user("officer", areas=[factories.area(TOKYO)])
    chiyoda = factories.area(CHIYODA)
    save_month(officer, chiyoda, Month(2024, 1), [Entry("CN", 120)], read={}, status="final")
    result = import_visitors(io.BytesIO(f"area_code,year,month,market,visitors\n{OSAKA},2024,1,KR,50\n".encode()),
                             "visitors.csv", None)
    assert result.ok
    exporter = factories.new_exporter(factories.area(CHIYODA), name="Sakura Foods")
    result, _ = import_exports(io.BytesIO(
        ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
         f"Sakura Foods,{CHIYODA},2024,1,Sake,220600,US,,,1000\n").encode()), "sales.csv", None)
    assert result.ok
    transition(officer, Unit.of(chiyoda), Month(2024, 1), "submit")
    db.session.commit()
    # as the audit lists them
    areas = {(r.table_name, r.record_key): r.area.code for r in revision_page(AuditFilter(), 1).items}
    assert areas == {
        ("visitor_counts", f"{CHIYODA}/2024-01/CN"): CHIYODA,
        ("visitor_counts", f"{OSAKA}/2024-01/KR"): OSAKA,
        ("export_sales", f"{exporter.id}/2024-01/{_product_id()}/US"): CHIYODA,
        ("reporting_months", f"visitors/{CHIYODA}/2024-01"): CHIYODA,
    }


def _product_id() -> int:
    return db.session.scalar(select(Product.id))


def test_log_ins_are_recorded_with_the_email_as_typed_the_account_the_address_and_the_outcome(app, client):
    app.config["TRACKER_LOGIN_LIMIT_PER_ACCOUNT"] = "1 per 15 minutes"
    user = factories.user("viewer", email="kato@example.jp")
    db.session.commit()
    user_id = user.id
    client.post("/login", data={"email": "kato@example.jp", "password": factories.PASSWORD},
                environ_overrides={"REMOTE_ADDR": "2001:db8::1"})
    client.post("/logout")
    client.post("/login", data={"email": " KATO@example.jp", "password": "wrong password"},
                environ_overrides={"REMOTE_ADDR": "192.0.2.1"})
    client.post("/login", data={"email": "nobody@example.jp", "password": "wrong password"})
    assert client.post("/login", data={"email": "kato@example.jp", "password": "wrong"}).status_code == 429
    db.session.rollback()
    events = [(e.email, e.user_id, e.address, e.outcome)
              for e in db.session.scalars(select(LoginEvent).order_by(LoginEvent.id))]
    assert events == [
        ("kato@example.jp", user_id, "2001:db8::1", "success"),
        (" KATO@example.jp", user_id, "192.0.2.1", "failed"),
        ("nobody@example.jp", None, "127.0.0.1", "failed"),
        ("kato@example.jp", user_id, "127.0.0.1", "throttled"),
    ]


# The page and the download


def _seed_changes():
    """Revisions by two accounts in Tokyo (one in a municipality), Osaka and of an account, at known times."""
    alice, bob = factories.user("officer", email="alice@example.jp"), factories.user("admin", email="bob@example.jp")
    tokyo, chiyoda, osaka = factories.area(TOKYO), factories.area(CHIYODA), factories.area(OSAKA)
    rows = [  # (table, key, source, user, area, UTC time)
        ("visitor_counts", f"{TOKYO}/2024-01/CN", "form", alice, tokyo, datetime(2024, 5, 1, 3, 39, tzinfo=UTC)),
        ("visitor_counts", f"{CHIYODA}/2024-01/CN", "import", alice, chiyoda, datetime(2024, 5, 1, 15, 30,
                                                                                        tzinfo=UTC)),
        ("visitor_counts", f"{OSAKA}/2024-01/KR", "api", bob, osaka, datetime(2024, 5, 2, 16, 0, tzinfo=UTC)),
        ("users", "carol@example.jp", "cli", None, None, datetime(2024, 5, 3, 0, 0, tzinfo=UTC)),
    ]
    for table, key, source, user, area, when in rows:
        record_changes(table, [Change(key, "1", "2", "note")], source=source, user_id=user.id if user else None,
                       area_id=area.id if area else None)
        db.session.execute(Revision.__table__.update().where(Revision.record_key == key).values(created_at=when))
    db.session.commit()
    return alice, bob


def _keys(page: str) -> list[str]:
    return [key for key in (f"{TOKYO}/2024-01/CN", f"{CHIYODA}/2024-01/CN", f"{OSAKA}/2024-01/KR", "carol@example.jp")
            if f"<td>{key}</td>" in page]


def test_the_audit_page_lists_every_change_newest_first_in_japan_time(client, auth):
    _seed_changes()
    _login_as_admin(auth)
    page = client.get("/admin/audit/", headers=EN).get_data(as_text=True)
    assert _keys(page) == [f"{TOKYO}/2024-01/CN", f"{CHIYODA}/2024-01/CN", f"{OSAKA}/2024-01/KR",
                           "carol@example.jp"]
    assert page.index("carol@example.jp") < page.index(f"{OSAKA}/2024-01/KR") < page.index(f"{TOKYO}/2024-01/CN")
    assert "2024-05-01 12:39:00 JST" in page  # 03:39 UTC
    assert "03:39" not in page


@pytest.mark.parametrize(("query", "expected"), [
    ("area=130001", [f"{TOKYO}/2024-01/CN", f"{CHIYODA}/2024-01/CN"]),  # the prefecture and its municipalities
    (f"area={CHIYODA}", [f"{CHIYODA}/2024-01/CN"]),
    ("area=JP", [f"{TOKYO}/2024-01/CN", f"{CHIYODA}/2024-01/CN", f"{OSAKA}/2024-01/KR"]),
    ("source=import", [f"{CHIYODA}/2024-01/CN"]),
    ("source=cli", ["carol@example.jp"]),
    ("kind=users", ["carol@example.jp"]),
    # days in Japan: 2024-05-01 15:30 UTC is 2 May 00:30 JST
    ("start=2024-05-01&end=2024-05-01", [f"{TOKYO}/2024-01/CN"]),
    ("start=2024-05-02&end=2024-05-02", [f"{CHIYODA}/2024-01/CN"]),
    ("start=2024-05-02&end=2024-05-03", [f"{CHIYODA}/2024-01/CN", f"{OSAKA}/2024-01/KR", "carol@example.jp"]),
    ("start=2024-05-03", [f"{OSAKA}/2024-01/KR", "carol@example.jp"]),  # 2 May 16:00 UTC is 3 May 01:00 JST
])
def test_the_audit_page_filters_by_area_source_record_and_japan_dates(client, auth, query, expected):
    _seed_changes()
    _login_as_admin(auth)
    response = client.get(f"/admin/audit/?{query}", headers=EN)
    assert response.status_code == 200
    assert sorted(_keys(response.get_data(as_text=True))) == sorted(expected)


def test_the_audit_page_filters_by_account(client, auth):
    alice, bob = _seed_changes()
    _login_as_admin(auth)
    assert _keys(client.get(f"/admin/audit/?user={alice.id}").get_data(as_text=True)) == [
        f"{TOKYO}/2024-01/CN", f"{CHIYODA}/2024-01/CN"]
    assert _keys(client.get(f"/admin/audit/?user={bob.id}").get_data(as_text=True)) == [f"{OSAKA}/2024-01/KR"]


@pytest.mark.parametrize("query", ["area=999999", "area=abc", "start=2024-13-01", "start=2024-05-03&end=2024-05-01",
                                   "start=0001-01-01", "user=999999", "source=mail", "view=everything"])
def test_refused_filters_are_named_and_show_nothing(client, auth, query):
    _seed_changes()
    _login_as_admin(auth)
    for url in ("/admin/audit/", "/admin/audit/audit.csv"):
        response = client.get(f"{url}?{query}", headers=EN)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert 'class="error"' in page and _keys(page) == []


def test_the_audit_page_is_paginated(client, auth):
    record_changes("visitor_counts", [Change(f"{TOKYO}/2024-01/M{n:02d}", None, str(n)) for n in range(51)],
                   source="form", user_id=None)
    db.session.commit()
    _login_as_admin(auth)
    first = client.get("/admin/audit/?source=form", headers=EN).get_data(as_text=True)
    second = client.get("/admin/audit/?source=form&page=2", headers=EN).get_data(as_text=True)
    assert first.count(f"{TOKYO}/2024-01/M") == 50 and second.count(f"{TOKYO}/2024-01/M") == 1
    assert "51 entries" in first
    assert 'href="/admin/audit/?source=form&amp;page=2"' in first or 'page=2&amp;source=form' in first


def test_the_audit_download_is_every_filtered_change_in_utf8_with_a_bom_and_japanese_headers(client, auth):
    _seed_changes()
    _login_as_admin(auth)
    response = client.get(f"/admin/audit/audit.csv?area={TOKYO}&lang=ja")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows == [
        ["日時", "利用者", "記録", "キー", "地域コード", "変更前", "変更後", "経路", "ファイル", "備考"],
        ["2024-05-02 00:30:00 JST", "alice@example.jp", "visitor_counts", f"{CHIYODA}/2024-01/CN", CHIYODA, "1", "2",
         "import", "", "note"],
        ["2024-05-01 12:39:00 JST", "alice@example.jp", "visitor_counts", f"{TOKYO}/2024-01/CN", TOKYO, "1", "2",
         "form", "", "note"],
    ]
    english = client.get("/admin/audit/audit.csv?source=cli").data.decode("utf-8-sig").splitlines()
    assert english == ["time,user,record,key,area_code,old_value,new_value,source,file,note",
                       "2024-05-03 09:00:00 JST,,users,carol@example.jp,,1,2,cli,,note"]


def test_log_ins_have_their_own_view_and_download(client, auth):
    factories.user("viewer", email="kato@example.jp")
    db.session.commit()
    client.post("/login", data={"email": "kato@example.jp", "password": "wrong"},
                environ_overrides={"REMOTE_ADDR": "192.0.2.9"})
    admin = _login_as_admin(auth)
    page = client.get("/admin/audit/?view=logins&outcome=failed", headers=EN).get_data(as_text=True)
    assert "192.0.2.9" in page and "<td>Refused</td>" in page and "<td>Logged in</td>" not in page
    mine = client.get(f"/admin/audit/?view=logins&user={admin.id}", headers=EN).get_data(as_text=True)
    assert "192.0.2.9" not in mine and "<td>Logged in</td>" in mine
    lines = client.get("/admin/audit/audit.csv?view=logins&outcome=failed").data.decode("utf-8-sig").splitlines()
    assert lines[0] == "time,email,account,address,outcome"
    assert [line.split(",")[1:] for line in lines[1:]] == [["kato@example.jp", "kato@example.jp", "192.0.2.9",
                                                            "failed"]]
    assert lines[1].split(",")[0].endswith(" JST")


@pytest.mark.parametrize("role", ["officer", "exporter", "viewer"])
def test_only_admins_read_the_audit(client, auth, role):
    user = factories.user(role, areas=[factories.area(TOKYO)] if role == "officer" else [])
    db.session.commit()
    auth.login(user.email)
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/audit.csv").status_code == 403


# Times in Japan time on every page that shows one

SAVED = datetime(2024, 5, 1, 3, 39, tzinfo=UTC)  # 12:39 in Japan


def test_history_jobs_and_token_pages_show_japan_time_with_the_zone(client, auth):
    admin = _login_as_admin(auth)
    sake = factories.product(factories.new_exporter(factories.area(CHIYODA)))
    record_changes("visitor_counts", [Change(f"{CHIYODA}/2024-01/CN", None, "5")], source="form", user_id=admin.id)
    record_changes("export_sales", [Change(f"{sake.exporter.id}/2024-01/{sake.id}/US", None, "5 JPY")],
                   source="form", user_id=admin.id)
    db.session.execute(Revision.__table__.update().values(created_at=SAVED))
    db.session.add(ImportJob(kind="visitors", source="import", user=admin, filename="v.csv", language="en",
                             status="done", created_at=SAVED))
    db.session.add(ApiToken(user=admin, token_hash="0" * 64, created_at=SAVED, last_used_at=SAVED,
                            expires_at=datetime(2024, 7, 30, 15, 0, tzinfo=UTC)))
    db.session.commit()
    job_id, exporter_id = db.session.scalar(select(ImportJob.id)), sake.exporter.id
    pages = {url: client.get(url, headers=EN).get_data(as_text=True) for url in (
        f"/visitors/{CHIYODA}/2024-01/history", f"/exports/exporters/{exporter_id}/history?month=2024-01",
        "/imports/", f"/imports/{job_id}", "/account")}
    for url, page in pages.items():
        assert "2024-05-01 12:39 JST" in page, url
        assert "03:39" not in page, url
    assert "2024-07-31 00:00 JST" in pages["/account"]


def test_a_log_in_with_an_overlong_or_nul_email_is_recorded_cut_to_fit(client):
    typed = "\x00a" + "x" * 400 + "@example.jp"
    assert client.post("/login", data={"email": typed, "password": "wrong"}).status_code == 200
    db.session.rollback()
    [event] = db.session.scalars(select(LoginEvent))
    assert event.email == ("a" + "x" * 400)[:254] and event.outcome == "failed"

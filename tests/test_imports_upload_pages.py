"""The visitors', exports' and affiliations' upload pages are one page: each asks its own policy, shows its own
template and queues a job of its own kind."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import ImportJob

EN = {"Accept-Language": "en"}
PAGES = [("/visitors/import", "visitors", "area_code,year,month,market,visitors\n"),
         ("/exports/import", "exports", "exporter,area_code,year,month,product,hs_code,destination,quantity,"
                                        "unit,value_jpy\n"),
         ("/affiliations/import", "affiliations", "area_code,partner_name\n")]


@pytest.mark.parametrize(("url", "kind", "content"), PAGES)
def test_each_upload_page_refuses_by_its_policy_and_queues_a_job_of_its_kind(client, auth, url, kind, content):
    viewer, admin = factories.user("viewer", language="en"), factories.user("admin", language="en")
    db.session.commit()
    auth.login(viewer.email)
    assert client.get(url).status_code == 403
    auth.logout()

    auth.login(admin.email)
    page = client.get(url, headers=EN)
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    answer = client.post(url, data={"file": (io.BytesIO(content.encode()), "lines.csv")},
                         headers={"X-Requested-With": "fetch", **EN})
    assert answer.status_code == 202
    db.session.rollback()
    job = db.session.scalar(select(ImportJob))
    assert (answer.json["job"], job.kind, job.filename, job.user_id) == (job.id, kind, "lines.csv", admin.id)
    assert answer.json["page"] == f"/imports/{job.id}"


def test_an_upload_without_a_file_shows_the_page_again_and_queues_nothing(client, auth):
    auth.login(factories.user("admin", language="en").email)
    answer = client.post("/exports/import", data={}, headers=EN)
    assert answer.status_code == 200 and "Columns:" in answer.get_data(as_text=True)
    assert db.session.scalar(select(ImportJob)) is None

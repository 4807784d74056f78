import re

from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import User


def test_the_new_account_form_starts_on_the_viewer_role(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    page = client.get("/admin/users/new").get_data(as_text=True)
    selected = re.findall(r'<option selected value="(\w+)">|<option value="(\w+)" selected>', page)
    assert [next(filter(None, pair)) for pair in selected] == ["viewer"]


def test_an_account_created_without_choosing_a_role_is_a_viewer(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/admin/users/new", data={"email": "new@example.jp", "name": "新人",
                                                      "password": "long enough pw", "active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.role).where(User.email == "new@example.jp")) == "viewer"

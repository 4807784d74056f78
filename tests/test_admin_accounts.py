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


def test_the_users_list_names_each_accounts_state_in_words_in_both_languages(client, auth):
    """As the account form does (Active, 有効), not "yes" and "no", which say nothing without the column's heading."""
    admin = factories.user("admin", email="admin@example.jp", language="en")
    factories.user("viewer", email="gone@example.jp", active=False)
    db.session.commit()
    auth.login(admin.email)
    for language, active, inactive in (("en", "Active", "Inactive"), ("ja", "有効", "無効")):
        admin.language = language
        db.session.commit()
        page = client.get("/admin/users").get_data(as_text=True)
        states = dict(re.findall(r'>([\w.@-]+@example\.jp)</a></td>.*?<td>([^<]*)</td>\s*</tr>', page, re.S))
        assert states == {"admin@example.jp": active, "gone@example.jp": inactive}
        # the column is the account's state, not one of its values ("Inactive" under "Active")
        assert re.search(r'<th scope="col">([^<]*)</th></tr></thead>', page).group(1) == {"en": "State", "ja": "状態"}[
            language]

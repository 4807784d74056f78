"""Whom the reporting cycle asks about a unit: the active accounts of the role that reports it, nobody else."""

from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import User
from tracker.notifications.queries import unit_recipients
from tracker.reporting.queries import Contact, contacts, reporters


def test_a_late_area_is_asked_of_its_active_officers_only(app):
    shibuya = factories.area("131130")
    factories.user("officer", areas=[shibuya], email="b@example.jp").name = "Bさん"
    factories.user("officer", areas=[shibuya], email="a@example.jp").name = "Aさん"
    factories.user("officer", areas=[shibuya], email="gone@example.jp", active=False)
    factories.user("viewer", areas=[shibuya], email="viewer@example.jp")
    factories.user("officer", areas=[shibuya.parent], email="tokyo@example.jp")
    db.session.flush()
    assert contacts("visitors", [shibuya.id]) == {
        shibuya.id: [Contact("Aさん", "a@example.jp"), Contact("Bさん", "b@example.jp")]}


def test_a_late_exporter_is_asked_of_its_contact_and_its_accounts(app):
    exporter = factories.new_exporter(factories.area("131016"))
    exporter.contact = "sales@sake.example.jp"
    seller = factories.user("exporter", exporter=exporter, email="seller@example.jp")
    factories.user("exporter", exporter=factories.new_exporter(), email="other@example.jp")
    db.session.flush()
    assert contacts("exports", [exporter.id]) == {
        exporter.id: [Contact("", "sales@sake.example.jp"), Contact(seller.name, "seller@example.jp")]}


def test_reminders_go_to_the_reporters_who_keep_them_on(app):
    shibuya = factories.area("131130")
    keeps = factories.user("officer", areas=[shibuya])
    factories.user("officer", areas=[shibuya]).reminders = False
    factories.user("admin")
    db.session.flush()
    assert unit_recipients("visitors", [shibuya.id]) == {shibuya.id: [keeps]}
    everyone = db.session.execute(reporters("visitors", [shibuya.id]).order_by(User.id)).all()
    assert [user.id for _area_id, user in everyone] == sorted(
        db.session.scalars(select(User.id).where(User.role == "officer")))

"""Writes of the register from its form: one affiliation added or changed, with its revision."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tracker import policy
from tracker.affiliations.values import AffiliationValues, check
from tracker.database import lock_registry
from tracker.extensions import db
from tracker.form_errors import FieldErrors
from tracker.models import Affiliation, Area, User
from tracker.revisions import Change, Field, IfGiven, RevisionFormat, Template, keep_creations, record_changes

TABLE = "affiliations"
# "420000/US/Saint Paul": one area's ties share a prefix of the history
REVISIONS = RevisionFormat(
    TABLE,
    key=Template((Field("area_code"), "/", Field("country"), "/", Field("partner_name_en"))),
    value=Template((Field("kind"), " ", Field("partner_level"), ": ", Field("partner_name"), "; ",
                    Field("established_year"), IfGiven("established_on", (" (", Field("established_on"), ")")),
                    IfGiven("ended_year", (" - ", Field("ended_year"),
                                           IfGiven("ended_on", (" (", Field("ended_on"), ")")))),
                    "; fields: ", Field("fields"), "; note: ", Field("note"))),
)
# the stored columns the revision's value is written from (the import engine compares the same ones)
VALUES = ("partner_name", "partner_level", "kind", "established_year", "established_on", "ended_year", "ended_on",
          "fields", "note")


class AffiliationSaveError(FieldErrors):
    """Refused, with the reason by form field (or "" for the whole form)."""


def save_affiliation(user: User, area: Area, raw: dict[str, str], *, affiliation: Affiliation | None = None,
                     version: int | None = None, today: date | None = None) -> Affiliation:
    """Add a tie of the area (`affiliation` None) or change one, in the caller's transaction."""
    if not policy.can_write_affiliations(user, area) or (affiliation is not None and affiliation.area_id != area.id):
        raise PermissionError(_("You may not change the affiliations of this area."))
    if area.level == "nation":
        raise AffiliationSaveError({"": _("A tie belongs to a prefecture or a municipality, not to the nation.")})
    values, errors = check(raw, today or date.today())
    if values is None:
        raise AffiliationSaveError(errors)
    lock_registry(TABLE)
    if affiliation is not None:
        db.session.refresh(affiliation)
        if version is not None and affiliation.version != version:
            raise AffiliationSaveError({"": _("Someone else saved this affiliation since you opened the form; "
                                              "nothing was saved. Check it and save again.")}, conflict=True)
    same_key = db.session.scalar(select(Affiliation.id).where(
        Affiliation.area_id == area.id, Affiliation.country == values.country,
        Affiliation.partner_name_en == values.partner_name_en))
    if same_key is not None and (affiliation is None or same_key != affiliation.id):
        raise AffiliationSaveError({"partner_name_en": _("This area already has a tie with %(partner)s (%(country)s).",
                                                         partner=values.partner_name_en, country=values.country)})
    old_key = old_value = None
    if affiliation is not None:
        old_key, old_value = _key(area, affiliation.country, affiliation.partner_name_en), _value(affiliation)
        _keep_creation(affiliation, old_key, _key(area, values.country, values.partner_name_en))
    if affiliation is None:
        affiliation = Affiliation(area_id=area.id, version=1)
        db.session.add(affiliation)
    elif _stored(values) == {name: getattr(affiliation, name) for name in VALUES} \
            and (values.country, values.partner_name_en) == (affiliation.country, affiliation.partner_name_en):
        return affiliation  # nothing changed: no revision, the version stays
    else:
        affiliation.version += 1
    affiliation.country, affiliation.partner_name_en = values.country, values.partner_name_en
    for name, value in _stored(values).items():
        setattr(affiliation, name, value)
    affiliation.updated_by_id = user.id
    db.session.flush()
    new_key = _key(area, affiliation.country, affiliation.partner_name_en)
    changes = [Change(new_key, old_value if old_key == new_key else None, _value(affiliation),
                      "" if old_key in (None, new_key) else f"renamed from {old_key}")]
    if old_key not in (None, new_key):
        changes.insert(0, Change(old_key, old_value, None, f"renamed to {new_key}"))
    record_changes(TABLE, changes, source="form", user_id=user.id, area_id=area.id)
    return affiliation


def _keep_creation(affiliation: Affiliation, old_key: str, new_key: str) -> None:
    """A tie that an import created is renamed: its batch revision is expanded under the key the tie has now, which
    would show its creation under the new name (with its value after the rename), so the creation is written out
    under the name it was created with, and the tie no longer stands in its batch's revision."""
    if affiliation.created_batch_id is not None and old_key != new_key:
        keep_creations(TABLE, [affiliation.id])
        affiliation.created_batch_id = None


def _stored(values: AffiliationValues) -> dict[str, object]:
    ended = values.ended
    return {"partner_name": values.partner_name, "partner_level": values.partner_level, "kind": values.kind,
            "established_year": values.established.year, "established_on": values.established.on,
            "ended_year": ended.year if ended else None, "ended_on": ended.on if ended else None,
            "fields": values.fields, "note": values.note}


def _key(area: Area, country: str, partner_name_en: str) -> str:
    return REVISIONS.key_text(area_code=area.code, country=country, partner_name_en=partner_name_en)


def _value(affiliation: Affiliation) -> str | None:
    return REVISIONS.value_text(**{name: getattr(affiliation, name) for name in VALUES})

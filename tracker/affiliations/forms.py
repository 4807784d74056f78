"""Forms of the register: one tie, and the upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField, widgets

from tracker.affiliations.labels import FIELD_LABELS, KIND_LABELS, LEVEL_LABELS
from tracker.affiliations.values import countries
from tracker.formatting import market_name


def _country_choices():
    return [("", "")] + sorted(((code, f"{market_name(code)} ({code})") for code in countries()),
                               key=lambda choice: choice[1])


class AffiliationForm(FlaskForm):
    """The values are checked by the service (`tracker.affiliations.values`), with the import's words."""

    partner_name = StringField(_l("Partner's name as written locally"))
    partner_name_en = StringField(_l("Partner's name in English"))
    country = SelectField(_l("Country"), choices=_country_choices, validate_choice=False)
    partner_level = SelectField(_l("Partner"), choices=lambda: [(k, str(v)) for k, v in LEVEL_LABELS.items()],
                                validate_choice=False)
    kind = SelectField(_l("Kind of tie"), choices=lambda: [(k, str(v)) for k, v in KIND_LABELS.items()],
                       validate_choice=False)
    established = StringField(_l("Established (YYYY or YYYY-MM-DD)"))
    ended = StringField(_l("Ended (YYYY or YYYY-MM-DD; empty while it lasts)"))
    fields = SelectMultipleField(_l("Fields of exchange"),
                                 choices=lambda: [(k, str(v)) for k, v in FIELD_LABELS.items()],
                                 validate_choice=False, widget=widgets.ListWidget(prefix_label=False),
                                 option_widget=widgets.CheckboxInput())
    note = TextAreaField(_l("Note"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def raw(self) -> dict[str, str]:
        """The values as the service (and a file's cells) take them."""
        return {"partner_name": self.partner_name.data or "", "partner_name_en": self.partner_name_en.data or "",
                "country": self.country.data or "", "partner_level": self.partner_level.data or "",
                "kind": self.kind.data or "", "established": self.established.data or "",
                "ended": self.ended.data or "", "fields": ";".join(self.fields.data or []),
                "note": self.note.data or ""}

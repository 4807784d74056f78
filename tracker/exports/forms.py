"""Forms for exporters, products and a month's sales."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.exports.services import SaleInput, SaleKey, hs_code_error
from tracker.models import UNITS
from tracker.pickers import AreaField, MarketField
from tracker.text import halfwidth, parse_amount

_DECIMAL = re.compile(r"\d+(\.\d{1,3})?", re.ASCII)
# how each stored unit reads on a page; files and the API keep the stored codes. The symbols kg and L read
# alike in both languages; pieces and tonnes are words.
UNIT_LABELS = {
    "kg": "kg",
    "l": "L",
    "pcs": _l("pcs"),
    "t": _l("t"),
}


def unit_label(unit: str | None) -> str:
    return str(UNIT_LABELS.get(unit, unit)) if unit else ""


def _unit_choices():
    return [("", _l("(no unit)"))] + [(unit, UNIT_LABELS[unit]) for unit in UNITS]


def parse_quantity(text: str | None) -> Decimal | None:
    text = halfwidth(text or "").replace(",", "")
    if not text:
        return None
    if not _DECIMAL.fullmatch(text):
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error


class ExporterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English (optional; English pages show the name above without it)"),
                          validators=[Optional(), Length(max=200)])
    area_code = AreaField(_l("Municipality (a name from the list, or its 6-digit local-government code)"),
                          validators=[DataRequired()], render_kw={"list": "municipalities", "autocomplete": "off"})
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save"))


class ProductForm(FlaskForm):
    name_ja = StringField(_l("Name (Japanese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    hs_code = StringField(_l("HS code (6 digits, optional)"), validators=[Optional()])
    origin_area_code = AreaField(_l("Origin area (optional: a name from the list, or its local-government code)"),
                                 validators=[Optional()], render_kw={"list": "areas", "autocomplete": "off"})
    default_unit = SelectField(_l("Default unit"), choices=_unit_choices)
    submit = SubmitField(_l("Save"))

    def validate_hs_code(self, field):
        message = hs_code_error(halfwidth(field.data or ""))
        if field.data and message:
            raise ValidationError(message)


class SaleRowForm(Form):
    """One product x destination line; no CSRF of its own (the month's form carries it)."""

    product = SelectField(_l("Product"), coerce=int, validate_choice=False)
    destination = MarketField(_l("Destination"), render_kw={"list": "markets", "autocomplete": "off"})
    value_jpy = StringField(_l("Value (yen)"))
    quantity = StringField(_l("Quantity"))
    # checked in validate_unit, so that a missing unit reads as "no unit" rather than an invalid choice
    unit = SelectField(_l("Unit"), choices=_unit_choices, validate_choice=False)

    def validate_unit(self, field):
        field.data = field.data or ""
        if field.data and field.data not in UNITS:
            raise ValidationError(_l("The unit must be kg, l, pcs or t."))

    def validate_value_jpy(self, field):
        try:
            parse_amount(field.data)
        except ValueError:
            raise ValidationError(_l("The value is a whole number of yen, 0 or more.")) from None

    def validate_quantity(self, field):
        try:
            quantity = parse_quantity(field.data)
        except ValueError:
            raise ValidationError(_l("The quantity is a number of 0 or more (up to 3 decimals).")) from None
        if quantity is not None and not self.unit.data:
            raise ValidationError(_l("Give the unit of the quantity."))
        if quantity is not None and not (self.value_jpy.data or "").strip():
            raise ValidationError(_l("Give the value of this sale as well."))

    def validate_destination(self, field):
        if field.data and not re.fullmatch(r"[A-Z]{2}", field.data):
            raise ValidationError(_l("Unknown destination: %(text)s. Pick one from the list, or give its code "
                                     "(e.g. HK).", text=field.data))
        if not field.data and (self.value_jpy.data or "").strip():
            raise ValidationError(_l("Give the destination of this sale."))

    def validate(self, extra_validators=None) -> bool:
        # a blank line is no sale: nothing in it (a destination pre-filled from last year) is checked or saved
        return self.is_blank() or super().validate(extra_validators)

    def is_blank(self) -> bool:
        """A line without value or quantity: no sale, whatever destination last year's line put in it (a sale read
        into it and cleared is removed through the form's `read` versions)."""
        return not (self.value_jpy.data or "").strip() and not (self.quantity.data or "").strip()

    def sale_input(self) -> SaleInput:
        quantity = parse_quantity(self.quantity.data)
        return SaleInput(product_id=self.product.data, destination=self.destination.data,
                         value_jpy=parse_amount(self.value_jpy.data), quantity=quantity,
                         unit=(self.unit.data or None) if quantity is not None else None)


def read_text(versions: dict[SaleKey, int]) -> str:
    """The versions of the sales a form shows, for its hidden `read` field: "12:HK:3 12:US:1"."""
    return " ".join(f"{product_id}:{destination}:{version}"
                    for (product_id, destination), version in sorted(versions.items()))


def parse_read(text: str | None) -> dict[SaleKey, int]:
    versions = {}
    for item in (text or "").split():
        product_id, destination, version = item.split(":")
        versions[(int(product_id), destination)] = int(version)
    return versions


class MonthSalesForm(FlaskForm):
    rows = FieldList(FormField(SaleRowForm), min_entries=0)
    # the sales as the form showed them, each with its version: the conflict check and removals rely on it
    read = HiddenField()
    note = TextAreaField(_l("Note for the revision history (optional)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save the month"))

    def validate_read(self, field):
        try:
            parse_read(field.data)
        except ValueError:
            raise ValidationError(_l("This form is out of date: open the month again.")) from None

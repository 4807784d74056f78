"""A service's errors shown on the form that sent its input: the one mapping every view uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from wtforms import Form

# a field of the form by its name, or a field of one of its lines by (line position, field name)
ErrorKey = str | tuple[int, str]


# what a page says above its form when someone else saved first, whatever the page; it may add a comparison below
STALE_FORM = _l("Someone else saved some of these figures since you opened the form; nothing was saved. "
                "Compare your figures with the saved ones below and save again.")


class FieldErrors(ValueError):
    """A service's refusal: `errors` maps each field, or a line's (position, field), to its message. `conflict`
    when the input is fine but someone else's write stands in its way (a save since the form was read, a lost
    race, an approved month)."""

    def __init__(self, errors: Mapping[ErrorKey, str], *, conflict: bool = False):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
        self.conflict = conflict


def refusal_status(*, conflict: bool) -> int:
    """A refused form's status, as the API answers: 409 for a conflict, 422 for input to correct."""
    return 409 if conflict else 422


def apply_errors(form: Form, errors: Mapping[ErrorKey, str], lines: Sequence[Form] = ()) -> None:
    """Each message under its field; a message for no field of the form goes above the form."""
    for key, message in errors.items():
        if isinstance(key, tuple):
            position, name = key
            lines[position][name].errors.append(message)
        elif key in form:
            form[key].errors.append(message)
        else:
            form.form_errors.append(message)

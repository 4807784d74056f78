"""A service's errors shown on the form that sent its input: the one mapping every view uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wtforms import Form

# a field of the form by its name, or a field of one of its lines by (line position, field name)
ErrorKey = str | tuple[int, str]


class FieldErrors(ValueError):
    """A service's refusal of bad input: `errors` maps each field, or a line's (position, field), to its message."""

    def __init__(self, errors: Mapping[ErrorKey, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


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

"""The password rules: long enough, and not one of the passwords attackers try first.

`common-passwords.txt.gz` is the list Django ships (django/contrib/auth/common-passwords.txt.gz, BSD-3-Clause):
the 20,000 most common passwords compiled by Royce Williams from leaked-password corpora, lower-cased.
"""

from __future__ import annotations

import gzip
import os
from functools import cache

from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = os.path.join(os.path.dirname(__file__), "common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str):
    """Why the password is refused (a translatable message), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if password.strip().lower() in common_passwords():
        return _l("This password is one of the most common ones: choose another.")
    return None

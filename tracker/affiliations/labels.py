"""How the register's stored words read on a page, in the active language (files and the API keep the words)."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"sister": _l("Sister"), "friendship": _l("Friendship"), "other": _l("Other tie")}
LEVEL_LABELS = {"city": _l("City"), "state": _l("State or province"), "other": _l("Other partner")}
FIELD_LABELS = {"education": _l("Education"), "culture": _l("Culture"), "economy": _l("Economy"),
                "tourism": _l("Tourism"), "sports": _l("Sports"), "administration": _l("Administration")}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def field_labels(fields: list[str]) -> str:
    return ", ".join(str(FIELD_LABELS.get(field, field)) for field in fields)

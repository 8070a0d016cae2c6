"""Translated labels for values stored in English (roles, file kinds, ...)."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {"admin": _l("admin"), "teacher": _l("teacher"), "student": _l("student")}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))

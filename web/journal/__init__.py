"""The electronic journal: marks, attendance, quarters, audit history."""

from flask import Blueprint

import appliance.models  # noqa: F401  (connects the journal's receivers to the grading signals)

bp = Blueprint("journal", __name__)

from web.journal import admin, routes  # noqa: E402,F401

"""Assignment pages: instructions, submissions, feedback and marks."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)

from web.assignments import routes  # noqa: E402,F401

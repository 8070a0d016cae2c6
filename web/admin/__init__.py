"""School administration: the school's look, users, classes, login cards, CSV import."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from web.admin import imports, network, settings, sync, users  # noqa: E402,F401  (routes register on bp)

"""The hub's sync endpoints (/sync/v1/...): JSON in and out, gzip bodies, per-node HMAC."""

from flask import Blueprint

bp = Blueprint("sync", __name__, url_prefix="/sync")

from web.sync import routes  # noqa: E402,F401

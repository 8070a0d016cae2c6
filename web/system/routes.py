"""Machine-readable endpoints for monitoring and discovery."""

from flask import Blueprint, current_app, jsonify

from appliance import API_VERSION, __version__
from appliance.db import database_ok
from appliance.school.services import get_settings

bp = Blueprint("system", __name__)


@bp.route("/healthz")
def healthz():
    ok = database_ok()
    body = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "role": current_app.config["MEKTEP"].role,
        "database": ok,
    }
    return jsonify(body), 200 if ok else 503


@bp.route("/api/v1/info")
def info():
    settings = get_settings()
    identity = current_app.config["IDENTITY"]
    return jsonify(
        {
            "node_id": identity["node_id"],
            "school": settings["school_name"],
            "oblast": settings["oblast"],
            "version": __version__,
            "api": API_VERSION,
            "role": current_app.config["MEKTEP"].role,
        }
    )

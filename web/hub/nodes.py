"""Enrollment tokens (made by the sync service, printed here) and the enrolled nodes."""

from __future__ import annotations

import datetime as dt
import importlib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.db import utcnow
from appliance.errors import DomainError
from appliance.hub import registry
from appliance.hub.models import EnrollmentToken
from web.errors import error_message
from web.hub import bp

TOKEN_HOURS = (24, 72, 168)


def _service(name: str):
    """A function of the sync service's hub modules (None until they are installed)."""
    for module in ("appliance.hub.tokens", "appliance.hub.enrollment"):
        try:
            function = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if function is not None:
            return function
    return None


def _expiry(token: str, hours: int) -> dt.datetime:
    """When the token just made expires, as the token service stored it."""
    token_hash = _service("token_hash")
    row = EnrollmentToken.get_or_none(EnrollmentToken.token_hash == token_hash(token)) if token_hash else None
    return row.expires_at if row else utcnow() + dt.timedelta(hours=hours)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    create_token = _service("create_token")
    if request.method == "POST" and create_token is not None:
        code = request.form.get("school", "")
        hours = request.form.get("hours", 72, type=int)
        hours = hours if hours in TOKEN_HOURS else 72
        try:
            school = registry.get_school(code)
            token = create_token(school.code, hours=hours)
        except DomainError as exc:
            flash(error_message(exc), "error")
        else:
            hub_url = request.url_root.rstrip("/")
            return render_template("hub/token_sheet.html", school=school, token=token, hub_url=hub_url,
                                   expires_at=_expiry(token, hours))
    return render_template("hub/tokens.html", schools=registry.list_schools(), hours=TOKEN_HOURS,
                           available=create_token is not None, selected=request.values.get("school", ""))


@bp.route("/nodes")
def nodes():
    return render_template("hub/nodes.html", nodes=registry.list_nodes(),
                           can_revoke=_service("revoke_node") is not None)


@bp.route("/nodes/<node_id>/revoke", methods=["POST"])
def revoke(node_id):
    revoke_node = _service("revoke_node")
    if revoke_node is None:
        abort(404)
    node = registry.get_node(node_id)
    try:
        revoke_node(node.node_id)
        flash(_("Node %(node)s of %(school)s is revoked: it can no longer sync.",
                node=node.node_id, school=node.school.name), "ok")
    except DomainError as exc:
        flash(error_message(exc), "error")
    return redirect(url_for("hub.nodes"))

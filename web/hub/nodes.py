"""Enrollment tokens (made by the sync service, printed here) and the enrolled nodes."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.db import utcnow
from appliance.errors import DomainError
from appliance.hub import registry
from appliance.hub import tokens as tokens_service
from appliance.hub.models import EnrollmentToken
from web.errors import error_message
from web.hub import bp

TOKEN_HOURS = (24, 72, 168)


def _expiry(token: str, hours: int) -> dt.datetime:
    """When the token just made expires, as the token service stored it."""
    row = EnrollmentToken.get_or_none(
        EnrollmentToken.token_hash == tokens_service.token_hash(token)
    )
    return row.expires_at if row else utcnow() + dt.timedelta(hours=hours)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    if request.method == "POST":
        code = request.form.get("school", "")
        hours = request.form.get("hours", 72, type=int)
        hours = hours if hours in TOKEN_HOURS else 72
        try:
            school = registry.get_school(code)
            token = tokens_service.create_token(school.code, hours=hours)
        except DomainError as exc:
            flash(error_message(exc), "error")
        else:
            hub_url = request.url_root.rstrip("/")
            return render_template(
                "hub/token_sheet.html",
                school=school,
                token=token,
                hub_url=hub_url,
                expires_at=_expiry(token, hours),
            )
    return render_template(
        "hub/tokens.html",
        schools=registry.list_schools(),
        hours=TOKEN_HOURS,
        selected=request.values.get("school", ""),
    )


@bp.route("/nodes")
def nodes():
    return render_template("hub/nodes.html", nodes=registry.list_nodes())


@bp.route("/nodes/<node_id>/revoke", methods=["POST"])
def revoke(node_id):
    node = registry.get_node(node_id)
    try:
        tokens_service.revoke_node(node.node_id)
        flash(
            _(
                "Node %(node)s of %(school)s is revoked: it can no longer sync.",
                node=node.node_id,
                school=node.school.name,
            ),
            "ok",
        )
    except DomainError as exc:
        flash(error_message(exc), "error")
    return redirect(url_for("hub.nodes"))

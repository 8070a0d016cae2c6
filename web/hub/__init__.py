"""The hub's own pages: registry of schools, enrollment tokens, nodes and reports.

They exist only on a hub (role = "hub"): on a school's node every one of them is a 404.
Only the hub's admins open them.
"""

from flask import Blueprint, abort, current_app, redirect, request, url_for

from web.auth.session import current_user

bp = Blueprint("hub", __name__, url_prefix="/hub")


@bp.before_request
def _hub_admins_only():
    if current_app.config["MEKTEP"].role != "hub":
        abort(404)
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not user.is_admin:
        abort(403)
    return None


from web.hub import nodes, report_pages, schools  # noqa: E402,F401  (routes register on bp)

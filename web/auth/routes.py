"""Login, logout, password change and the interface language."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from appliance.accounts import services as accounts
from appliance.errors import ValidationError
from web.auth.session import current_user, log_in, log_out, login_required, refresh_stamp
from web.errors import error_message
from web.i18n import LANGUAGES

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: never send a user to another host after login.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlparse(target).netloc
    ):
        return target
    return url_for("courses.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if current_user():
            return redirect(url_for("courses.home"))
        return render_template("auth/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip().lower()
    password = request.form.get("password", "")
    by_user = current_app.extensions["login_throttle_user"]
    by_addr = current_app.extensions["login_throttle_addr"]
    user_key, addr_key = f"u:{username}", f"a:{request.remote_addr}"
    wait = max(by_user.retry_after(user_key), by_addr.retry_after(addr_key))
    if wait:
        flash(
            _("Too many failed attempts. Try again in %(minutes)s min.", minutes=(wait + 59) // 60),
            "error",
        )
        return render_template(
            "auth/login.html", next=request.form.get("next", ""), username=username
        ), 429
    user = accounts.authenticate(username, password)
    if user is None:
        by_user.failed(user_key)
        by_addr.failed(addr_key)
        flash(_("Wrong username or password."), "error")
        return render_template(
            "auth/login.html", next=request.form.get("next", ""), username=username
        ), 401
    by_user.succeeded(user_key)
    lang = session.get("lang")
    log_in(user)
    if not user.language and lang in LANGUAGES:
        accounts.set_language(user, lang)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/logout", methods=["POST"])
def logout():
    log_out()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language():
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        user = current_user()
        if user is not None:
            accounts.set_language(user, lang)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "POST":
        new = request.form.get("new_password", "")
        if new != request.form.get("confirm_password", ""):
            flash(_("The two new passwords differ."), "error")
        else:
            try:
                user = current_user()
                accounts.change_password(user, request.form.get("old_password", ""), new)
                refresh_stamp(user)
                flash(_("Your password has been changed."), "ok")
                return redirect(url_for("courses.home"))
            except ValidationError as exc:
                flash(error_message(exc), "error")
    return render_template("auth/password.html")

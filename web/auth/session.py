"""Who is logged in, and decorators that demand a login or a role."""

from __future__ import annotations

import functools
import hashlib

from flask import abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from appliance.accounts.models import User


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie static files never set.

    Flask re-sends a permanent session's cookie on every response. A stylesheet or icon still
    loading when the next page changes the session (a flash, a login) would answer later with
    the older cookie and undo that change; static files do not touch the session, so they
    leave the cookie alone.
    """

    def should_set_cookie(self, app, session) -> bool:
        return request.endpoint != "static" and super().should_set_cookie(app, session)


def _stamp(user: User) -> str:
    # Changing the password changes the stamp, which ends the user's other sessions.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def log_in(user: User) -> None:
    session.clear()
    session["uid"] = user.id
    session["stamp"] = _stamp(user)
    session.permanent = True


def refresh_stamp(user: User) -> None:
    session["stamp"] = _stamp(user)


def log_out() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def current_user() -> User | None:
    if "user" not in g:
        g.user = None
        uid = session.get("uid")
        if uid:
            user = User.get_or_none((User.id == uid) & (User.deleted == False))  # noqa: E712
            if user and user.active and session.get("stamp") == _stamp(user):
                g.user = user
    return g.user


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: str):
    """Only users with one of ``roles`` may open the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator

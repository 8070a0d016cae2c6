"""The Flask application factory: defaults → config → extensions → blueprints."""

from __future__ import annotations

import logging

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect

from appliance import __version__
from appliance.accounts import passwords
from appliance.accounts.throttle import LoginThrottle
from appliance.config import Config, load_config, secret_key
from appliance.content import ContentStore
from appliance.db import db, init_database
from appliance.migrate import require_migrated
from appliance.school.services import ensure_identity

csrf = CSRFProtect()


def create_app(config: Config | None = None, check_migrated: bool = True) -> Flask:
    """Build the web application for the node (or hub) described by ``config``."""
    config = config or load_config()
    app = Flask(__name__)
    from web.auth.session import SessionInterface

    app.session_interface = SessionInterface()
    app.config.update(
        SECRET_KEY=secret_key(config),
        MAX_CONTENT_LENGTH=config.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # A quiz or lesson page left open for a double period must still submit.
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        MEKTEP=config,
        JSON_AS_ASCII=False,
    )
    logging.basicConfig(level=config.log_level)

    init_database(config)
    if check_migrated:
        require_migrated()
    identity = ensure_identity(config.role)
    app.config["IDENTITY"] = identity
    app.extensions["content_store"] = ContentStore(config.content_dir)
    passwords.set_concurrency(config.hash_concurrency)
    app.extensions["login_throttle_user"] = LoginThrottle(
        config.login_attempts, config.login_window
    )
    # A classroom PC is shared by several pupils: allow more failures per address than per name.
    app.extensions["login_throttle_addr"] = LoginThrottle(
        config.login_attempts * 4, config.login_window
    )

    csrf.init_app(app)
    from web import i18n

    i18n.init_app(app)

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()

    @app.context_processor
    def _globals():
        from appliance.school.services import get_settings

        if "school" not in g:
            g.school = get_settings()
        from web.auth.session import current_user
        from web.labels import role_label

        return {
            "role_label": role_label,
            "school": g.school,
            "version": __version__,
            "role": config.role,
            "current_user": current_user,
        }

    from web.admin import bp as admin_bp
    from web.assignments import bp as assignments_bp
    from web.auth.routes import bp as auth_bp
    from web.courses.routes import bp as courses_bp
    from web.errors import register_error_handlers
    from web.hub import bp as hub_bp
    from web.journal import bp as journal_bp
    from web.quizzes import bp as quizzes_bp
    from web.sync import bp as sync_bp
    from web.system.routes import bp as system_bp

    for blueprint in (
        system_bp,
        auth_bp,
        admin_bp,
        courses_bp,
        quizzes_bp,
        journal_bp,
        assignments_bp,
        sync_bp,
        hub_bp,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)

    @app.after_request
    def _security_headers(response):
        # Nothing on the LAN may load from elsewhere (there is no internet anyway).
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; object-src 'self'; frame-ancestors 'self'; base-uri 'self'; "
            "form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app

"""The admin's Sync page: what reached the hub, what is pending, clock skew, and "Sync now"."""

from __future__ import annotations

import threading

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from appliance.db import db
from web.admin import bp
from web.auth.session import role_required

_running = threading.Lock()


def _sync_in_background(app) -> None:
    """One sync in a thread of the web process; its progress and outcome land in sync_state."""
    from sync.client import run_sync

    try:
        with app.app_context():
            db.connect(reuse_if_open=True)
            try:
                run_sync(
                    app.config["MEKTEP"].home / "sync.lock",
                    batch_size=min(max(app.config["MEKTEP"].sync_batch, 1), 5000),
                )
            except Exception:  # noqa: BLE001 — already recorded as last_error for the page
                pass
            finally:
                db.close()
    finally:
        _running.release()


@bp.route("/sync")
@role_required("admin")
def sync_page():
    from sync.client import status

    return render_template(
        "admin/sync.html",
        info=status(),
        busy=_running.locked(),
        config_interval=current_app.config["MEKTEP"].sync_interval,
    )


@bp.post("/sync/now")
@role_required("admin")
def sync_now():
    from sync import state

    if not state.enrolled():
        flash(
            _(
                "This server is not enrolled with a hub yet: run “mektep enroll --hub URL --token TOKEN”."
            ),
            "error",
        )
    elif not _running.acquire(blocking=False):
        flash(_("A sync is already running."), "error")
    else:
        app = current_app._get_current_object()
        threading.Thread(
            target=_sync_in_background, args=(app,), name="sync-now", daemon=True
        ).start()
        flash(_("Sync started. Reload this page to see its progress."), "ok")
    return redirect(url_for("admin.sync_page"))

"""Import students and teachers from a CSV file: upload → preview → confirm → summary."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
from pathlib import Path

from flask import abort, render_template, request
from flask_babel import gettext as _

from appliance.accounts import csv_import
from appliance.accounts import services as accounts
from appliance.errors import DomainError
from web.admin import bp
from web.auth.session import role_required
from web.csv_upload import error_lines, pending_folder, sweep, uploaded_csv
from web.errors import error_message

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _save_pending(data: bytes, preview: csv_import.Preview) -> str:
    """Keep the upload and its generated passwords until the admin confirms; returns a token."""
    folder = pending_folder()
    sweep(folder, "*.json")
    token = secrets.token_urlsafe(24)
    payload = {
        "csv": base64.b64encode(data).decode("ascii"),
        "passwords": {str(k): v for k, v in preview.generated_passwords().items()},
    }
    # The file holds passwords: readable by the service user only.
    fd = os.open(folder / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(payload, out)
    return token


def _pending_path(token: str) -> Path:
    # The token names a file: only our own alphabet, so it can never climb out of the folder.
    if not TOKEN_RE.match(token or ""):
        abort(400)
    return pending_folder() / f"{token}.json"


def _load_pending(path: Path) -> tuple[bytes, dict[int, str]] | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return base64.b64decode(payload["csv"]), {int(k): v for k, v in payload["passwords"].items()}


def _preview_page(preview: csv_import.Preview, token: str | None = None):
    return render_template(
        "admin/import_preview.html", preview=preview, errors=error_lines(preview), token=token
    )


@bp.route("/import", methods=["GET", "POST"])
@role_required("admin")
def import_users():
    if request.method == "GET":
        return render_template("admin/import_form.html", error=None)
    data = uploaded_csv()
    if data is None:
        return render_template("admin/import_form.html", error=_("Choose a CSV file.")), 400
    preview = csv_import.parse(data)
    token = _save_pending(data, preview) if preview.ok else None
    return _preview_page(preview, token), 200 if preview.ok else 422


@bp.route("/import/confirm", methods=["POST"])
@role_required("admin")
def confirm_import():
    path = _pending_path(request.form.get("token", ""))
    pending = _load_pending(path)
    if pending is None:
        return render_template(
            "admin/import_form.html",
            error=_("This import has expired or was already done. Upload the file again."),
        ), 410
    data, chosen = pending
    # Validate again: users may have been added since the preview.
    preview = csv_import.parse(data, chosen)
    try:
        if not preview.ok:
            return _preview_page(preview), 422
        csv_import.apply_import(preview)
    except DomainError as exc:
        return render_template("admin/import_form.html", error=error_message(exc)), 409
    finally:
        path.unlink(missing_ok=True)
    classes = [c for c in (accounts.find_class(n) for n in preview.class_names) if c]
    return render_template("admin/import_done.html", preview=preview, classes=classes)

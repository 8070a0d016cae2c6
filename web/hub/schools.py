"""Registry pages: the list of schools with filters, adding and editing, CSV import with preview."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.errors import DomainError, NotFound
from appliance.hub import registry, schools_csv
from web.csv_upload import error_lines, pending_folder, sweep, uploaded_csv
from web.errors import error_message
from web.hub import bp


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.route("/")
def index():
    return render_template("hub/index.html", nodes=registry.list_nodes(include_revoked=False))


@bp.route("/schools")
def schools():
    oblast_id, rayon_id = _int(request.args.get("oblast")), _int(request.args.get("rayon"))
    oblast = registry.get_oblast(oblast_id) if oblast_id else None
    search = request.args.get("q", "")[:100]
    return render_template(
        "hub/schools.html",
        oblasts=registry.oblasts(),
        oblast=oblast,
        rayons=registry.rayons(oblast),
        rayon_id=rayon_id,
        search=search,
        schools=registry.list_schools(oblast_id, rayon_id, search),
    )


def _save(code: str | None):
    """Add (code None) or edit a school from the form; the form again on an error."""
    form = request.form
    school = registry.get_school(code) if code else None
    if request.method == "POST":
        try:
            oblast = registry.get_oblast(_int(form.get("oblast")))
        except NotFound:
            flash(_("Choose the oblast."), "error")
        else:
            try:
                saved, _created = registry.save_school(
                    code or form.get("code", ""),
                    form.get("name", ""),
                    oblast,
                    form.get("rayon", ""),
                    create=code is None,
                )
                flash(_("School %(code)s saved.", code=saved.code), "ok")
                return redirect(url_for("hub.schools", oblast=saved.oblast_id))
            except DomainError as exc:
                flash(error_message(exc), "error")
    values = (
        dict(form)
        if request.method == "POST"
        else (
            {
                "code": school.code,
                "name": school.name,
                "oblast": str(school.oblast_id),
                "rayon": school.rayon.name if school.rayon else "",
            }
            if school
            else {}
        )
    )
    return render_template(
        "hub/school_form.html",
        school=school,
        values=values,
        oblasts=registry.oblasts(),
        rayons=registry.rayons(),
    )


@bp.route("/schools/new", methods=["GET", "POST"])
def new_school():
    return _save(None)


@bp.route("/schools/<code>/edit", methods=["GET", "POST"])
def edit_school(code):
    return _save(code)


DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")


def _pending(digest: str) -> Path:
    # The digest names the file: hex only, so it can never climb out of the folder.
    if not DIGEST_RE.match(digest or ""):
        abort(400)
    return pending_folder() / f"schools-{digest}.csv"


def _keep(data: bytes) -> str:
    """Keep an upload until the admin confirms it; returns its sha256."""
    digest = hashlib.sha256(data).hexdigest()
    path = _pending(digest)
    sweep(path.parent, "schools-*.csv")
    path.write_bytes(data)
    return digest


def _preview_page(preview: schools_csv.Preview, digest: str | None, status: int):
    return render_template(
        "hub/import_preview.html", preview=preview, errors=error_lines(preview), digest=digest
    ), status


@bp.route("/schools/import", methods=["GET", "POST"])
def import_schools():
    if request.method == "GET":
        return render_template("hub/import_form.html", error=None)
    data = uploaded_csv()
    if data is None:
        return render_template("hub/import_form.html", error=_("Choose a CSV file.")), 400
    preview = schools_csv.parse(data)
    digest = _keep(data) if preview.ok else None
    return _preview_page(preview, digest, 200 if preview.ok else 422)


@bp.route("/schools/import/confirm", methods=["POST"])
def confirm_import():
    path = _pending(request.form.get("digest", ""))
    if not path.exists():
        return render_template(
            "hub/import_form.html",
            error=_("This import has expired or was already done. Upload the file again."),
        ), 410
    # Checked again: the registry may have changed since the preview.
    preview = schools_csv.parse(path.read_bytes())
    try:
        if not preview.ok:
            return _preview_page(preview, None, 422)
        counts = schools_csv.apply_import(preview)
    except DomainError as exc:
        return render_template("hub/import_form.html", error=error_message(exc)), 409
    finally:
        path.unlink(missing_ok=True)
    flash(
        _("Imported: %(new)s new schools, %(update)s updated, %(same)s unchanged.", **counts), "ok"
    )
    return redirect(url_for("hub.schools"))

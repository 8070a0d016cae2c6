"""The admin's page: school name, oblast, colours and logo."""

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from appliance.errors import ValidationError
from appliance.school import services as school
from web.admin import bp
from web.auth.session import role_required
from web.errors import error_message

LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
LOGO_MAX = 512 * 1024


@bp.route("/", methods=["GET", "POST"])
@role_required("admin")
def index():
    if request.method == "POST":
        logo_hash = None
        upload = request.files.get("logo")
        try:
            if upload and upload.filename:
                if upload.mimetype not in LOGO_TYPES:
                    raise ValidationError(
                        "The logo must be a PNG, JPEG, GIF or WebP image.", "logo"
                    )
                store = current_app.extensions["content_store"]
                logo_hash, _size = store.put(upload.stream, max_bytes=LOGO_MAX)
                school.update_look(
                    request.form.get("school_name", ""),
                    request.form.get("oblast", ""),
                    request.form.get("primary_colour", ""),
                    request.form.get("accent_colour", ""),
                    f"{logo_hash}:{upload.mimetype}",
                )
            else:
                school.update_look(
                    request.form.get("school_name", ""),
                    request.form.get("oblast", ""),
                    request.form.get("primary_colour", ""),
                    request.form.get("accent_colour", ""),
                )
            flash(_("Settings saved."), "ok")
            return redirect(url_for("admin.index"))
        except ValidationError as exc:
            flash(error_message(exc), "error")
    return render_template(
        "admin/index.html", settings=school.get_settings(), oblasts=school.OBLASTS
    )


@bp.route("/logo")
def logo():
    value = school.get_setting("logo_hash")
    if not value:
        return "", 404
    sha, _sep, mime = value.partition(":")
    path = current_app.extensions["content_store"].path_for(sha)
    response = send_file(path, mimetype=mime or "image/png", conditional=True, max_age=3600)
    return response

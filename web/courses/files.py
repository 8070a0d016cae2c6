"""Course file pages: upload, serve (with HTTP ranges for video seeking), view, rename, remove."""

from __future__ import annotations

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from appliance.courses import resources
from appliance.courses.access import can_edit, get_course
from appliance.courses.filetypes import ALLOWED_TEXT, kind_of
from appliance.courses.services import sections_of
from appliance.errors import ValidationError
from web.auth.session import current_user, login_required
from web.courses.routes import bp
from web.errors import error_message

# Files are content-addressed, so the bytes behind a URL never change; "private" keeps
# shared proxies out because access depends on who is logged in.
CACHE_SECONDS = 24 * 3600


def _store():
    return current_app.extensions["content_store"]


def course_url(course) -> str:
    return url_for("courses.course", course_id=course.id)


@bp.app_template_global()
def section_files(section) -> list:
    """A section's files, for ``courses/_resources.html`` when the page did not group them."""
    return resources.section_resources(section)


@bp.app_template_global()
def files_editable(course) -> bool:
    """Whether the logged-in user may add files to the course."""
    user = current_user()
    return bool(user) and can_edit(user, course)


@bp.app_template_global()
def file_kind(mime: str) -> str:
    return kind_of(mime)


@bp.app_template_global()
def file_size(size: int) -> str:
    """A size for people: KB below a megabyte, MB with one decimal above."""
    if size < 1024 * 1024:
        return _("%(n)s KB", n=max(1, round(size / 1024)))
    return _("%(n)s MB", n=round(size / (1024 * 1024), 1))


@bp.route("/courses/<course_id>/files/new", methods=["GET", "POST"])
@login_required
def upload_file(course_id):
    user = current_user()
    course = get_course(user, course_id, edit=True)
    section_id = request.values.get("section", "")
    page = {
        "course": course,
        "sections": sections_of(course),
        "section_id": section_id,
        "allowed": ALLOWED_TEXT,
        "limit": current_app.config["MEKTEP"].max_upload_mb,
    }
    if request.method == "GET":
        return render_template("courses/resource_upload.html", **page)
    upload = request.files.get("file")
    try:
        resource = resources.add_resource(
            user,
            course,
            upload.stream if upload else io.BytesIO(),
            upload.filename if upload else "",
            store=_store(),
            max_mb=page["limit"],
            section_id=section_id,
            title=request.form.get("title", ""),
        )
    except ValidationError as exc:
        flash(error_message(exc), "error")
        return render_template(
            "courses/resource_upload.html", title=request.form.get("title", ""), **page
        ), 400
    flash(_("The file was added."), "ok")
    return redirect(url_for("courses.view_file", course_id=course.id, resource_id=resource.id))


@bp.route("/courses/<course_id>/files/<resource_id>")
@login_required
def file_bytes(course_id, resource_id):
    resource = resources.get_resource(current_user(), course_id, resource_id)
    path = _store().path_for(resource.sha256)
    if not path.exists():
        return _arriving(), 503, {"Retry-After": "600"}
    # Only the types we accept are shown in the browser; anything else (say a row synced
    # from a newer hub) is downloaded rather than rendered.
    inline = kind_of(resource.mime) != "file" and not request.args.get("download")
    response = send_file(
        path,
        mimetype=resource.mime,
        as_attachment=not inline,
        download_name=resource.filename,
        conditional=True,
        etag=resource.sha256,
    )
    response.cache_control.no_cache = None
    response.cache_control.private = True
    response.cache_control.max_age = CACHE_SECONDS
    return response


def _arriving():
    return render_template(
        "error.html",
        title=_("The file is arriving"),
        message=_(
            "This file is still arriving on this server (it is copied from the hub). "
            "Try again later."
        ),
    )


@bp.route("/courses/<course_id>/files/<resource_id>/view")
@login_required
def view_file(course_id, resource_id):
    user = current_user()
    resource = resources.get_resource(user, course_id, resource_id)
    return render_template(
        "courses/resource_view.html",
        resource=resource,
        course=resource.course,
        kind=kind_of(resource.mime),
        arrived=_store().has(resource.sha256),
        editable=can_edit(user, resource.course),
    )


@bp.route("/courses/<course_id>/files/<resource_id>/rename", methods=["POST"])
@login_required
def rename_file(course_id, resource_id):
    resource = resources.get_resource(current_user(), course_id, resource_id)
    try:
        resources.rename_resource(current_user(), resource, request.form.get("title", ""))
        flash(_("The file was renamed."), "ok")
    except ValidationError as exc:
        flash(error_message(exc), "error")
    return redirect(url_for("courses.view_file", course_id=course_id, resource_id=resource_id))


@bp.route("/courses/<course_id>/files/<resource_id>/delete", methods=["POST"])
@login_required
def delete_file(course_id, resource_id):
    resource = resources.get_resource(current_user(), course_id, resource_id)
    resources.delete_resource(current_user(), resource)
    flash(_("The file '%(title)s' was removed.", title=resource.title), "ok")
    return redirect(course_url(resource.course))

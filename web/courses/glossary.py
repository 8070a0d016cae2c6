"""Glossary pages: the alphabetical index, search, and the entry forms."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.courses import glossary
from appliance.courses.access import can_edit, get_course
from web.auth.session import current_user, login_required
from web.courses.routes import bp, form_page


@bp.route("/courses/<course_id>/glossary")
@login_required
def glossary_index(course_id):
    me = current_user()
    course = get_course(me, course_id)
    q, letter = request.args.get("q", "").strip(), request.args.get("letter", "")
    return render_template(
        "courses/glossary.html",
        course=course,
        q=q,
        letter=letter,
        entries=glossary.entries(course, q, letter),
        letters=glossary.index_letters(course),
        editable=can_edit(me, course),
    )


def _entry_form(course, entry=None):
    me = current_user()
    form = request.form
    context = {
        "course": course,
        "entry": entry,
        "form": form if request.method == "POST" else entry,
    }

    def save():
        term, definition = form.get("term", ""), form.get("definition", "")
        if entry is None:
            glossary.add_entry(me, course, term, definition)
        else:
            glossary.update_entry(me, entry, term, definition)
        return url_for("courses.glossary_index", course_id=course.id)

    return form_page("courses/glossary_form.html", context, save, _("Glossary entry saved."))


@bp.route("/courses/<course_id>/glossary/new", methods=["GET", "POST"])
@login_required
def new_entry(course_id):
    return _entry_form(get_course(current_user(), course_id, edit=True))


@bp.route("/courses/<course_id>/glossary/<entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(course_id, entry_id):
    course = get_course(current_user(), course_id, edit=True)
    return _entry_form(course, glossary.get_entry(course, entry_id))


@bp.route("/courses/<course_id>/glossary/<entry_id>/delete", methods=["POST"])
@login_required
def delete_entry(course_id, entry_id):
    me = current_user()
    course = get_course(me, course_id, edit=True)
    glossary.delete_entry(me, glossary.get_entry(course, entry_id))
    flash(_("Glossary entry deleted."), "ok")
    return redirect(url_for("courses.glossary_index", course_id=course_id))

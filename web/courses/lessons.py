"""Lesson pages: reading a lesson, marking it done, writing and arranging lessons."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.courses import progress, services
from appliance.courses.access import can_edit, get_course
from appliance.courses.markdown import render
from web.auth.session import current_user, login_required
from web.courses.routes import bp, form_page


@bp.route("/courses/<course_id>/lessons/<lesson_id>")
@login_required
def lesson(course_id, lesson_id):
    me = current_user()
    lesson = services.get_lesson(me, course_id, lesson_id)
    mark = progress.record_view(me, lesson)
    before, after = services.neighbours(lesson)
    return render_template(
        "courses/lesson.html",
        course=lesson.course,
        lesson=lesson,
        progress=mark,
        before=before,
        after=after,
        editable=can_edit(me, lesson.course),
    )


@bp.route("/courses/<course_id>/lessons/<lesson_id>/done", methods=["POST"])
@login_required
def lesson_done(course_id, lesson_id):
    me = current_user()
    lesson = services.get_lesson(me, course_id, lesson_id)
    mark = progress.toggle_done(me, lesson)
    flash(_("Marked as done.") if mark.done else _("Marked as not done."), "ok")
    return redirect(url_for("courses.lesson", course_id=course_id, lesson_id=lesson_id))


def _lesson_form(course, lesson=None):
    """Show and save the lesson form; "Preview" renders the text without saving it."""
    me = current_user()
    form = request.form
    context = {
        "course": course,
        "lesson": lesson,
        "sections": services.sections_of(course),
        "form": form if request.method == "POST" else lesson,
        "section_id": form.get("section")
        or request.args.get("section")
        or (lesson.section_id if lesson else ""),
        "preview": lesson.body_html if lesson else None,
    }
    if form.get("action") == "preview":
        context["preview"] = render(form.get("body_md", ""))
        return render_template("courses/lesson_form.html", **context)

    def save():
        title, body = form.get("title", ""), form.get("body_md", "")
        if lesson is None:
            saved = services.add_lesson(me, course, form.get("section", ""), title, body)
        else:
            saved = services.update_lesson(me, lesson, title, body, form.get("section") or None)
        # Back to the form, which shows the rendered lesson as a preview.
        return url_for("courses.edit_lesson", course_id=course.id, lesson_id=saved.id)

    return form_page("courses/lesson_form.html", context, save, _("Lesson saved."))


@bp.route("/courses/<course_id>/lessons/new", methods=["GET", "POST"])
@login_required
def new_lesson(course_id):
    return _lesson_form(get_course(current_user(), course_id, edit=True))


@bp.route("/courses/<course_id>/lessons/<lesson_id>/edit", methods=["GET", "POST"])
@login_required
def edit_lesson(course_id, lesson_id):
    lesson = services.get_lesson(current_user(), course_id, lesson_id, edit=True)
    return _lesson_form(lesson.course, lesson)


@bp.route("/courses/<course_id>/lessons/<lesson_id>/arrange", methods=["POST"])
@login_required
def arrange_lesson(course_id, lesson_id):
    """Move a lesson up or down, or delete it."""
    me = current_user()
    lesson = services.get_lesson(me, course_id, lesson_id, edit=True)
    action = request.form.get("action")
    if action == "delete":
        services.delete_lesson(me, lesson)
        flash(_("Lesson deleted."), "ok")
    elif action in ("up", "down"):
        services.move_lesson(me, lesson, action)
    return redirect(url_for("courses.course", course_id=course_id))

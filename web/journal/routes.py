"""Teachers' class journal (grid, columns, history, export) and a student's own marks."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.errors import ValidationError
from appliance.journal import audit, calendar, export, journals, marks, periods, scales, student
from appliance.journal.models import ATTENDANCE
from appliance.localtime import school_date
from web.auth.session import current_user, login_required
from web.errors import error_message
from web.journal import bp

MAX_CELLS = 20000  # a class of 40 × 250 columns with attendance; more is not a real form


@bp.route("/journal")
@login_required
def index():
    me = current_user()
    if not me.is_teacher:
        return redirect(url_for("journal.own"))
    return render_template("journal/index.html", journals=journals.journals_for(me))


def _period(journal, quarter_id: str | None):
    """The quarter the page shows (chosen, else today's), the year, and its quarters."""
    year = calendar.year_on(school_date())
    quarters = calendar.quarters_of(year) if year else []
    if quarter_id == "all":
        return None, year, quarters
    chosen = next((q for q in quarters if q.id == quarter_id), None)
    if chosen is None and year:
        chosen = calendar.quarter_on(year, school_date())
    return chosen, year, quarters


def _cells(form) -> list[tuple[str, str, str, str]]:
    """Only the cells the teacher changed: the value differs from the one the page showed."""
    cells = []
    for key, value in form.items():
        kind, _sep, rest = key.partition(":")
        if kind not in ("m", "a") or f"o{key}" not in form:
            continue
        student_id, _sep, column_id = rest.partition(":")
        if value.strip() != form[f"o{key}"].strip():
            cells.append((student_id, column_id, "mark" if kind == "m" else "attendance", value))
    if len(cells) > MAX_CELLS:
        abort(413)
    return cells


@bp.route("/journal/<course_id>/<class_id>", methods=["GET", "POST"])
@login_required
def grid(course_id, class_id):
    me = current_user()
    journal = journals.get_journal(me, course_id, class_id)
    quarter, year, quarters = _period(journal, request.values.get("quarter"))
    context, status = {}, 200
    if request.method == "POST":
        try:
            changed = marks.save_grid(
                me, journal, _cells(request.form), request.form.get("reason", "")
            )
            flash(_("Journal saved: %(n)s change(s).", n=changed), "ok")
            return redirect(
                url_for(
                    "journal.grid",
                    course_id=course_id,
                    class_id=class_id,
                    quarter=quarter.id if quarter else "all",
                )
            )
        except ValidationError as exc:
            # Show what the teacher typed, with the error; nothing of the form was stored.
            context = {
                "error": error_message(exc),
                "error_field": exc.field,
                "submitted": request.form,
            }
            status = 400
    data = marks.grid(journal, quarter.start if quarter else None, quarter.end if quarter else None)
    rules = scales.get_rules()  # read once: the period table and the page both need it
    table = periods.period_table(journal, year, rules, students=data.students) if year else {}
    return render_template(
        "journal/grid.html",
        journal=journal,
        grid=data,
        quarter=quarter,
        year=year,
        quarters=quarters,
        periods=table,
        statuses=ATTENDANCE,
        rules=rules,
        today=school_date().isoformat(),
        **context,
    ), status


@bp.route("/journal/<course_id>/<class_id>/columns", methods=["POST"])
@login_required
def add_column(course_id, class_id):
    me = current_user()
    journal = journals.get_journal(me, course_id, class_id)
    try:
        journals.add_column(
            me,
            journal,
            request.form.get("kind", ""),
            request.form.get("date", ""),
            request.form.get("title", ""),
        )
        flash(_("Column added."), "ok")
    except ValidationError as exc:
        flash(error_message(exc), "error")
    return redirect(
        url_for(
            "journal.grid",
            course_id=course_id,
            class_id=class_id,
            quarter=request.form.get("quarter") or None,
        )
    )


@bp.route("/journal/<course_id>/<class_id>/history/<column_id>/<student_id>")
@login_required
def history(course_id, class_id, column_id, student_id):
    me = current_user()
    journal = journals.get_journal(me, course_id, class_id)
    column, pupil = journal.column(column_id), journal.student(student_id)
    return render_template(
        "journal/history.html",
        journal=journal,
        column=column,
        student=pupil,
        label=journals.column_label(column),
        entries=audit.history(pupil.id, column.id),
    )


@bp.route("/journal/<course_id>/<class_id>/periods", methods=["GET", "POST"])
@login_required
def period_marks(course_id, class_id):
    me = current_user()
    journal = journals.get_journal(me, course_id, class_id)
    year = calendar.year_on(school_date())
    if year is None:
        flash(_("The administrator has not entered the school year yet."), "error")
        return redirect(url_for("journal.grid", course_id=course_id, class_id=class_id))
    if request.method == "POST":
        try:
            periods.set_override(
                me,
                journal,
                year,
                request.form.get("student", ""),
                request.form.get("period", ""),
                request.form.get("value", ""),
                request.form.get("reason", ""),
            )
            flash(_("Saved."), "ok")
            return redirect(url_for("journal.period_marks", course_id=course_id, class_id=class_id))
        except ValidationError as exc:
            flash(error_message(exc), "error")
    students = journal.students()
    return render_template(
        "journal/periods.html",
        journal=journal,
        year=year,
        students=students,
        quarters=calendar.quarters_of(year),
        table=periods.period_table(journal, year, students=students),
    )


@bp.route("/journal/<course_id>/<class_id>/export.<fmt>")
@login_required
def export_quarter(course_id, class_id, fmt):
    me = current_user()
    journal = journals.get_journal(me, course_id, class_id)
    quarter, _year, _quarters = _period(journal, request.args.get("quarter"))
    if fmt not in ("csv", "xlsx") or quarter is None:
        abort(404)
    rows = export.quarter_rows(journal, quarter)
    name = f"{journal.school_class.name} {journal.course.title} Q{quarter.number}"
    ascii_name = f"journal-q{quarter.number}.{fmt}"
    if fmt == "csv":
        body, mime = export.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body = export.to_xlsx(rows, name)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{ascii_name}"'}
    )


@bp.route("/journal/me")
@login_required
def own():
    me = current_user()
    year = calendar.year_on(school_date())
    return render_template(
        "journal/own.html",
        year=year,
        courses=student.own_marks(me, year),
        quarters=calendar.quarters_of(year) if year else [],
    )

"""Report pages: nation → oblast → rayon → school → class, national quizzes; CSV of every table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Response, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from appliance.hub import registry, reports
from web.hub import bp

LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "oblast": _l("Oblast"),
    "rayon": _l("Rayon"),
    "schools": _l("Schools"),
    "students": _l("Students"),
    "classes": _l("Classes"),
    "quiz_attempts": _l("Quiz attempts"),
    "marks": _l("Marks"),
    "mean_mark": _l("Mean mark"),
    "last_sync": _l("Last sync"),
    "course": _l("Course"),
    "year": _l("School year"),
    "quarter": _l("Quarter"),
    "quarter_marks": _l("Quarter marks set"),
    "mean_quarter_mark": _l("Mean quarter mark"),
    "title": _l("Quiz"),
    "mean_percent": _l("Mean %"),
    "question": _l("Question"),
    "answers": _l("Answers"),
    "facility": _l("Facility"),
    "discrimination": _l("Discrimination"),
}


@dataclass
class Table:
    """One table of a report page; ``link`` gives the drill-down address of a row."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[dict]
    link: Callable[[dict], str | None] | None = None
    links: list = field(default_factory=list)

    def __post_init__(self):
        self.links = [self.link(row) if self.link else None for row in self.rows]


def _page(name: str, title: str, crumbs: list, tables: list[Table], summary: dict | None = None):
    """The page, or one of its tables as CSV when asked with ?format=csv&table=KEY."""
    if request.args.get("format") == "csv":
        table = next((t for t in tables if t.key == request.args.get("table")), None)
        if table is None:
            abort(404)
        body = reports.to_csv(
            list(table.columns), [str(LABELS[c]) for c in table.columns], table.rows
        )
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}-{table.key}.csv"'},
        )
    return render_template(
        "hub/report.html", title=title, crumbs=crumbs, tables=tables, summary=summary, labels=LABELS
    )


def _courses(scope: reports.Scope, class_id: str | None = None) -> Table:
    return Table(
        "courses",
        _l("Mean mark per course and quarter"),
        reports.COURSE_COLUMNS,
        reports.course_quarters(scope, class_id),
    )


def _crumbs(oblast=None, rayon=None, school=None) -> list:
    crumbs = [(_l("All oblasts"), url_for("hub.report"))]
    if oblast is not None:
        crumbs.append((oblast.name, url_for("hub.report_oblast", oblast_id=oblast.id)))
    if rayon is not None:
        crumbs.append(
            (
                rayon.name if rayon != "none" else _l("No rayon"),
                url_for(
                    "hub.report_rayon",
                    oblast_id=oblast.id,
                    rayon=rayon.id if rayon != "none" else "none",
                ),
            )
        )
    if school is not None:
        crumbs.append((school.name, url_for("hub.report_school", code=school.code)))
    return crumbs


@bp.route("/reports")
def report():
    schools = reports.school_rows()
    areas = Table(
        "oblasts",
        _l("Oblasts and cities"),
        reports.AREA_COLUMNS,
        reports.oblast_rows(schools),
        lambda row: url_for("hub.report_oblast", oblast_id=row["id"]),
    )
    quizzes = Table(
        "quizzes",
        _l("National quizzes"),
        ("title", "course", "schools", "quiz_attempts", "mean_percent"),
        reports.national_quizzes(),
        lambda row: url_for("hub.report_quiz", quiz_id=row["id"]),
    )
    return _page(
        "report",
        _l("Reports"),
        [],
        [areas, _courses(reports.Scope()), quizzes],
        reports.totals(schools),
    )


@bp.route("/reports/oblast/<int:oblast_id>")
def report_oblast(oblast_id):
    oblast = registry.get_oblast(oblast_id)
    scope = reports.Scope(oblast_id=oblast.id)
    schools = reports.school_rows(scope)

    def link(row):
        return url_for("hub.report_rayon", oblast_id=oblast.id, rayon=row["id"] or "none")

    rayons = Table(
        "rayons", _l("Rayons"), reports.AREA_COLUMNS, reports.rayon_rows(schools, oblast), link
    )
    return _page(
        f"oblast-{oblast.id}",
        oblast.name,
        _crumbs(),
        [rayons, _courses(scope)],
        reports.totals(schools),
    )


@bp.route("/reports/oblast/<int:oblast_id>/rayon/<rayon>")
def report_rayon(oblast_id, rayon):
    oblast = registry.get_oblast(oblast_id)
    if rayon == "none":
        scope, found = reports.Scope(oblast_id=oblast.id, no_rayon=True), "none"
    elif rayon.isdigit():
        found = registry.get_rayon(int(rayon))
        if found.oblast_id != oblast.id:
            abort(404)
        scope = reports.Scope(oblast_id=oblast.id, rayon_id=found.id)
    else:
        abort(404)
    schools = reports.school_rows(scope)
    table = Table(
        "schools",
        _l("Schools"),
        reports.SCHOOL_COLUMNS,
        schools,
        lambda row: url_for("hub.report_school", code=row["code"]),
    )
    title = found.name if found != "none" else _l("No rayon")
    return _page(
        f"oblast-{oblast.id}-rayon-{rayon}",
        title,
        _crumbs(oblast),
        [table, _courses(scope)],
        reports.totals(schools),
    )


@bp.route("/reports/school/<code>")
def report_school(code):
    school = registry.get_school(code)
    scope = reports.Scope(code=school.code)
    rows = reports.school_rows(scope)
    classes = Table(
        "classes",
        _l("Classes"),
        reports.CLASS_COLUMNS,
        reports.class_rows(school),
        lambda row: url_for("hub.report_class", code=school.code, class_id=row["id"]),
    )
    rayon = school.rayon or "none"
    return _page(
        f"school-{school.code}",
        school.name,
        _crumbs(school.oblast, rayon),
        [Table("school", _l("School"), reports.SCHOOL_COLUMNS, rows), classes, _courses(scope)],
    )


@bp.route("/reports/school/<code>/class/<class_id>")
def report_class(code, class_id):
    school = registry.get_school(code)
    klass = reports.get_class(school, class_id)
    if klass is None:
        abort(404)
    scope = reports.Scope(code=school.code)
    row = next((r for r in reports.class_rows(school) if r["id"] == klass.id), None)
    summary = (
        {k: row[k] for k in ("students", "quiz_attempts", "marks", "mean_mark")} if row else None
    )
    return _page(
        f"school-{school.code}-class-{klass.id}",
        klass.name,
        _crumbs(school.oblast, school.rayon or "none", school),
        [_courses(scope, klass.id)],
        summary,
    )


@bp.route("/reports/quiz/<quiz_id>")
def report_quiz(quiz_id):
    quiz = reports.get_national_quiz(quiz_id)
    if quiz is None:
        abort(404)
    items = Table(
        "items",
        _l("Item analysis across all schools"),
        ("question", "answers", "facility", "discrimination"),
        reports.item_analysis(quiz),
    )
    return _page(f"quiz-{quiz.id}", quiz.title, _crumbs(), [items])

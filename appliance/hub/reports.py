"""Hub reports: oblast → rayon → school → class figures and mean marks per course and quarter.

Every figure comes from one aggregate query grouped by the rows' ``school`` partition (joined
to the registry's School.partition), never from a Python loop over marks or attempts; the
areas above a school add up the per-school sums. The same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from peewee import JOIN, fn

from appliance.accounts.models import SchoolClass, User
from appliance.courses.models import Course
from appliance.hub.models import HubNode, Oblast, Rayon, School
from appliance.journal.models import JournalColumn, Mark, PeriodMark, Quarter, SchoolYear
from appliance.quizzes.models import Attempt, AttemptAnswer, Question, Quiz

FIGURES = ("students", "classes", "quiz_attempts", "marks", "mean_mark")
SCHOOL_COLUMNS = ("code", "name", "oblast", "rayon", *FIGURES, "last_sync")
AREA_COLUMNS = ("name", "schools", *FIGURES, "last_sync")
CLASS_COLUMNS = ("name", "students", "quiz_attempts", "marks", "mean_mark")
COURSE_COLUMNS = (
    "course",
    "year",
    "quarter",
    "marks",
    "mean_mark",
    "quarter_marks",
    "mean_quarter_mark",
)
MARK_VALUE = fn.COALESCE(Mark.manual_value, Mark.auto_value)  # the teacher's mark wins


@dataclass(frozen=True)
class Scope:
    """Which schools a report covers: all, an oblast, a rayon or one school."""

    oblast_id: int | None = None
    rayon_id: int | None = None
    code: str | None = None
    no_rayon: bool = False  # the schools of the oblast not yet given a rayon

    def where(self, query):
        """``query`` (already joined to School) restricted to the scope."""
        if self.oblast_id:
            query = query.where(School.oblast == self.oblast_id)
        if self.rayon_id:
            query = query.where(School.rayon == self.rayon_id)
        if self.code:
            query = query.where(School.code == self.code)
        if self.no_rayon:
            query = query.where(School.rayon.is_null())
        return query


def _mean(total, count) -> float | None:
    return round(float(total) / count, 2) if count else None


def _by_partition(query, model, scope: Scope) -> dict[str, tuple]:
    """Run an aggregate ``query`` over ``model`` grouped by its partition, within the scope."""
    query = scope.where(query.join_from(model, School, on=(model.school == School.partition)))
    return {row[0]: row[1:] for row in query.group_by(model.school).tuples()}


def _live(model):
    return model.deleted == False  # noqa: E712


def school_rows(scope: Scope = Scope()) -> list[dict]:
    """Per school of the scope: registry data, students, classes, attempts, marks, last sync."""
    students = _by_partition(
        User.select(User.school, fn.COUNT(User.id)).where(_live(User) & (User.role == "student")),
        User,
        scope,
    )
    classes = _by_partition(
        SchoolClass.select(SchoolClass.school, fn.COUNT(SchoolClass.id)).where(_live(SchoolClass)),
        SchoolClass,
        scope,
    )
    attempts = _by_partition(
        Attempt.select(Attempt.school, fn.COUNT(Attempt.id)).where(
            _live(Attempt) & (Attempt.state == "finished")
        ),
        Attempt,
        scope,
    )
    marks = _by_partition(
        Mark.select(Mark.school, fn.COUNT(Mark.id), fn.SUM(MARK_VALUE))
        .join(JournalColumn)
        .where(_live(Mark) & _live(JournalColumn) & MARK_VALUE.is_null(False)),
        Mark,
        scope,
    )
    synced = dict(
        scope.where(HubNode.select(HubNode.school, fn.MAX(HubNode.last_sync_at)).join(School))
        .group_by(HubNode.school)
        .tuples()
    )
    query = scope.where(
        School.select(School, Oblast, Rayon)
        .join(Oblast)
        .switch(School)
        .join(Rayon, JOIN.LEFT_OUTER)
    )
    rows = []
    for school in query.order_by(Oblast.name, fn.COALESCE(Rayon.name, ""), School.name):
        count, total = marks.get(school.partition, (0, 0))
        last = synced.get(school.code)
        rows.append(
            {
                "code": school.code,
                "name": school.name,
                "oblast": school.oblast.name,
                "oblast_id": school.oblast_id,
                "rayon": school.rayon.name if school.rayon else "",
                "rayon_id": school.rayon_id,
                "partition": school.partition,
                "students": students.get(school.partition, (0,))[0],
                "classes": classes.get(school.partition, (0,))[0],
                "quiz_attempts": attempts.get(school.partition, (0,))[0],
                "marks": count,
                "mark_sum": total or 0,
                "mean_mark": _mean(total or 0, count),
                "last_sync": last.isoformat(timespec="seconds") if last else None,
            }
        )
    return rows


def _roll_up(schools: list[dict], key: str, name_key: str, areas: list[tuple]) -> list[dict]:
    """Add up school rows per area; ``areas`` lists (id, name) so empty areas show too."""
    rows = {
        area_id: {
            "id": area_id,
            "name": name,
            "schools": 0,
            "students": 0,
            "classes": 0,
            "quiz_attempts": 0,
            "marks": 0,
            "mark_sum": 0,
            "last_sync": None,
        }
        for area_id, name in areas
    }
    for school in schools:
        row = rows.setdefault(
            school[key],
            {
                "id": school[key],
                "name": school[name_key],
                "schools": 0,
                "students": 0,
                "classes": 0,
                "quiz_attempts": 0,
                "marks": 0,
                "mark_sum": 0,
                "last_sync": None,
            },
        )
        row["schools"] += 1
        for figure in ("students", "classes", "quiz_attempts", "marks", "mark_sum"):
            row[figure] += school[figure]
        if school["last_sync"] and (row["last_sync"] or "") < school["last_sync"]:
            row["last_sync"] = school["last_sync"]
    for row in rows.values():
        row["mean_mark"] = _mean(row["mark_sum"], row["marks"])
    return list(rows.values())


def oblast_rows(schools: list[dict]) -> list[dict]:
    """The national level: one row per oblast and city."""
    areas = [(o.id, o.name) for o in Oblast.select().order_by(Oblast.kind.desc(), Oblast.name)]
    return _roll_up(schools, "oblast_id", "oblast", areas)


def rayon_rows(schools: list[dict], oblast: Oblast) -> list[dict]:
    """An oblast's level: one row per rayon (schools without a rayon under an empty name)."""
    areas = [
        (r.id, r.name) for r in Rayon.select().where(Rayon.oblast == oblast).order_by(Rayon.name)
    ]
    return _roll_up([s for s in schools if s["oblast_id"] == oblast.id], "rayon_id", "rayon", areas)


def class_rows(school: School) -> list[dict]:
    """A school's level: per class, its students, quiz attempts and marks."""
    partition = school.partition
    if not partition:
        return []
    students = dict(
        User.select(User.school_class, fn.COUNT(User.id))
        .where(_live(User) & (User.role == "student") & (User.school == partition))
        .group_by(User.school_class)
        .tuples()
    )
    attempts = dict(
        Attempt.select(User.school_class, fn.COUNT(Attempt.id))
        .join(User)
        .where(_live(Attempt) & (Attempt.state == "finished") & (Attempt.school == partition))
        .group_by(User.school_class)
        .tuples()
    )
    marks = {
        row[0]: row[1:]
        for row in Mark.select(JournalColumn.school_class, fn.COUNT(Mark.id), fn.SUM(MARK_VALUE))
        .join(JournalColumn)
        .where(
            _live(Mark)
            & _live(JournalColumn)
            & MARK_VALUE.is_null(False)
            & (Mark.school == partition)
        )
        .group_by(JournalColumn.school_class)
        .tuples()
    }
    rows = []
    for klass in (
        SchoolClass.select()
        .where(_live(SchoolClass) & (SchoolClass.school == partition))
        .order_by(SchoolClass.grade, SchoolClass.name)
    ):
        count, total = marks.get(klass.id, (0, 0))
        rows.append(
            {
                "id": klass.id,
                "name": klass.name,
                "students": students.get(klass.id, 0),
                "quiz_attempts": attempts.get(klass.id, 0),
                "marks": count,
                "mean_mark": _mean(total or 0, count),
            }
        )
    return rows


def get_class(school: School, class_id: str) -> SchoolClass | None:
    """The school's class with this id (None when it is another school's or unknown)."""
    if not school.partition:
        return None
    return (
        SchoolClass.select()
        .where(
            (SchoolClass.id == class_id)
            & (SchoolClass.school == school.partition)
            & _live(SchoolClass)
        )
        .first()
    )


def course_quarters(scope: Scope = Scope(), class_id: str | None = None) -> list[dict]:
    """Mean mark per course (by title) and quarter, and the teachers' quarter marks beside it.

    A mark belongs to the quarter of its own school's calendar that holds its column's date.
    """
    year = SchoolYear.start.year
    in_quarter = (
        (Quarter.school == JournalColumn.school)
        & _live(Quarter)
        & (JournalColumn.date >= Quarter.start)
        & (JournalColumn.date <= Quarter.end)
    )
    query = (
        Mark.select(Course.title, year, Quarter.number, fn.COUNT(Mark.id), fn.SUM(MARK_VALUE))
        .join(JournalColumn)
        .join(Course)
        .join_from(JournalColumn, Quarter, on=in_quarter)
        .join_from(Quarter, SchoolYear)
        .join_from(Mark, School, on=(Mark.school == School.partition))
        .where(_live(Mark) & _live(JournalColumn) & MARK_VALUE.is_null(False))
    )
    if class_id:
        query = query.where(JournalColumn.school_class == class_id)
    marks = scope.where(query).group_by(Course.title, year, Quarter.number).tuples()
    overrides = (
        PeriodMark.select(
            Course.title, year, PeriodMark.period, fn.COUNT(PeriodMark.id), fn.SUM(PeriodMark.value)
        )
        .join_from(PeriodMark, Course)
        .join_from(PeriodMark, SchoolYear)
        .join_from(PeriodMark, School, on=(PeriodMark.school == School.partition))
        .where(
            _live(PeriodMark)
            & PeriodMark.value.is_null(False)
            & PeriodMark.period.in_(["q1", "q2", "q3", "q4"])
        )
    )
    if class_id:
        overrides = overrides.where(PeriodMark.school_class == class_id)
    rows: dict[tuple, dict] = {}

    def row(title, start_year, number) -> dict:
        start_year = int(start_year)
        return rows.setdefault(
            (title, start_year, int(number)),
            {
                "course": title,
                "year": f"{start_year}–{start_year + 1}",
                "quarter": int(number),
                "marks": 0,
                "mean_mark": None,
                "quarter_marks": 0,
                "mean_quarter_mark": None,
            },
        )

    for title, start_year, number, count, total in marks:
        item = row(title, start_year, number)
        item["marks"], item["mean_mark"] = count, _mean(total, count)
    for title, start_year, period, count, total in (
        scope.where(overrides).group_by(Course.title, year, PeriodMark.period).tuples()
    ):
        item = row(title, start_year, period[1:])
        item["quarter_marks"], item["mean_quarter_mark"] = count, _mean(total, count)
    return [rows[key] for key in sorted(rows, key=lambda k: (k[0].lower(), k[1], k[2]))]


def totals(rows: list[dict]) -> dict:
    """The sum of school rows (for the report's last line and the command's summary)."""
    total = {
        f: sum(r[f] for r in rows)
        for f in ("students", "classes", "quiz_attempts", "marks", "mark_sum")
    }
    total["schools"] = len(rows)
    total["mean_mark"] = _mean(total.pop("mark_sum"), total["marks"])
    return total


def to_csv(columns: list[str], labels: list[str], rows: list[dict]) -> bytes:
    """A report table as CSV (UTF-8 with BOM, so Excel shows Cyrillic right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(labels)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def national_quizzes(scope: Scope = Scope()) -> list[dict]:
    """Each quiz written at the hub with its finished attempts, schools and mean percent."""
    stats = {
        row[0]: row[1:]
        for row in scope.where(
            Attempt.select(
                Attempt.quiz,
                fn.COUNT(Attempt.id),
                fn.COUNT(Attempt.school.distinct()),
                fn.AVG(Attempt.percent),
            )
            .join_from(Attempt, School, on=(Attempt.school == School.partition))
            .where(_live(Attempt) & (Attempt.state == "finished"))
        )
        .group_by(Attempt.quiz)
        .tuples()
    }
    rows = []
    for quiz in (
        Quiz.select(Quiz, Course)
        .join(Course)
        .where(_live(Quiz) & (Quiz.origin == "hub"))
        .order_by(Course.title, Quiz.title)
    ):
        attempts, schools, mean = stats.get(quiz.id, (0, 0, None))
        rows.append(
            {
                "id": quiz.id,
                "course": quiz.course.title,
                "title": quiz.title,
                "quiz_attempts": attempts,
                "schools": schools,
                "mean_percent": round(float(mean), 1) if mean is not None else None,
            }
        )
    return rows


def get_national_quiz(quiz_id: str) -> Quiz | None:
    return Quiz.select().where((Quiz.id == quiz_id) & (Quiz.origin == "hub") & _live(Quiz)).first()


def item_analysis(quiz: Quiz, scope: Scope = Scope()) -> list[dict]:
    """Facility and discrimination per question over every school's finished, graded attempts.

    The same measures as appliance.quizzes.results.item_analysis, but computed from sums in
    SQL (Pearson's r from n, Σx, Σy, Σxy, Σx², Σy²): a national quiz has answers from every
    school, too many to load. x = the fraction earned, y = the rest of the attempt's score.
    """
    x = fn.COALESCE(AttemptAnswer.fraction, 0.0)
    y = Attempt.score - x * AttemptAnswer.mark
    query = scope.where(
        AttemptAnswer.select(
            AttemptAnswer.question,
            fn.COUNT(AttemptAnswer.id),
            fn.SUM(x),
            fn.SUM(y),
            fn.SUM(x * y),
            fn.SUM(x * x),
            fn.SUM(y * y),
        )
        .join(Attempt)
        .join_from(Attempt, School, on=(Attempt.school == School.partition))
        .where(
            (Attempt.quiz == quiz)
            & _live(Attempt)
            & (Attempt.state == "finished")
            & Attempt.score.is_null(False)
            & _live(AttemptAnswer)
            & (AttemptAnswer.mark > 0)
        )
    )
    sums = {
        row[0]: [float(v or 0) for v in row[1:]]
        for row in query.group_by(AttemptAnswer.question).tuples()
    }
    names = (
        dict(
            Question.select(Question.id, Question.name).where(Question.id.in_(list(sums))).tuples()
        )
        if sums
        else {}
    )
    rows = []
    for question_id, (n, sx, sy, sxy, sxx, syy) in sums.items():
        var_x, var_y = n * sxx - sx * sx, n * syy - sy * sy
        # Rounding in the sums can leave a tiny non-zero variance where there is none.
        spread = var_x > 1e-9 * max(1.0, n * sxx) and var_y > 1e-9 * max(1.0, n * syy)
        r = (n * sxy - sx * sy) / math.sqrt(var_x * var_y) if n >= 2 and spread else None
        rows.append(
            {
                "question_id": question_id,
                "question": names.get(question_id, question_id),
                "answers": int(n),
                "facility": round(sx / n, 3),
                "discrimination": round(r, 3) if r is not None else None,
            }
        )
    rows.sort(key=lambda row: str(row["question"]).lower())
    return rows

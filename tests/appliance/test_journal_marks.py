"""The journal's marks: columns, the grid, automatic results from signals, overrides."""

import datetime as dt

import pytest

import appliance.models  # noqa: F401  (connects the journal's receivers, as the app does)
from appliance.accounts import services as accounts
from appliance.courses import enrolment
from appliance.courses.services import create_course
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.journal import audit, journals, marks
from appliance.journal.models import Attendance, AuditEntry, JournalColumn, Mark
from appliance.signals import attempt_graded, submission_graded

WHEN = dt.datetime(2025, 10, 6, 10, 0)


class Setup:
    """A teacher's course with class 7А enrolled: two students, plus one in 7Б."""

    def __init__(self, make_user):
        self.admin = make_user("admin")
        self.teacher = make_user("teacher")
        self.course = create_course(self.teacher, "Algebra")
        self.anna = make_user(
            "student", class_name="7А", last_name="Abdyrakhmanova", first_name="Anna"
        )
        self.bek = make_user("student", class_name="7А", last_name="Bekov", first_name="Bek")
        self.other = make_user("student", class_name="7Б", last_name="Other")
        self.klass = accounts.find_class("7А")
        enrolment.set_classes(self.teacher, self.course, [self.klass.id])
        self.journal = journals.get_journal(self.teacher, self.course.id, self.klass.id)

    def lesson(self, day="2025-10-06", topic="Fractions"):
        return journals.add_column(self.teacher, self.journal, "lesson", day, topic)

    def graded(
        self,
        quiz_id="quiz-1",
        percent=90.0,
        student=None,
        signal=attempt_graded,
        kind="quiz",
        when=WHEN,
    ):
        signal.send(
            object(),
            course_id=self.course.id,
            student_id=(student or self.anna).id,
            item_id=quiz_id,
            item_title=f"Test {quiz_id}",
            item_kind=kind,
            percent=percent,
            when=when,
        )


@pytest.fixture
def setup(make_user):
    return Setup(make_user)


def _mark(column, student):
    return Mark.get((Mark.column == column) & (Mark.student == student))


def test_receivers_create_the_column_and_convert_percent(setup):
    setup.graded(percent=90.0)
    setup.graded(percent=69.9, student=setup.bek)
    setup.graded("hw-1", percent=50.0, signal=submission_graded, kind="assignment")
    columns = setup.journal.columns()
    assert [(c.kind, c.title, c.date) for c in columns] == [
        ("quiz", "Test quiz-1", WHEN.date()),
        ("assignment", "Test hw-1", WHEN.date()),
    ]
    quiz = columns[0]
    assert _mark(quiz, setup.anna).value == 5
    assert _mark(quiz, setup.bek).value == 3
    assert _mark(columns[1], setup.anna).value == 3
    assert _mark(quiz, setup.anna).auto_percent == 90.0


def test_regrade_updates_the_auto_mark_but_the_override_wins(setup):
    setup.graded(percent=60.0)
    column = setup.journal.columns()[0]
    assert _mark(column, setup.anna).value == 3
    setup.graded(percent=75.0)  # a regrade
    assert _mark(column, setup.anna).value == 4
    marks.set_mark(
        setup.teacher, setup.journal, column.id, setup.anna.id, "5", reason="oral answer"
    )
    setup.graded(percent=40.0)  # regraded again: the auto mark follows, the teacher's stays
    row = _mark(column, setup.anna)
    assert (row.auto_value, row.manual_value, row.value, row.overridden) == (2, 5, 5, True)
    marks.set_mark(setup.teacher, setup.journal, column.id, setup.anna.id, "")  # clear the override
    assert _mark(column, setup.anna).value == 2
    setup.graded(percent=None)  # ungraded again (e.g. an essay awaits grading)
    assert _mark(column, setup.anna).value is None
    fields = [(e.field, e.old, e.new) for e in audit.history(setup.anna.id, column.id)]
    assert fields == [
        ("auto", "", "3"),
        ("auto", "3", "4"),
        ("manual", "", "5"),
        ("auto", "4", "2"),
        ("manual", "5", ""),
        ("auto", "2", ""),
    ]


def test_same_result_twice_changes_nothing(setup):
    setup.graded(percent=90.0)
    setup.graded(percent=90.0)
    assert AuditEntry.select().count() == 1


def test_student_without_a_class_is_skipped(setup, make_user):
    loner = make_user("student")
    setup.graded(student=loner)
    assert JournalColumn.select().count() == 0


def test_grid_save_is_all_or_nothing_and_names_student_and_column(setup):
    lesson = setup.lesson()
    cells = [(setup.anna.id, lesson.id, "mark", "5"), (setup.bek.id, lesson.id, "mark", "6")]
    with pytest.raises(ValidationError) as info:
        marks.save_grid(setup.teacher, setup.journal, cells)
    assert "Bekov Bek" in str(info.value) and "06.10 Fractions" in str(info.value)
    assert "6 is not a mark on the scale (5, 4, 3, 2)" in str(info.value)
    assert Mark.select().count() == 0 and AuditEntry.select().count() == 0
    cells[1] = (setup.bek.id, lesson.id, "attendance", "absent")
    assert marks.save_grid(setup.teacher, setup.journal, cells) == 2
    assert _mark(lesson, setup.anna).value == 5
    assert Attendance.get(Attendance.student == setup.bek).status == "absent"


def test_attendance_statuses_and_blank_is_present(setup):
    lesson = setup.lesson()
    for status in ("late", "excused", ""):
        marks.save_grid(
            setup.teacher, setup.journal, [(setup.anna.id, lesson.id, "attendance", status)]
        )
    grid = marks.grid(setup.journal)
    assert grid.attendance == {}
    history = [(e.old, e.new) for e in audit.history(setup.anna.id, lesson.id)]
    assert history == [("", "late"), ("late", "excused"), ("excused", "")]
    with pytest.raises(ValidationError, match="attendance must be"):
        marks.save_grid(
            setup.teacher, setup.journal, [(setup.anna.id, lesson.id, "attendance", "gone")]
        )
    setup.graded()
    quiz = [c for c in setup.journal.columns() if c.kind == "quiz"][0]
    with pytest.raises(ValidationError, match="lesson dates only"):
        marks.save_grid(
            setup.teacher, setup.journal, [(setup.anna.id, quiz.id, "attendance", "absent")]
        )


def test_manual_columns_need_a_title_and_a_valid_date(setup):
    with pytest.raises(ValidationError, match="title"):
        journals.add_column(setup.teacher, setup.journal, "manual", "2025-10-07", "")
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        journals.add_column(setup.teacher, setup.journal, "lesson", "07.10.2025")
    column = journals.add_column(setup.teacher, setup.journal, "manual", "2025-10-07", "Dictation")
    assert column.kind == "manual"


def test_only_the_course_teacher_and_admins_open_or_change_the_journal(setup, make_user):
    stranger = make_user("teacher")
    with pytest.raises(Forbidden):
        journals.get_journal(stranger, setup.course.id, setup.klass.id)
    with pytest.raises(NotFound):  # not enrolled: a student does not learn the course exists
        journals.get_journal(setup.other, setup.course.id, setup.klass.id)
    with pytest.raises(Forbidden):
        journals.get_journal(setup.anna, setup.course.id, setup.klass.id)
    assert journals.get_journal(setup.admin, setup.course.id, setup.klass.id).course == setup.course
    lesson = setup.lesson()
    with pytest.raises(Forbidden):
        marks.save_grid(setup.anna, setup.journal, [(setup.anna.id, lesson.id, "mark", "5")])
    with pytest.raises(Forbidden):
        journals.add_column(stranger, setup.journal, "lesson", "2025-10-08")
    other_class = accounts.find_class("7Б")
    with pytest.raises(NotFound):
        journals.get_journal(setup.teacher, setup.course.id, other_class.id)
    # A student of another class cannot be slipped into this class's grid.
    with pytest.raises(ValidationError, match="reload"):
        marks.save_grid(setup.teacher, setup.journal, [(setup.other.id, lesson.id, "mark", "5")])
    assert Mark.select().count() == 0
    assert [j.school_class.name for j in journals.journals_for(setup.teacher)] == ["7А"]
    assert journals.journals_for(stranger) == [] and journals.journals_for(setup.anna) == []

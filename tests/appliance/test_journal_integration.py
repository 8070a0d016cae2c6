"""The real assignment service grades a submission → the journal holds the converted mark."""

from appliance.assignments import services as assignments
from appliance.content import ContentStore
from appliance.journal import audit
from appliance.journal.models import JournalColumn, Mark
from tests.appliance.test_journal_marks import Setup


def test_graded_submission_enters_the_journal_and_regrade_follows(make_user, tmp_path):
    setup = Setup(make_user)
    store = ContentStore(tmp_path / "content")
    work = assignments.create_assignment(
        setup.teacher, setup.course, max_upload_mb=10, title="Essay 1"
    )
    submission = assignments.submit(setup.anna, work, store=store, text="My essay")
    assignments.grade(setup.teacher, submission, store=store, max_upload_mb=10, percent="86")
    column = JournalColumn.get(JournalColumn.item_id == work.id)
    assert (column.kind, column.title, column.school_class_id) == (
        "assignment",
        "Essay 1",
        setup.klass.id,
    )
    assert Mark.get(Mark.column == column).value == 5
    assignments.reopen(setup.teacher, submission)
    submission = assignments.submit(setup.anna, work, store=store, text="Shorter essay")
    assignments.grade(setup.teacher, submission, store=store, max_upload_mb=10, percent="55")
    assert Mark.get(Mark.column == column).value == 3
    assert [(e.old, e.new) for e in audit.history(setup.anna.id, column.id)] == [
        ("", "5"),
        ("5", "3"),
    ]

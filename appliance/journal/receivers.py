"""Quiz and assignment results enter the journal: receivers of the grading signals."""

from __future__ import annotations

from appliance.journal.marks import record_result
from appliance.signals import attempt_graded, submission_graded


def on_graded(
    sender,
    course_id=None,
    student_id=None,
    item_id=None,
    item_title="",
    item_kind="quiz",
    percent=None,
    when=None,
    **_extra,
):
    """Convert the result to a mark and store it as the automatic mark of the item's column."""
    record_result(course_id, student_id, item_id, item_title, item_kind, percent, when)


attempt_graded.connect(on_graded)
submission_graded.connect(on_graded)

"""Assignment pages: set, submit, table, grade, downloads, and who may see what."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from appliance.assignments import services
from appliance.assignments.models import Assignment, Submission
from appliance.signals import submission_graded
from tests.appliance.test_assignments import make_world
from tests.conftest import csrf_token, login, post, post_multipart
from tests.samples import EXE, PDF


@pytest.fixture
def setup(app, make_user):
    world = make_world(make_user)
    teacher, course, section = world["teacher"], world["course"], world["section"]
    assignment = services.create_assignment(
        teacher,
        course,
        max_upload_mb=200,
        title="Essay",
        instructions_md="Write *well*",
        section_id=section.id,
        allow_text=True,
        allow_file=True,
        max_file_mb=1,
        file_types="pdf,docx",
    )
    return dict(world, assignment=assignment)


def _as(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _download(client, path: str) -> tuple[int, bytes]:
    """GET a file and close the response (send_file keeps the file open until then)."""
    resp = client.get(path)
    try:
        return resp.status_code, resp.data
    finally:
        resp.close()


def _multipart(client, path: str, data: dict, token_from: str):
    """POST a multipart form encoded in memory (the test client's temp file is never closed)."""
    fields = {"csrf_token": csrf_token(client, token_from)}
    for name, value in data.items():
        fields[name] = FileStorage(*value) if isinstance(value, tuple) else value
    return post_multipart(client, path, fields)


def _submit(client, assignment, **data):
    page = f"/assignments/{assignment.id}"
    return _multipart(client, page + "/submit", data, token_from=page)


def test_teacher_creates_assignment_with_due_date_and_errors_name_fields(app, setup):
    teacher = _as(app, setup["teacher"])
    course = setup["course"]
    new = f"/courses/{course.id}/assignments/new"
    bad = post(teacher, new, {"title": "", "allow_text": "1"}, token_from=new)
    assert bad.status_code == 400 and 'data-field="title"' in bad.get_data(as_text=True)
    bad = post(
        teacher,
        new,
        {"title": "T", "allow_file": "1", "file_types": "exe", "max_file_mb": "5"},
        token_from=new,
    )
    assert bad.status_code == 400 and "cannot be allowed: exe" in bad.get_data(as_text=True)
    ok = post(
        teacher,
        new,
        {
            "title": "Lab 1",
            "instructions": "<script>x</script>Go",
            "due_at": "2026-05-20T09:30",
            "allow_text": "1",
            "section": setup["section"].id,
        },
        token_from=new,
    )
    assert ok.status_code == 302
    created = Assignment.get(Assignment.title == "Lab 1")
    assert created.due_at.isoformat() == "2026-05-20T03:30:00"  # 09:30 in Bishkek is 03:30 UTC
    page = teacher.get(ok.headers["Location"]).get_data(as_text=True)
    assert "<script>" not in page and "Go" in page and "5/20/26, 9:30" in page
    student = _as(app, setup["alice"])
    assert student.get(new).status_code == 403


def test_student_submits_text_and_file_and_sees_status(app, setup):
    a = setup["assignment"]
    alice = _as(app, setup["alice"])
    resp = _submit(alice, a, text="My essay", file=(io.BytesIO(PDF), "essay.pdf"))
    assert resp.status_code == 302
    page = alice.get(f"/assignments/{a.id}").get_data(as_text=True)
    assert "My essay" in page and "essay.pdf" in page and "Submitted, not graded" in page
    sub = Submission.get()
    assert _download(alice, f"/submissions/{sub.id}/file") == (200, PDF)


def test_too_large_and_disguised_files_get_clear_errors(app, setup):
    a = setup["assignment"]
    alice = _as(app, setup["alice"])
    big = _submit(alice, a, file=(io.BytesIO(PDF + b"0" * (1024 * 1024)), "big.pdf"))
    assert big.status_code == 400 and "larger than the limit of 1 MB" in big.get_data(as_text=True)
    fake = _submit(alice, a, file=(io.BytesIO(EXE), "essay.pdf"))
    assert fake.status_code == 400 and "not really a PDF file" in fake.get_data(as_text=True)
    assert Submission.select().count() == 0


def test_grading_page_sends_signal_and_student_sees_mark_and_feedback(app, setup):
    a = setup["assignment"]
    alice = _as(app, setup["alice"])
    _submit(alice, a, text="answer")
    sub = Submission.get()
    teacher = _as(app, setup["teacher"])
    table = teacher.get(f"/assignments/{a.id}/submissions").get_data(as_text=True)
    assert "Asanova Alice" in table and "Bekov Bob" in table and "1 of 2 submitted" in table
    received = []

    def receiver(sender, **kw):
        received.append(kw["percent"])

    submission_graded.connect(receiver)
    try:
        page = f"/submissions/{sub.id}"
        resp = _multipart(
            teacher,
            page,
            {
                "percent": "92",
                "feedback": "Well done",
                "feedback_file": (io.BytesIO(PDF), "notes.pdf"),
            },
            token_from=page,
        )
    finally:
        submission_graded.disconnect(receiver)
    assert resp.status_code == 302 and received == [92.0]
    regrade = teacher.get(page).get_data(as_text=True)
    assert 'name="percent" inputmode="decimal" value="92"' in regrade and "Reopen" in regrade
    view = alice.get(f"/assignments/{a.id}").get_data(as_text=True)
    assert "92%" in view and "Well done" in view and "notes.pdf" in view
    assert "can no longer be changed" in view
    assert _download(alice, f"/submissions/{sub.id}/feedback-file") == (200, PDF)
    again = _submit(alice, a, text="changed")
    assert again.status_code == 400 and Submission.get().text == "answer"


def test_zip_download_for_the_teacher_only(app, setup):
    a = setup["assignment"]
    _submit(_as(app, setup["alice"]), a, text="A", file=(io.BytesIO(PDF), "../../a.pdf"))
    bob = _as(app, setup["bob"])
    _submit(bob, a, text="B")
    status, data = _download(_as(app, setup["teacher"]), f"/assignments/{a.id}/submissions.zip")
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == [
            "Asanova_Alice_alice/a.pdf",
            "Asanova_Alice_alice/submission.txt",
            "Bekov_Bob_bob/submission.txt",
        ]
    assert bob.get(f"/assignments/{a.id}/submissions.zip").status_code == 403
    assert bob.get(f"/assignments/{a.id}/submissions").status_code == 403


def test_student_cannot_see_another_students_submission(app, setup, make_user):
    a = setup["assignment"]
    _submit(_as(app, setup["alice"]), a, text="secret", file=(io.BytesIO(PDF), "a.pdf"))
    sub = Submission.get()
    bob = _as(app, setup["bob"])
    for path in (
        f"/submissions/{sub.id}",
        f"/submissions/{sub.id}/file",
        f"/submissions/{sub.id}/feedback-file",
    ):
        assert _download(bob, path)[0] == 404, path
    assert "secret" not in bob.get(f"/assignments/{a.id}").get_data(as_text=True)
    outsider = _as(app, make_user("student", class_name="9B"))
    assert outsider.get(f"/assignments/{a.id}").status_code == 404


def test_post_without_csrf_token_is_refused(app, setup):
    a = setup["assignment"]
    alice = _as(app, setup["alice"])
    resp = alice.post(f"/assignments/{a.id}/submit", data={"text": "no token"})
    assert resp.status_code == 400 and Submission.select().count() == 0


def test_section_include_lists_assignments(app, setup):
    with app.test_request_context():
        from flask import render_template_string

        html = render_template_string(
            '{% include "assignments/_section_list.html" %}', section=setup["section"]
        )
    assert "Essay" in html and f"/assignments/{setup['assignment'].id}" in html

"""Assignments: setting them, submitting text and files, late flags, grading, the ZIP of all."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest

from appliance.assignments import archive, services
from appliance.assignments.models import Submission
from appliance.content import ContentBlob, ContentStore
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.localtime import from_input
from appliance.signals import submission_graded
from tests.samples import EXE, PDF, PNG, enrol_class, make_course

MB = 1024 * 1024
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200


@pytest.fixture
def store(config, node_db):
    return ContentStore(config.content_dir)


def make_world(make_user) -> dict:
    """A teacher's course with one section, enrolled class 7A with students alice and bob."""
    teacher = make_user("teacher", first_name="Aida", last_name="Teacher")
    course, section = make_course(teacher)
    enrol_class(course, "7A")
    alice = make_user(
        "student", username="alice", first_name="Alice", last_name="Asanova", class_name="7A"
    )
    bob = make_user("student", username="bob", first_name="Bob", last_name="Bekov", class_name="7A")
    return {"teacher": teacher, "course": course, "section": section, "alice": alice, "bob": bob}


@pytest.fixture
def world(make_user):
    return make_world(make_user)


def _assignment(world, **overrides):
    fields = {
        "title": "Essay on computers",
        "instructions_md": "Write **two** pages",
        "allow_text": True,
        "allow_file": True,
        "max_file_mb": 1,
        "file_types": "pdf, .DOCX png",
        "max_upload_mb": 200,
    }
    fields.update(overrides)
    return services.create_assignment(world["teacher"], world["course"], **fields)


def test_create_renders_markdown_and_validates_each_field(world):
    a = _assignment(
        world,
        instructions_md="Hi <script>alert(1)</script> **bold**",
        section_id=world["section"].id,
    )
    assert "<strong>bold</strong>" in a.instructions_html and "<script" not in a.instructions_html
    assert a.file_type_list == ["pdf", "docx", "png"] and a.section_id == world["section"].id
    cases = [
        ({"title": " "}, "title"),
        ({"file_types": "pdf,exe"}, "file_types"),
        ({"max_file_mb": 500}, "max_file_mb"),
        ({"max_file_mb": "x"}, "max_file_mb"),
        ({"allow_text": False, "allow_file": False}, "submission_types"),
        ({"file_types": ""}, "file_types"),
        ({"section_id": "nope"}, "section"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as err:
            _assignment(world, **overrides)
        assert err.value.field == field, overrides
    with pytest.raises(Forbidden):
        services.create_assignment(world["alice"], world["course"], title="x", max_upload_mb=200)


def test_update_and_parse_due_in_school_time(world):
    a = _assignment(world)
    due = from_input("2026-03-01T18:00", ZoneInfo("Asia/Bishkek"), "due_at")
    assert due == dt.datetime(2026, 3, 1, 12, 0)  # Bishkek is UTC+6
    services.update_assignment(
        world["teacher"], a, title="Renamed", due_at=due, allow_file=False, max_upload_mb=200
    )
    a = services.get_assignment(world["alice"], a.id)
    assert (a.title, a.due_at, a.allow_file) == ("Renamed", due, False)
    with pytest.raises(ValidationError) as err:
        from_input("tomorrow", ZoneInfo("UTC"), "due_at")
    assert err.value.field == "due_at"


def test_text_and_file_submission_stored_by_checksum(world, store):
    a = _assignment(world)
    sub = services.submit(
        world["alice"],
        a,
        store=store,
        text="My answer",
        stream=io.BytesIO(PDF),
        filename="C:\\Users\\me\\essay.pdf",
    )
    assert (sub.text, sub.filename, sub.mime, sub.size) == (
        "My answer",
        "essay.pdf",
        "application/pdf",
        len(PDF),
    )
    assert store.path_for(sub.sha256).read_bytes() == PDF and not sub.late


def test_file_over_the_limit_is_refused_and_nothing_stored(world, store):
    a = _assignment(world)
    big = PDF + b"\x00" * MB
    with pytest.raises(ValidationError, match="larger than the limit of 1 MB") as err:
        services.submit(world["alice"], a, store=store, stream=io.BytesIO(big), filename="big.pdf")
    assert err.value.field == "file"
    assert Submission.select().count() == 0 and ContentBlob.select().count() == 0
    assert not [p for p in store.root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "name,data",
    [
        ("virus.exe", EXE),
        ("essay.pdf", EXE),
        ("notes.txt", EXE),
        ("picture.png", PDF),
        ("essay.docx", b"#!/bin/sh\nrm -rf /"),
    ],
)
def test_wrong_type_or_disguised_program_refused(world, store, name, data):
    a = _assignment(world, file_types="pdf,png,docx,txt")
    with pytest.raises(ValidationError):
        services.submit(world["alice"], a, store=store, stream=io.BytesIO(data), filename=name)
    assert Submission.select().count() == 0


def test_late_flag_by_server_clock(world, store, monkeypatch):
    a = _assignment(world, due_at=dt.datetime(2026, 3, 1, 12, 0))
    monkeypatch.setattr(services, "clock", lambda: dt.datetime(2026, 3, 1, 11, 59))
    assert not services.submit(world["alice"], a, store=store, text="early").late
    monkeypatch.setattr(services, "clock", lambda: dt.datetime(2026, 3, 1, 12, 1))
    sub = services.submit(world["bob"], a, store=store, text="late")
    assert sub.late and sub.submitted_at == dt.datetime(2026, 3, 1, 12, 1)


def test_resubmission_replaces_until_graded_then_refused_until_reopened(world, store):
    a = _assignment(world)
    first = services.submit(
        world["alice"], a, store=store, text="draft", stream=io.BytesIO(PDF), filename="a.pdf"
    )
    second = services.submit(world["alice"], a, store=store, text="final")
    assert second.id == first.id and Submission.select().count() == 1
    assert (second.text, second.filename) == ("final", "a.pdf")  # the file is kept
    services.grade(world["teacher"], second, store=store, max_upload_mb=200, percent="90")
    with pytest.raises(ValidationError, match="graded"):
        services.submit(world["alice"], a, store=store, text="changed my mind")
    assert Submission.get_by_id(first.id).text == "final"
    services.reopen(world["teacher"], Submission.get_by_id(first.id))
    again = services.submit(
        world["alice"], a, store=store, text="better", stream=io.BytesIO(PNG), filename="b.png"
    )
    assert (again.text, again.filename, again.status) == ("better", "b.png", "resubmitted")


def test_grading_sends_submission_graded_with_the_percent(world, store):
    a = _assignment(world)
    sub = services.submit(world["alice"], a, store=store, text="answer")
    received = []

    def receiver(sender, **kw):
        received.append((sender, kw))

    submission_graded.connect(receiver)
    try:
        services.grade(world["teacher"], sub, store=store, max_upload_mb=200, percent="87,5")
        services.reopen(world["teacher"], sub)
        services.grade(world["teacher"], sub, store=store, max_upload_mb=200, mark="4")
    finally:
        submission_graded.disconnect(receiver)
    assert [kw["percent"] for _, kw in received] == [87.5, 77.5]
    sender, kw = received[0]
    assert sender.id == a.id and kw["student_id"] == world["alice"].id
    assert (kw["course_id"], kw["item_id"], kw["item_title"], kw["item_kind"]) == (
        world["course"].id,
        a.id,
        a.title,
        "assignment",
    )
    sub = Submission.get_by_id(sub.id)
    assert (sub.percent, sub.mark, sub.status) == (77.5, 4, "graded")


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"percent": "101"}, "percent"),
        ({"mark": "6"}, "mark"),
        ({}, "percent"),
        ({"percent": "50", "mark": "3"}, "percent"),
    ],
)
def test_bad_grade_refused(world, store, kw, field):
    sub = services.submit(world["alice"], _assignment(world), store=store, text="answer")
    with pytest.raises(ValidationError) as err:
        services.grade(world["teacher"], sub, store=store, max_upload_mb=200, **kw)
    assert err.value.field == field and not Submission.get_by_id(sub.id).locked


def test_feedback_text_and_file(world, store):
    sub = services.submit(world["alice"], _assignment(world), store=store, text="answer")
    services.grade(
        world["teacher"],
        sub,
        store=store,
        max_upload_mb=200,
        percent=70,
        feedback="Good, see notes",
        feedback_stream=io.BytesIO(PDF),
        feedback_filename="notes.pdf",
    )
    seen = services.get_submission(world["alice"], sub.id)
    assert (seen.feedback, seen.feedback_filename, seen.feedback_mime) == (
        "Good, see notes",
        "notes.pdf",
        "application/pdf",
    )
    assert store.path_for(seen.feedback_sha256).read_bytes() == PDF


def test_students_see_only_their_own_submission(world, store, make_user):
    a = _assignment(world)
    sub = services.submit(world["alice"], a, store=store, text="mine")
    with pytest.raises(NotFound):
        services.get_submission(world["bob"], sub.id)
    other_teacher = make_user("teacher")
    with pytest.raises(NotFound):
        services.get_submission(other_teacher, sub.id)
    with pytest.raises(Forbidden):
        services.grade(world["bob"], sub, store=store, max_upload_mb=200, percent=100)
    outsider = make_user("student", class_name="9B")
    with pytest.raises(NotFound):
        services.get_assignment(outsider, a.id)
    with pytest.raises(Forbidden):
        services.submit(outsider, a, store=store, text="let me in")


def test_zip_holds_every_submission_with_safe_unique_names(world, store, make_user):
    a = _assignment(world, file_types="pdf,docx,png,txt")
    evil = make_user(
        "student", username="evil", first_name="../../etc", last_name="..", class_name="7A"
    )
    services.submit(
        world["alice"],
        a,
        store=store,
        text="Привет",
        stream=io.BytesIO(b"also text"),
        filename="submission.txt",
    )
    services.submit(world["bob"], a, store=store, stream=io.BytesIO(DOCX), filename="essay.docx")
    services.submit(evil, a, store=store, stream=io.BytesIO(PNG), filename="..\\..\\passwd.png")
    with archive.write_archive(a, store) as out, zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert sorted(names) == sorted(
            [
                "Asanova_Alice_alice/submission.txt",
                "Asanova_Alice_alice/submission (2).txt",
                "Bekov_Bob_bob/essay.docx",
                "_.._.._etc_evil/passwd.png",
            ]
        )
        assert zf.read("Asanova_Alice_alice/submission.txt").decode("utf-8-sig") == "Привет"
        assert zf.read("Bekov_Bob_bob/essay.docx") == DOCX
        assert zf.read("_.._.._etc_evil/passwd.png") == PNG
        assert zf.read("Asanova_Alice_alice/submission (2).txt") == b"also text"
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/")


def test_duplicate_names_get_numbers():
    taken: set[str] = set()
    assert [archive._unique(n, taken) for n in ("a.pdf", "A.pdf", "a.pdf", "b")] == [
        "a.pdf",
        "A (2).pdf",
        "a (3).pdf",
        "b",
    ]
    assert archive.safe_part("../..") == "_.." and archive.safe_part("") == "file"


def test_grade_reaches_the_journal_as_a_mark(world, store):
    """The journal's receiver turns the percent into a mark (default thresholds: 77.5% → 4)."""
    import appliance.models  # noqa: F401  (connects the journal's receivers, as the app does)
    from appliance.journal.models import Mark

    sub = services.submit(world["alice"], _assignment(world), store=store, text="answer")
    services.grade(world["teacher"], sub, store=store, max_upload_mb=200, mark=4)
    mark = Mark.get(Mark.student == world["alice"].id)
    assert (mark.auto_value, mark.auto_percent) == (4, 77.5)

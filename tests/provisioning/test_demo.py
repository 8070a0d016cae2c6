"""`mektep demo`: builds a whole demo school once, prints the logins, serves unless told not to."""

import io
import wave

import pytest
from click.testing import CliRunner

from appliance.accounts import services as accounts
from appliance.accounts.models import User
from appliance.courses.models import Course, Enrolment, GlossaryEntry, Lesson, Resource
from appliance.db import db
from provisioning import demo
from provisioning import demo_media as media
from provisioning.cli import main


@pytest.fixture
def run(tmp_path):
    """Invoke `mektep --home TMP ...`; closes the database the command opened."""
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(
            main, ["--home", str(tmp_path / "demo"), *args], catch_exceptions=False
        )

    yield invoke
    if not db.is_closed():
        db.close()


def counts():
    return {
        model.__name__: model.select().count()
        for model in (User, Course, Lesson, Resource, GlossaryEntry, Enrolment)
    }


def test_demo_creates_the_school_once(run):
    first = run("demo", "--no-serve")
    assert first.exit_code == 0, first.output
    assert "admin / admin123" in first.output and "teacher1 / teacher123" in first.output
    assert "login cards" in first.output
    made = counts()
    assert made["User"] == 1 + 2 + 2 * 25
    assert made["Course"] == 2 and made["Lesson"] >= 5 and made["Enrolment"] == 2
    assert {c.name for c in accounts.list_classes()} == {"7А", "8Б"}
    assert len(accounts.students_of(accounts.find_class("8Б"))) == 25
    mimes = {r.mime for r in Resource.select()}
    assert {"image/png", "audio/wav", "application/pdf"} <= mimes
    assert ("video/webm" in mimes) == media.FFMPEG.exists()
    terms = [e.term for e in GlossaryEntry.select()]
    assert {term[0] for term in terms} >= {"Ң", "Ө", "Ү"}
    assert Course.get(Course.language == "ky").title == "Информатика 7-класс"
    printed = [line.split()[0] for line in first.output.splitlines() if "(student," in line]
    assert len(printed) == 4 and all(accounts.find_user(name) for name in printed)

    second = run("demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert "already exists" in second.output
    assert counts() == made


def test_demo_serves_after_creating(run, monkeypatch):
    served = []
    monkeypatch.setattr(demo, "run_server", lambda node, host, port: served.append((host, port)))
    result = run("demo", "--port", "18123")
    assert result.exit_code == 0, result.output
    assert served == [(None, 18123)]
    assert "http://127.0.0.1:18123/" in result.output


def test_generated_media_are_valid():
    png = media.computer_diagram_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
    with wave.open(io.BytesIO(media.tones_wav(seconds_each=0.5, rate=8000))) as wav:
        assert wav.getnframes() == 4 * 4000 and wav.getframerate() == 8000
    pdf = media.one_page_pdf(["Hello (world)"])
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:].startswith(b"xref\n0 6\n")
    # Every offset in the cross-reference table points at its object.
    offsets = [int(line[:10]) for line in pdf[xref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)

"""A quiz in a real browser against the real server: GIFT import in the teacher's pages, a timed
quiz, autosave by quiz.js, a PC closed mid-quiz and the attempt resumed on another, essay mark,
results with item analysis."""

from __future__ import annotations

import re
import time

import pytest

from appliance.accounts import services as accounts
from appliance.config import load_config
from appliance.db import db, init_database
from appliance.quizzes.models import Attempt, AttemptAnswer
from appliance.school.services import ensure_identity
from tests.samples import enrol_class, make_course

pytestmark = pytest.mark.e2e

GIFT = """\
// A comment line
::Capital:: Capital of Kyrgyzstan? {=Bishkek ~Osh ~Naryn}

::Pi:: Pi to two places? {#3.14:0.005}

::Essay:: Describe your village. {}
"""


def _login(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "password1")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url


def _saved_answers(node, want: int = 3, seconds: float = 10) -> int:
    """How many answers the server holds, waiting up to ``seconds`` for ``want``."""
    init_database(load_config(node.home))
    deadline = time.monotonic() + seconds
    try:
        while True:
            count = AttemptAnswer.select().where(AttemptAnswer.response.is_null(False)).count()
            if count >= want or time.monotonic() > deadline:
                return count
            time.sleep(0.2)
    finally:
        db.close()


def test_quiz_in_the_browser(live_node, chromium, tmp_path):
    init_database(load_config(live_node.home))
    ensure_identity("node")
    teacher, _ = accounts.create_user("teacher1", "teacher", password="password1")
    course, _ = make_course(teacher)
    enrol_class(course, "9A")
    accounts.create_user("aibek", "student", password="password1", class_name="9A")
    db.close()
    base = live_node.url
    gift = tmp_path / "bank.gift.txt"
    gift.write_text(GIFT)

    teacher_pc = chromium.new_context()
    page = teacher_pc.new_page()
    _login(page, base, "teacher1")
    page.goto(f"{base}/courses/{course.id}/questions/import")
    page.set_input_files("input[name=file]", str(gift))
    page.click("main form button[type=submit]")
    assert "3 question(s) can be imported" in page.content()
    page.click("button[name=mode][value=all]")
    assert "3 question(s) imported." in page.content()
    page.goto(f"{base}/courses/{course.id}/quizzes/new")
    page.fill("input[name=title]", "Geography")
    page.fill("input[name=time_limit]", "10")
    page.check("input[name=published]")
    page.click("main form button[type=submit]")
    for box in page.query_selector_all("input[name=question]"):
        box.check()
    page.click("button[name=action][value=add]")
    assert "3 question(s) added." in page.content()
    quiz_url = page.url.rsplit("/questions", 1)[0]

    first_pc = chromium.new_context()
    pupil = first_pc.new_page()
    _login(pupil, base, "aibek")
    pupil.goto(quiz_url)
    pupil.click("text=Start the quiz")
    assert "Time left:" in pupil.content()
    pupil.check("label.choice:has-text('Bishkek') input")
    pupil.wait_for_selector("#save-status.saved")
    pupil.fill("fieldset:has-text('Pi to two places') input", "3,14")
    pupil.fill("textarea", "Our village has a river.")
    assert _saved_answers(live_node) == 3  # quiz.js saved each answer without a page move
    first_pc.close()  # the PC crashes mid-quiz

    second_pc = chromium.new_context()
    pupil = second_pc.new_page()
    _login(pupil, base, "aibek")
    pupil.goto(quiz_url)
    pupil.click("text=Continue the attempt")
    assert pupil.is_checked("label.choice:has-text('Bishkek') input")
    assert pupil.input_value("fieldset:has-text('Pi to two places') input") == "3,14"
    assert pupil.input_value("textarea") == "Our village has a river."
    pupil.once("dialog", lambda dialog: dialog.accept())
    pupil.click("#finish")
    pupil.wait_for_url(re.compile(r".*/review$"))
    assert "Your answers were submitted." in pupil.content()
    second_pc.close()

    page.goto(quiz_url + "/essays")
    assert "Our village has a river." in page.content()
    page.fill("input[name=mark]", "1")
    page.click("main form button[type=submit]")
    page.goto(quiz_url + "/results")
    content = page.content()
    assert "Item analysis" in content and "100%" in content
    teacher_pc.close()

    init_database(load_config(live_node.home))
    try:
        (attempt,) = Attempt.select()
        assert attempt.percent == 100.0 and attempt.graded_count == 1
    finally:
        db.close()

"""Issue 3's acceptance test: assessment from GIFT import to the exported journal, in a browser.

The admin enters the school year in the browser (journal → school year page) → a teacher imports
a GIFT file in the teacher UI → builds a one-minute quiz → three students take it, each on their
own PC (browser context): one answers everything; one loses the PC mid-quiz and resumes on
another with the answers intact; one runs out of time (the SERVER's clock is moved, no sleep) and
is submitted automatically → the journal shows the quiz column, empty while essays wait → the
teacher marks the essays → the marks 5/4/3 appear → item analysis shows each question's facility
→ the quarter's journal downloaded as XLSX holds the marks. Once with JavaScript (autosave by
quiz.js), once without (answers saved by the page's Save button).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook

from appliance.config import load_config
from appliance.db import db, init_database
from appliance.quizzes.clock import TEST_OFFSET_ENV
from appliance.quizzes.models import Attempt
from tests.e2e.conftest import LiveNode, login

pytestmark = pytest.mark.e2e

GIFT = """\
// Geography 9: one question of each type the flow needs.
::Capital:: Capital of Kyrgyzstan? {=Bishkek ~Osh ~Naryn}

::Sun:: The sun is a star. {T}

::Lake:: The largest lake of Kyrgyzstan? {=Issyk-Kul =Issyk Kul}

::Pi:: Pi to two places? {#3.14:0.005}

::Essay:: Describe your village. {}
"""
PASSWORD = "password1"
# username → full name; the grid and the export list students by full name.
STUDENTS = {"aigul": "Asanova Aigul", "nurlan": "Osmonov Nurlan", "timur": "Sadykov Timur"}
Q_CAPITAL = "fieldset:has-text('Capital of Kyrgyzstan')"
Q_SUN = "fieldset:has-text('The sun is a star')"
Q_LAKE = "fieldset:has-text('largest lake')"
Q_PI = "fieldset:has-text('Pi to two places')"
Q_ESSAY = "fieldset:has-text('Describe your village')"


@pytest.fixture
def school(tmp_path):
    """A node whose quiz clock can be moved by writing seconds into ``school.clock_file``."""
    clock_file = tmp_path / "clock-offset"
    node = LiveNode(tmp_path / "node", env={TEST_OFFSET_ENV: str(clock_file)})
    node.clock_file = clock_file
    try:
        node.add_user("admin", "director", PASSWORD)
        node.add_user("teacher", "teacher", PASSWORD, name="Tokonov Bakyt")
        for username, name in STUDENTS.items():
            node.add_user("student", username, PASSWORD, name=name, class_name="9A")
        yield node
    finally:
        node.stop()


def _login(context, base, username):
    """A new tab on the PC ``context``, logged in as ``username``."""
    page = context.new_page()
    login(page, base, username, PASSWORD)
    return page


def _submit(page, selector="main form button[type=submit]"):
    page.click(selector)
    page.wait_for_load_state()


class Pupil:
    """A student on one classroom PC, answering with or without JavaScript."""

    def __init__(self, browser, base, username, javascript):
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = _login(self.context, base, username)
        self.javascript = javascript

    def _saved(self, act):
        """Do ``act``; with JavaScript wait for quiz.js to store the answer on the server."""
        if not self.javascript:
            act()
            return
        with self.page.expect_response(lambda r: "/answer" in r.url) as saved:
            act()
        assert saved.value.ok, saved.value.text()

    def choose(self, question, label):
        self._saved(lambda: self.page.check(f"{question} label.choice:has-text('{label}') input"))

    def type(self, question, text, field="input"):
        def act():
            self.page.fill(f"{question} {field}", text)
            self.page.press(f"{question} {field}", "Tab")  # leaving the field saves it at once

        self._saved(act)

    def save_page(self):
        """Without JavaScript the answers travel with a page move (the Save button)."""
        if not self.javascript:
            _submit(self.page, "button[name=nav][value=save]")

    def open_quiz(self, quiz_url, button):
        self.page.goto(quiz_url)
        _submit(self.page, f"main form button:has-text('{button}')")
        assert re.search(r"/attempts/[0-9a-f-]{36}$", self.page.url), self.page.url

    def finish(self):
        if self.javascript:
            self.page.once("dialog", lambda dialog: dialog.accept())
        self.page.click("#finish")
        self.page.wait_for_url(re.compile(r".*/review$"))
        assert "Your answers were submitted." in self.page.content()


def _admin_enters_school_year(browser, base, today):
    """Through the admin's journal page (not services): a year whose second quarter holds today."""
    context = browser.new_context()
    page = _login(context, base, "director")
    page.goto(f"{base}/journal")
    _submit(page, "a:has-text('School year and quarters')")
    day = dt.timedelta(days=1)
    q2 = (today - 30 * day, today + 30 * day)
    dates = {
        "start": today - 100 * day,
        "end": today + 200 * day,
        "q1_start": today - 100 * day,
        "q1_end": q2[0] - day,
        "q2_start": q2[0],
        "q2_end": q2[1],
        "q3_start": q2[1] + day,
        "q3_end": today + 120 * day,
        "q4_start": today + 121 * day,
        "q4_end": today + 200 * day,
    }
    page.fill("input[name=name]", "Test year")
    for name, value in dates.items():
        page.fill(f"input[name={name}]", value.isoformat())
    _submit(page, "main form.card button")
    assert "School year saved." in page.content()
    context.close()


def _teacher_builds_quiz(page, base, tmp_path):
    """Course and class enrolment, GIFT import (preview, then import), a one-minute quiz."""
    page.goto(f"{base}/courses/new")
    page.fill("input[name=title]", "Geography 9")
    page.fill("input[name=grade]", "9")
    _submit(page)
    course_url = base + re.search(r"/courses/[0-9a-f-]{36}", page.url).group(0)
    page.goto(f"{course_url}/enrol")
    page.check("input[name=classes] >> nth=0")
    _submit(page, "button[name=action][value=classes]")

    gift = tmp_path / "geography.gift.txt"
    gift.write_text(GIFT, encoding="utf-8")
    page.goto(f"{course_url}/questions/import")
    page.set_input_files("input[name=file]", str(gift))
    _submit(page)
    assert "5 question(s) can be imported" in page.content()
    _submit(page, "button[name=mode][value=all]")
    assert "5 question(s) imported." in page.content()

    page.goto(f"{course_url}/quizzes/new")
    page.fill("input[name=title]", "Geography test")
    page.fill("input[name=time_limit]", "1")
    page.check("input[name=published]")
    _submit(page)
    assert page.url.endswith("/questions"), page.url
    for box in page.query_selector_all("input[name=question]"):
        box.check()
    _submit(page, "button[name=action][value=add]")
    assert "5 question(s) added." in page.content()
    return page.url.rsplit("/questions", 1)[0]


def _journal_marks(page, base) -> dict[str, str]:
    """Full name → what the grid's quiz cell shows for this quarter."""
    page.goto(f"{base}/journal")
    _submit(page, "a:has-text('9A · Geography 9')")
    assert page.locator("th.col-quiz:has-text('Geography test')").count() == 1
    cells = {}
    for name in STUDENTS.values():
        row = page.locator("tr", has=page.locator(f"th.name:has-text('{name}')"))
        cells[name] = row.locator("td input.mark").first.input_value()
    return cells


def run_flow(browser, node, tmp_path, javascript: bool):
    base = node.url
    _admin_enters_school_year(browser, base, dt.date.today())
    teacher_pc = browser.new_context()
    teacher = _login(teacher_pc, base, "teacher")
    quiz_url = _teacher_builds_quiz(teacher, base, tmp_path)

    # Student 1 answers everything right and submits.
    aigul = Pupil(browser, base, "aigul", javascript)
    aigul.open_quiz(quiz_url, "Start the quiz")
    assert "Time left:" in aigul.page.content()
    aigul.choose(Q_CAPITAL, "Bishkek")
    aigul.choose(Q_SUN, "True")
    aigul.type(Q_LAKE, "Issyk-Kul")
    aigul.type(Q_PI, "3.14")
    aigul.type(Q_ESSAY, "Our village lies by a river.", field="textarea")
    aigul.finish()
    aigul.context.close()

    # Student 2 answers three questions; the PC dies; on another PC the answers are there.
    nurlan = Pupil(browser, base, "nurlan", javascript)
    nurlan.open_quiz(quiz_url, "Start the quiz")
    nurlan.choose(Q_CAPITAL, "Bishkek")
    nurlan.type(Q_LAKE, "issyk kul")  # short answers match without regard to case
    nurlan.type(Q_ESSAY, "Apricot trees and a school.", field="textarea")
    nurlan.save_page()
    nurlan.context.close()  # the PC is switched off mid-quiz

    nurlan = Pupil(browser, base, "nurlan", javascript)
    nurlan.open_quiz(quiz_url, "Continue the attempt")
    page = nurlan.page
    assert page.is_checked(f"{Q_CAPITAL} label.choice:has-text('Bishkek') input")
    assert not page.is_checked(f"{Q_SUN} input[value=true]")
    assert not page.is_checked(f"{Q_SUN} input[value=false]")
    assert page.input_value(f"{Q_LAKE} input") == "issyk kul"
    assert page.input_value(f"{Q_PI} input") == ""
    assert page.input_value(f"{Q_ESSAY} textarea") == "Apricot trees and a school."
    nurlan.choose(Q_SUN, "False")  # wrong
    nurlan.type(Q_PI, "3,14")  # a decimal comma is a number too
    nurlan.finish()
    nurlan.context.close()

    # Student 3 answers three questions, then the server's clock passes the one-minute limit.
    timur = Pupil(browser, base, "timur", javascript)
    timur.open_quiz(quiz_url, "Start the quiz")
    timur.choose(Q_CAPITAL, "Bishkek")
    timur.choose(Q_SUN, "True")
    timur.type(Q_PI, "3.14")
    timur.save_page()
    node.clock_file.write_text("90")  # 90 s later on the server: past the limit, inside the grace
    timur.page.goto(timur.page.url.split("?")[0])  # the next request finds the time over
    timur.page.wait_for_url(re.compile(r".*/review$"))
    review = timur.page.locator("main").inner_text()
    assert "The time is up. Your attempt was submitted with the answers you saved." in review
    assert "submitted when the time ran out" in review
    timur.context.close()

    # The quiz column is in the journal. Written essays wait for the teacher (no mark yet);
    # Timur's essay was left blank, so it earned 0 at once and his mark (3/5 = 60% → 3) is there.
    assert _journal_marks(teacher, base) == {
        "Asanova Aigul": "",
        "Osmonov Nurlan": "",
        "Sadykov Timur": "3",
    }

    teacher.goto(quiz_url + "/essays")
    assert teacher.locator("section.card").count() == 2
    assert teacher.locator("section.card:has-text('Sadykov Timur')").count() == 0

    def grade_essay(name, mark):
        card = teacher.locator(f"section.card:has-text('{name}')")
        card.locator("input[name=mark]").fill(mark)
        card.locator("button[type=submit]").click()
        teacher.wait_for_load_state()

    grade_essay("Asanova Aigul", "1")
    assert _journal_marks(teacher, base) == {
        "Asanova Aigul": "5",
        "Osmonov Nurlan": "",
        "Sadykov Timur": "3",
    }
    teacher.goto(quiz_url + "/essays")
    grade_essay("Osmonov Nurlan", "1")
    assert "No essays wait for a mark." in teacher.content()
    # 5/5 = 100% → 5; 4/5 = 80% → 4; 3/5 = 60% → 3 (default thresholds 85/70/50).
    expected = {"Asanova Aigul": 5, "Osmonov Nurlan": 4, "Sadykov Timur": 3}
    assert _journal_marks(teacher, base) == {k: str(v) for k, v in expected.items()}

    # Item analysis: facility = the mean share of the mark earned on each question.
    teacher.goto(quiz_url + "/results")
    assert "Graded: 3" in teacher.content()
    facility = {}
    for row in teacher.locator("tr:has(td.facility)").all():
        facility[row.locator("td").first.inner_text().strip()] = (
            row.locator("td.facility").inner_text().strip()
        )
    assert facility == {
        "Capital": "100%",
        "Essay": "66.67%",
        "Lake": "66.67%",
        "Pi": "100%",
        "Sun": "66.67%",
    }

    # The quarter's journal as XLSX, downloaded through the page's link.
    _journal_marks(teacher, base)
    with teacher.expect_download() as download:
        teacher.click("a:has-text('Export XLSX')")
    path = tmp_path / f"journal-{javascript}.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[0] == "Student" and header[-1] == "Quarter 2"
    quiz_column = next(i for i, label in enumerate(header) if label and "Geography test" in label)
    exported = {row[0]: row[quiz_column] for row in rows[1:]}
    assert exported == expected
    assert {row[0]: row[-1] for row in rows[1:]} == expected  # the only mark is the quarter's mean
    teacher_pc.close()

    init_database(load_config(node.home))
    try:
        auto = {a.student.username: a.auto_submitted for a in Attempt.select()}
    finally:
        db.close()
    assert auto == {"aigul": False, "nurlan": False, "timur": True}


def test_assessment_flow_with_javascript(chromium, school, tmp_path):
    run_flow(chromium, school, tmp_path, javascript=True)


def test_assessment_flow_without_javascript(chromium, school, tmp_path):
    run_flow(chromium, school, tmp_path, javascript=False)

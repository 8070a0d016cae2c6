"""Issue 5's acceptance test: a real PostgreSQL hub and a real node, everything through commands and pages.

The hub is made and served by the real commands (`mektep hub init --database-url`, `mektep hub serve`);
its admin imports a school from CSV and prints an enrollment token. The node (`mektep serve`, SQLite)
gets its users with `mektep users add` and enrolls with `mektep enroll`. In the browser the node's
admin enters the school year (journal → school year page) and a teacher creates a course, enrols the
class, adds a lesson date to the journal and types the marks. After `mektep sync now` the hub's
`hub report --json` and its report page show the school's students, marks and mean mark. Then the hub's
admin writes a national course with a section and a lesson in the HUB'S OWN course pages (a browser on
the hub); after the next sync the node's teacher finds it in the catalogue, it opens read-only, and the
teacher copies it into a local course. The same replication against a SQLite hub is in tests/sync
(the `hub` fixture runs every replication test on both), so it is not repeated here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest

from appliance.config import load_config
from appliance.db import make_database
from tests.e2e.conftest import LiveNode, login, mektep
from tests.e2e.test_assessment_flow import PASSWORD, _admin_enters_school_year
from tests.parts import free_port, serve
from tests.sync.harness import assert_hub_equals_node, bound

pytestmark = pytest.mark.e2e

CODE = "41999"
ID = r"[0-9a-f-]{36}"
# username → (full name, the mark the teacher types); the mean is 13 / 3 = 4.33.
STUDENTS = {
    "aigul": ("Asanova Aigul", 5),
    "nurlan": ("Osmonov Nurlan", 4),
    "timur": ("Sadykov Timur", 4),
}


class ServedHub:
    """A hub made by `mektep hub init` on PostgreSQL and served by `mektep hub serve`."""

    def __init__(self, home, database_url: str):
        self.home = home
        home.mkdir(parents=True)
        init = mektep(
            home,
            "hub",
            "init",
            "--database-url",
            database_url,
            "--admin",
            "ministry",
            "--password",
            PASSWORD,
        )
        assert "Created hub admin ministry." in init.stdout, init.stdout + init.stderr
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home / "serve.log"
        self.proc = serve(home, self.port, ("hub", "serve"), env={"MEKTEP_DEFAULT_LANGUAGE": "en"})
        self.database = make_database(load_config(home))

    def run(self, *args: str, **kwargs):
        return mektep(self.home, *args, **kwargs)

    def db(self):
        """The hub's database bound in this process (for the exact-copy check)."""
        return bound(self.database)

    def stop(self) -> None:
        LiveNode.stop(self)  # the same terminate-then-kill of the server process
        if not self.database.is_closed():
            self.database.close()
        if hasattr(self.database, "close_all"):  # the PostgreSQL pool keeps its connections
            self.database.close_all()


@pytest.fixture
def served_hub(postgres, tmp_path):
    hub = ServedHub(
        tmp_path / "hub", postgres.create_database(f"hub_accept_{uuid.uuid4().hex[:8]}")
    )
    yield hub
    hub.stop()


def _submit(page, selector="main form button[type=submit]"):
    page.click(selector)
    page.wait_for_load_state()


def _page(browser, base, username):
    page = browser.new_context().new_page()
    login(page, base, username, PASSWORD)
    return page


def _enrol_school(hub, node, tmp_path) -> None:
    """The hub's admin registers the school from CSV and prints a token; the node enrolls with it."""
    schools = tmp_path / "schools.csv"
    schools.write_text(
        f"code,name,oblast,rayon\n{CODE},Toktogul School No. 1,Jalal-Abad,\n", encoding="utf-8"
    )
    imported = hub.run("hub", "schools", "import", str(schools))
    assert "Added 1 school(s)" in imported.stdout, imported.stdout + imported.stderr
    token = hub.run("hub", "token", "--school", CODE).stdout.strip()
    assert token and "\n" not in token and " " not in token
    node.add_user("admin", "director", PASSWORD)
    node.add_user("teacher", "teacher", PASSWORD, name="Tokonov Bakyt")
    for username, (name, _mark) in STUDENTS.items():
        node.add_user("student", username, PASSWORD, name=name, class_name="9A")
    enrolled = node.run("enroll", "--hub", hub.url, "--token", token)
    assert f"of school {CODE} (Toktogul School No. 1)" in enrolled.stdout
    refused = node.run("enroll", "--hub", hub.url, "--token", token, check=False)
    assert refused.returncode == 1  # the token was one-time


def _teacher_marks_the_journal(page, base) -> None:
    """A course, the class enrolled, a lesson date column for today and a mark per student."""
    page.goto(f"{base}/courses/new")
    page.fill("input[name=title]", "Algebra 9")
    page.fill("input[name=grade]", "9")
    _submit(page)
    course_url = base + re.search(rf"/courses/{ID}", page.url).group(0)
    page.goto(f"{course_url}/enrol")
    page.check("input[name=classes] >> nth=0")
    _submit(page, "button[name=action][value=classes]")

    page.goto(f"{base}/journal")
    _submit(page, "a:has-text('9A · Algebra 9')")
    assert "No columns in this period yet" in page.content()
    page.fill("form.card input[name=title]", "Quadratic equations")
    _submit(page, "form.card button:has-text('Add column')")
    assert "Column added." in page.content()
    assert page.locator("th.col-lesson").count() == 1
    for name, mark in STUDENTS.values():
        row = page.locator("tr", has=page.locator(f"th.name:has-text('{name}')"))
        row.locator("td input.mark").first.fill(str(mark))
    _submit(page, "form.journal-form > button")
    assert "Journal saved: 3 change(s)." in page.content()


def _sync(node) -> str:
    result = node.run("sync", "now", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok in" in result.stdout
    return result.stdout


def _hub_admin_publishes_national_course(page, base) -> str:
    """Through the hub's own course pages: a course, a section and a lesson (origin "hub")."""
    page.goto(f"{base}/courses/new")
    page.fill("input[name=title]", "National physics 7")
    page.fill("textarea[name=description]", "The ministry's course")
    page.fill("input[name=grade]", "7")
    _submit(page)
    course_path = re.search(rf"/courses/{ID}", page.url).group(0)
    page.goto(f"{base}{course_path}/sections")
    page.fill("form.card input[name=title]", "Motion")
    _submit(page, "form.card button:has-text('Add section')")
    page.goto(f"{base}{course_path}/lessons/new")
    page.fill("input[name=title]", "Speed")
    page.fill("textarea[name=body_md]", "Speed is distance over **time**.")
    _submit(page, "button[name=action][value=save]")
    assert re.search(rf"{course_path}/lessons/{ID}", page.url), page.url
    return course_path


def test_marks_reach_the_hub_and_a_national_course_reaches_the_node(chromium, served_hub, tmp_path):
    hub = served_hub
    node = LiveNode(tmp_path / "node", env={"MEKTEP_DEFAULT_LANGUAGE": "en"})
    try:
        _enrol_school(hub, node, tmp_path)
        _admin_enters_school_year(chromium, node.url, dt.date.today())
        teacher = _page(chromium, node.url, "teacher")
        _teacher_marks_the_journal(teacher, node.url)

        # Upstream: the marks typed in the node's journal are in the hub's figures.
        _sync(node)
        report = json.loads(hub.run("hub", "report", "--school", CODE, "--json").stdout)
        (school,) = report["schools"]
        marks = [mark for _name, mark in STUDENTS.values()]
        assert (school["code"], school["students"], school["classes"]) == (CODE, 3, 1)
        assert school["marks"] == 3
        assert school["mean_mark"] == round(sum(marks) / len(marks), 2) == 4.33
        assert school["last_sync"] is not None
        assert [c["name"] for c in report["classes"]] == ["9A"]
        (course,) = [c for c in report["courses"] if c["course"] == "Algebra 9"]
        assert (course["quarter"], course["marks"], course["mean_mark"]) == (2, 3, 4.33)
        ministry = _page(chromium, hub.url, "ministry")
        ministry.goto(f"{hub.url}/hub/reports/school/{CODE}")
        row = ministry.locator("table tr", has=ministry.locator(f"td:text-is('{CODE}')"))
        assert row.count() == 1, ministry.content()
        assert "Toktogul School No. 1" in row.inner_text() and "4.33" in row.inner_text()

        # Downstream: a national course written on the hub's pages reaches the node, read-only.
        national = _hub_admin_publishes_national_course(ministry, hub.url)
        pulled = _sync(node)
        assert "received" in pulled
        teacher.goto(f"{node.url}/catalogue")
        card = teacher.locator("article.card", has_text="National physics 7")
        assert card.count() == 1 and card.locator(".badge:text-is('National')").count() == 1
        card.locator(f"a[href='{national}']").click()
        teacher.wait_for_load_state()
        assert teacher.locator(".badge:has-text('National course')").count() == 1
        assert teacher.locator("a:has-text('Edit course')").count() == 0
        assert teacher.locator("a:has-text('Add a lesson')").count() == 0
        assert "Motion" in teacher.content() and "Speed" in teacher.content()
        assert teacher.goto(f"{node.url}{national}/edit").status == 403

        teacher.goto(f"{node.url}{national}")
        _submit(teacher, "main form button:has-text('Copy this course')")
        assert "This is your copy of the course" in teacher.content()
        copy_path = re.search(rf"/courses/{ID}", teacher.url).group(0)
        assert copy_path != national
        assert teacher.locator("a:has-text('Edit course')").count() == 1
        assert teacher.locator(".badge:has-text('National course')").count() == 0
        assert "Motion" in teacher.content() and "Speed" in teacher.content()

        # The copy is school data: it goes up with the next sync, and the hub's copy equals the node's.
        _sync(node)
        node_db = make_database(load_config(node.home))
        with bound(node_db):
            from appliance.school.services import get_setting

            assert_hub_equals_node(hub, get_setting("origin"))
        node_db.close()
    finally:
        node.stop()

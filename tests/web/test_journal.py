"""The journal in the browser (no JavaScript): grid save, errors, history, export, own marks."""

import io
import re

import pytest
from openpyxl import load_workbook

from appliance.journal import calendar, journals, marks
from appliance.journal.models import Attendance, AuditEntry, Mark
from tests.appliance.test_journal_marks import Setup
from tests.appliance.test_journal_periods import QUARTERS
from tests.conftest import login, post


@pytest.fixture
def setup(make_user, app):
    setup = Setup(make_user)
    setup.year = calendar.save_year(setup.admin, "2025–2026", "2025-09-01", "2026-05-31", QUARTERS)
    setup.q1 = calendar.quarters_of(setup.year)[0]
    setup.col = setup.lesson("2025-09-15", "Дроби")
    setup.url = f"/journal/{setup.course.id}/{setup.klass.id}"
    return setup


def _as(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _form(html: str) -> dict:
    """Every named input and selected option of the grid form, as the browser would send it."""
    form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        form[name] = chosen.group(1) if chosen else ""
    form.pop("csrf_token", None)
    return form


def test_teacher_saves_the_grid_without_javascript(app, setup):
    client = _as(app, setup.teacher)
    page = client.get(f"{setup.url}?quarter={setup.q1.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Abdyrakhmanova Anna" in html and "Дроби" in html
    form = _form(html)
    form[f"m:{setup.anna.id}:{setup.col.id}"] = "4"
    form[f"a:{setup.bek.id}:{setup.col.id}"] = "absent"
    response = post(client, setup.url, form, token_from=setup.url)
    assert response.status_code == 302
    assert Mark.get(Mark.student == setup.anna).value == 4
    assert Attendance.get(Attendance.student == setup.bek).status == "absent"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Journal saved: 2 change(s)." in html
    # Sending the unchanged page again changes nothing.
    post(client, setup.url, _form(html), token_from=setup.url)
    assert AuditEntry.select().count() == 2


def test_a_mark_off_the_scale_stores_nothing_and_names_the_cell(app, setup):
    client = _as(app, setup.teacher)
    form = _form(client.get(setup.url).get_data(as_text=True))
    form[f"m:{setup.anna.id}:{setup.col.id}"] = "5"
    form[f"m:{setup.bek.id}:{setup.col.id}"] = "7"
    response = post(client, setup.url, form, token_from=setup.url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bekov Bek, 15.09 Дроби: 7 is not a mark on the scale (5, 4, 3, 2)." in html
    assert 'value="7"' in html  # what the teacher typed is kept for correcting
    assert Mark.select().count() == 0 and AuditEntry.select().count() == 0


def test_override_reason_and_history_page(app, setup):
    setup.graded(percent=72.0)
    quiz = [c for c in setup.journal.columns() if c.kind == "quiz"][0]
    client = _as(app, setup.teacher)
    form = _form(client.get(f"{setup.url}?quarter=all").get_data(as_text=True))
    key = f"m:{setup.anna.id}:{quiz.id}"
    assert form[key] == "4" and form["o" + key] == "4"
    form[key], form["reason"] = "5", "retook orally"
    post(client, setup.url, form, token_from=setup.url)
    html = client.get(f"{setup.url}?quarter=all").get_data(as_text=True)
    assert 'class="override' in html
    history = client.get(f"{setup.url}/history/{quiz.id}/{setup.anna.id}").get_data(as_text=True)
    assert (
        "retook orally" in history
        and "automatic mark" in history
        and "quiz result 72.0%" in history
    )
    assert setup.teacher.full_name in history


def test_add_column_and_export(app, setup):
    client = _as(app, setup.teacher)
    post(
        client,
        f"{setup.url}/columns",
        {"kind": "manual", "date": "2025-10-01", "title": "Dictation"},
        token_from=setup.url,
    )
    column = [c for c in setup.journal.columns() if c.title == "Dictation"][0]
    marks.save_grid(setup.teacher, setup.journal, [(setup.anna.id, column.id, "mark", "3")])
    csv_body = client.get(f"{setup.url}/export.csv?quarter={setup.q1.id}")
    assert csv_body.data.startswith(b"\xef\xbb\xbf") and "01.10 Dictation" in csv_body.data.decode(
        "utf-8-sig"
    )
    xlsx = client.get(f"{setup.url}/export.xlsx?quarter={setup.q1.id}")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][2] == "01.10 Dictation" and rows[1][0] == "Abdyrakhmanova Anna" and rows[1][2] == 3
    )


def test_student_sees_own_marks_only_and_cannot_edit(app, setup):
    marks.save_grid(
        setup.teacher,
        setup.journal,
        [(setup.anna.id, setup.col.id, "mark", "5"), (setup.bek.id, setup.col.id, "mark", "2")],
    )
    bek = _as(app, setup.bek)
    own = bek.get("/journal/me").get_data(as_text=True)
    assert "Algebra" in own and "<strong>2</strong>" in own and "<strong>5</strong>" not in own
    assert "Abdyrakhmanova" not in own
    assert bek.get("/journal").status_code == 302
    assert bek.get(setup.url).status_code == 403
    assert bek.get(f"{setup.url}/history/{setup.col.id}/{setup.anna.id}").status_code == 403
    assert bek.get(f"{setup.url}/export.csv?quarter={setup.q1.id}").status_code == 403
    response = post(
        bek,
        setup.url,
        {f"m:{setup.bek.id}:{setup.col.id}": "5", f"om:{setup.bek.id}:{setup.col.id}": "2"},
        token_from="/journal/me",
    )
    assert response.status_code == 403
    assert Mark.get(Mark.student == setup.bek).value == 2
    assert bek.get("/journal/settings").status_code == 403


def test_another_teacher_cannot_open_the_journal(app, setup, make_user):
    client = _as(app, make_user("teacher"))
    assert client.get(setup.url).status_code == 403
    assert client.get("/journal").status_code == 200


def test_admin_edits_year_and_rules_with_clear_errors(app, setup):
    client = _as(app, setup.admin)
    data = {"name": "2026–2027", "start": "2026-09-01", "end": "2027-05-31"}
    for n, (start, end) in enumerate(QUARTERS, 1):
        data[f"q{n}_start"], data[f"q{n}_end"] = start, end  # last year's dates: outside the year
    response = post(client, "/journal/years", data, token_from="/journal/years")
    assert response.status_code == 400
    assert (
        "Quarter 1 must lie inside the school year (2026-09-01 – 2027-05-31)."
        in response.get_data(as_text=True)
    )
    for n, (start, end) in enumerate(QUARTERS, 1):
        data[f"q{n}_start"], data[f"q{n}_end"] = (
            start.replace("2026", "2027").replace("2025", "2026"),
            end.replace("2026", "2027").replace("2025", "2026"),
        )
    response = post(client, "/journal/years", data, token_from="/journal/years")
    assert response.status_code == 302 and len(calendar.years()) == 2
    response = post(
        client,
        "/journal/settings",
        {
            "scale": "10",
            "rounding": "floor",
            "thresholds_5": "85=5, 70=4, 50=3, 0=2",
            "thresholds_10": "90=10, 0=1",
        },
        token_from="/journal/settings",
    )
    assert response.status_code == 302
    form = _form(_as(app, setup.teacher).get(setup.url).get_data(as_text=True))
    assert form  # the grid still renders
    assert journals.get_journal(setup.admin, setup.course.id, setup.klass.id)
    marks.save_grid(setup.teacher, setup.journal, [(setup.anna.id, setup.col.id, "mark", "9")])
    assert Mark.get(Mark.student == setup.anna).value == 9


def test_grid_queries_do_not_grow_with_students_or_columns(app, setup, make_user):
    from playhouse.test_utils import count_queries

    client = _as(app, setup.teacher)

    def queries():
        with count_queries() as counter:
            assert client.get(f"{setup.url}?quarter={setup.q1.id}").status_code == 200
        return counter.count

    before = queries()
    for n in range(5):
        student = make_user("student", class_name="7А")
        column = setup.lesson(f"2025-09-{20 + n}")
        marks.save_grid(
            setup.teacher,
            setup.journal,
            [
                (student.id, column.id, "mark", "4"),
                (setup.anna.id, column.id, "attendance", "late"),
            ],
        )
    assert queries() == before


def test_teacher_overrides_a_quarter_mark_on_the_periods_page(app, setup):
    marks.save_grid(setup.teacher, setup.journal, [(setup.anna.id, setup.col.id, "mark", "3")])
    client = _as(app, setup.teacher)
    page = f"{setup.url}/periods"
    assert "Quarter 1" in client.get(page).get_data(as_text=True)
    response = post(
        client,
        page,
        {"student": setup.anna.id, "period": "q1", "value": "9"},
        token_from=page,
        follow_redirects=True,
    )
    assert "Abdyrakhmanova Anna, quarter 1: 9 is not a mark on the scale" in response.get_data(
        as_text=True
    )
    post(client, page, {"student": setup.anna.id, "period": "q1", "value": "4"}, token_from=page)
    html = client.get(page).get_data(as_text=True)
    assert 'class="mark override-mark" name="value" value="4"' in html
    own = _as(app, setup.anna).get("/journal/me").get_data(as_text=True)
    assert "Quarter 1: <strong>4</strong>" in own

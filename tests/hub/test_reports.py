"""Report figures on a hand-built dataset, on SQLite and on PostgreSQL (see tests/hub/dataset.py)."""

from __future__ import annotations

import csv
import io

import pytest

from appliance.hub import registry, reports
from appliance.quizzes.results import pearson
from tests.hub import dataset


@pytest.fixture
def data(any_hub):
    return dataset.build()


def _by(rows, key):
    return {row[key]: row for row in rows}


def test_school_rows(data):
    rows = _by(reports.school_rows(), "code")
    assert set(rows) == {"A001", "B001", "C001"}
    a = rows["A001"]
    assert (a["students"], a["classes"], a["quiz_attempts"], a["marks"], a["mean_mark"]) == (
        3,
        2,
        3,
        4,
        3.5,
    )
    assert (a["oblast"], a["rayon"], a["last_sync"]) == ("Chüy", "Alamüdün", "2026-01-10T08:00:00")
    b = rows["B001"]
    assert (b["students"], b["classes"], b["quiz_attempts"], b["marks"], b["mean_mark"]) == (
        1,
        1,
        1,
        2,
        4.0,
    )
    assert b["last_sync"] == "2026-01-10T05:00:00"
    c = rows["C001"]
    assert (c["students"], c["marks"], c["mean_mark"], c["last_sync"]) == (0, 0, None, None)


def test_scopes(data):
    chuy = registry.find_oblast("Chüy")
    assert {r["code"] for r in reports.school_rows(reports.Scope(oblast_id=chuy.id))} == {
        "A001",
        "C001",
    }
    assert [r["code"] for r in reports.school_rows(reports.Scope(code="B001"))] == ["B001"]
    assert [
        r["code"] for r in reports.school_rows(reports.Scope(oblast_id=chuy.id, no_rayon=True))
    ] == ["C001"]
    rayon = registry.rayon_named(chuy, "Alamüdün")
    assert [r["code"] for r in reports.school_rows(reports.Scope(rayon_id=rayon.id))] == ["A001"]


def test_oblast_and_rayon_roll_up(data):
    schools = reports.school_rows()
    oblasts = _by(reports.oblast_rows(schools), "name")
    assert len(oblasts) == 9
    chuy = oblasts["Chüy"]
    assert (chuy["schools"], chuy["students"], chuy["marks"], chuy["mean_mark"]) == (2, 3, 4, 3.5)
    assert chuy["last_sync"] == "2026-01-10T08:00:00"
    assert (oblasts["Osh"]["schools"], oblasts["Osh"]["mean_mark"]) == (1, 4.0)
    assert (oblasts["Naryn"]["schools"], oblasts["Naryn"]["mean_mark"]) == (0, None)
    total = reports.totals(schools)
    assert total == {
        "schools": 3,
        "students": 4,
        "classes": 3,
        "quiz_attempts": 4,
        "marks": 6,
        "mean_mark": round(22 / 6, 2),
    }
    rayons = _by(reports.rayon_rows(schools, registry.find_oblast("Chüy")), "name")
    assert set(rayons) == {"Alamüdün", ""}
    assert (rayons["Alamüdün"]["schools"], rayons["Alamüdün"]["students"]) == (1, 3)
    assert (rayons[""]["schools"], rayons[""]["id"]) == (1, None)


def test_class_rows(data):
    rows = _by(reports.class_rows(data["a"]), "name")
    assert (rows["7А"]["students"], rows["7А"]["quiz_attempts"], rows["7А"]["marks"]) == (2, 2, 3)
    assert rows["7А"]["mean_mark"] == round(11 / 3, 2)
    assert (rows["8Б"]["students"], rows["8Б"]["marks"], rows["8Б"]["mean_mark"]) == (1, 1, 3.0)
    assert reports.class_rows(data["c"]) == []
    assert reports.get_class(data["b"], data["a7"].id) is None  # another school's class
    assert reports.get_class(data["a"], data["a7"].id).name == "7А"


def test_course_quarters(data):
    rows = reports.course_quarters()
    assert rows == [
        {
            "course": "Algebra 7",
            "year": "2025–2026",
            "quarter": 1,
            "marks": 5,
            "mean_mark": 4.0,
            "quarter_marks": 1,
            "mean_quarter_mark": 5.0,
        },
        {
            "course": "Algebra 7",
            "year": "2025–2026",
            "quarter": 2,
            "marks": 1,
            "mean_mark": 2.0,
            "quarter_marks": 0,
            "mean_quarter_mark": None,
        },
    ]
    only_b = reports.course_quarters(reports.Scope(code="B001"))
    assert [(r["quarter"], r["marks"], r["mean_mark"]) for r in only_b] == [(1, 2, 4.0)]
    klass = reports.course_quarters(reports.Scope(code="A001"), data["a7"].id)
    assert [(r["quarter"], r["marks"], r["mean_mark"], r["quarter_marks"]) for r in klass] == [
        (1, 2, 4.5, 1),
        (2, 1, 2.0, 0),
    ]


def test_national_quiz_item_analysis(data):
    quizzes = reports.national_quizzes()
    assert [(q["title"], q["quiz_attempts"], q["schools"], q["mean_percent"]) for q in quizzes] == [
        ("National test", 4, 2, 62.5)
    ]
    items = _by(reports.item_analysis(data["quiz"]), "question")
    assert (items["Q one"]["answers"], items["Q one"]["facility"]) == (4, 0.75)
    assert items["Q two"]["facility"] == 0.5
    # The same discrimination as the per-quiz item analysis computes from the rows.
    fractions, scores = [1.0, 1.0, 0.0, 1.0], [2.0, 1.0, 0.0, 2.0]
    expected = pearson(fractions, [s - f for s, f in zip(scores, fractions, strict=True)])
    assert items["Q one"]["discrimination"] == round(expected, 3)
    only_b = reports.item_analysis(data["quiz"], reports.Scope(code="B001"))
    assert [(r["answers"], r["facility"], r["discrimination"]) for r in only_b] == [
        (1, 1.0, None)
    ] * 2
    assert reports.get_national_quiz(data["quiz"].id).title == "National test"


def test_csv_export(data):
    body = reports.to_csv(
        list(reports.SCHOOL_COLUMNS),
        [
            "Code",
            "Name",
            "Oblast",
            "Rayon",
            "Students",
            "Classes",
            "Quiz attempts",
            "Marks",
            "Mean mark",
            "Last sync",
        ],
        reports.school_rows(),
    )
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Code"
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["A001"] == [
        "A001",
        "School No. 1",
        "Chüy",
        "Alamüdün",
        "3",
        "2",
        "3",
        "4",
        "3.5",
        "2026-01-10T08:00:00",
    ]
    assert by_code["C001"][8:] == ["", ""]


def test_query_count_does_not_grow_with_schools(data):
    from playhouse.test_utils import count_queries

    with count_queries() as few:
        reports.oblast_rows(reports.school_rows())
        reports.class_rows(data["a"])
    chuy = registry.find_oblast("Chüy")
    for n in range(30):
        registry.save_school(f"X{n}", f"Extra {n}", chuy, f"Rayon {n % 3}")
    with count_queries() as many:
        reports.oblast_rows(reports.school_rows())
        reports.class_rows(data["a"])
    assert many.count == few.count <= 12  # one aggregate query per figure

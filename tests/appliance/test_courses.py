"""Course services: CRUD, sanitising, Cyrillic search, Kyrgyz glossary order, access, copy, progress."""

import pytest
from playhouse.test_utils import count_queries

from appliance.courses import enrolment, glossary, progress, services
from appliance.courses.access import can_edit, can_view, courses_for, get_course
from appliance.courses.copying import copy_course
from appliance.courses.markdown import render
from appliance.courses.models import Course, GlossaryEntry, Lesson, Resource, Section
from appliance.courses.search import search_courses
from appliance.errors import Forbidden, NotFound, ValidationError


@pytest.fixture
def teacher(make_user):
    return make_user("teacher")


def course_with_lesson(teacher, title="Математика 7", body="Бөлчөктөр **кошуу**"):
    course = services.create_course(teacher, title, description="Алгебра", grade="7")
    section = services.add_section(teacher, course, "Бөлчөктөр")
    lesson = services.add_lesson(teacher, course, section.id, "Кошуу", body)
    return course, section, lesson


def test_create_update_and_delete_a_course(teacher):
    course = services.create_course(
        teacher, "  Физика ", subject="Физика", grade="8", language="ru"
    )
    assert (course.title, course.grade, course.language, course.owner_id) == (
        "Физика",
        8,
        "ru",
        teacher.id,
    )
    services.update_course(teacher, course, "Физика 8", grade="")
    assert Course.get_by_id(course.id).title == "Физика 8" and course.grade is None
    services.delete_course(teacher, course)
    assert Course.get_by_id(course.id).deleted
    assert not list(courses_for(teacher))


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "grade": "12"}, "grade"),
        ({"title": "ok", "grade": "seven"}, "grade"),
        ({"title": "ok", "language": "de"}, "language"),
    ],
)
def test_bad_course_input_names_the_field_and_saves_nothing(teacher, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.create_course(teacher, **fields)
    assert exc.value.field == field
    assert Course.select().count() == 0


def test_students_cannot_create_courses(make_user):
    with pytest.raises(Forbidden):
        services.create_course(make_user("student"), "Х")


def test_sections_are_added_renamed_reordered_and_deleted(teacher):
    course = services.create_course(teacher, "Тарых")
    a, b, c = (services.add_section(teacher, course, t) for t in ("А", "Б", "В"))
    services.move_section(teacher, c, "up")
    assert [s.title for s in services.sections_of(course)] == ["А", "В", "Б"]
    services.move_section(teacher, a, "up")  # already first: nothing happens
    services.rename_section(teacher, b, "Б2")
    services.delete_section(teacher, a)
    assert [s.title for s in services.sections_of(course)] == ["В", "Б2"]
    with pytest.raises(ValidationError):
        services.rename_section(teacher, b, "")


def test_lessons_are_rendered_and_ordered(teacher):
    course, section, lesson = course_with_lesson(teacher)
    assert "<strong>кошуу</strong>" in lesson.body_html
    second = services.add_lesson(teacher, course, section.id, "Кемитүү")
    other = services.add_section(teacher, course, "Геометрия")
    third = services.add_lesson(teacher, course, other.id, "Бурчтар")
    assert [x.id for x in services.ordered_lessons(course)] == [lesson.id, second.id, third.id]
    services.move_lesson(teacher, second, "up")
    loaded = services.get_lesson(teacher, course.id, lesson.id)
    assert [x.id for x in services.neighbours(loaded)] == [second.id, third.id]
    services.delete_lesson(teacher, third)
    assert len(services.ordered_lessons(course)) == 2
    with pytest.raises(ValidationError) as exc:
        services.add_lesson(teacher, course, "", "Без бөлүм")
    assert exc.value.field == "section"


@pytest.mark.parametrize(
    "source, banned",
    [
        ("<script>alert(1)</script>Салам", ["<script", "alert"]),
        ("[басыңыз](javascript:alert(1))", ["javascript"]),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', ["avascript"]),
        ('<img src="/x.png" onerror="alert(1)">', ["onerror"]),
        ("![сүрөт](http://example.com/a.png)", ["example.com"]),
        ("![сүрөт](//example.com/a.png)", ["example.com"]),
        ('<iframe src="/x"></iframe><style>body{}</style>', ["<iframe", "<style", "body{"]),
        ('<p onclick="x()">текст</p>', ["onclick"]),
    ],
)
def test_sanitising_removes_dangerous_markup(source, banned):
    html = render(source)
    for word in banned:
        assert word.lower() not in html.lower()


def test_sanitising_keeps_safe_markup():
    html = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n"
        "![сүрөт](/courses/c1/files/r1) [сайт](https://example.org)"
    )
    assert "<table>" in html and "<pre><code>" in html
    assert 'src="/courses/c1/files/r1"' in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("query", ["МАТЕМАТИКА", "математика", "Математика", "бөлчөктөр", "КОШУУ"])
def test_search_is_case_insensitive_for_cyrillic(teacher, query):
    course, _, _ = course_with_lesson(teacher)
    services.create_course(teacher, "Биология")
    assert [c.id for c in search_courses(teacher, query)] == [course.id]


def test_search_follows_lesson_changes(teacher):
    course, section, lesson = course_with_lesson(teacher, "Биология 6", "Тамыр")
    assert not list(search_courses(teacher, "ӨСҮМДҮКТӨР"))
    services.update_lesson(teacher, lesson, "Өсүмдүктөр", "Тамыр жана сабак")
    assert [c.id for c in search_courses(teacher, "өсүмдүктөр")] == [course.id]
    assert [c.id for c in search_courses(teacher, "ӨСҮМДҮКТӨР")] == [course.id]
    services.delete_lesson(teacher, lesson)
    assert not list(search_courses(teacher, "өсүмдүктөр"))


def test_search_treats_like_wildcards_literally(teacher):
    services.create_course(teacher, "Химия")
    assert not list(search_courses(teacher, "%"))


def test_glossary_sorts_in_kyrgyz_alphabet_order(teacher):
    course = services.create_course(teacher, "Тил")
    for term in ("үй", "уул", "өрт", "ой", "ңа", "на", "apple", "ёлка", "ель", "Жер", "7 класс"):
        glossary.add_entry(teacher, course, term, "Түшүндүрмө")
    terms = [e.term for e in glossary.entries(course)]
    assert terms == ["ель", "ёлка", "Жер", "на", "ңа", "ой", "өрт", "уул", "үй", "apple", "7 класс"]
    assert [e.term for e in glossary.entries(course, letter="Ң")] == ["ңа"]
    letters = dict(glossary.index_letters(course))
    assert letters["Ң"] and letters["Ө"] and not letters["Б"] and letters["A"] and letters["#"]
    order = [letter for letter, _ in glossary.index_letters(course)]
    assert order.index("Ң") == order.index("Н") + 1 and order.index("Ү") == order.index("У") + 1


def test_glossary_search_edit_and_delete(teacher):
    course = services.create_course(teacher, "Тил")
    entry = glossary.add_entry(teacher, course, "Зат атооч", "Предметти **билдирет**")
    assert "<strong>" in entry.definition_html
    assert glossary.entries(course, "ЗАТ") == [entry]
    assert glossary.entries(course, "предметти") == [entry]
    glossary.update_entry(teacher, entry, "Сын атооч", "Белгини билдирет")
    assert glossary.entries(course, "зат") == []
    with pytest.raises(ValidationError) as exc:
        glossary.add_entry(teacher, course, "Этиш", " ")
    assert exc.value.field == "definition"
    glossary.delete_entry(teacher, entry)
    assert glossary.entries(course) == []


def test_students_see_only_courses_they_are_enrolled_in(teacher, make_user):
    from appliance.accounts.services import get_or_create_class

    seventh, eighth = make_user("student", class_name="7А"), make_user("student", class_name="8Б")
    single = make_user("student", class_name="9В")
    course, _, lesson = course_with_lesson(teacher)
    enrolment.set_classes(teacher, course, [get_or_create_class("8Б").id])
    enrolment.enrol_student(teacher, course, single.id)
    assert can_view(eighth, course) and can_view(single, course)
    assert not can_view(seventh, course)
    with pytest.raises(NotFound):
        get_course(seventh, course.id)
    with pytest.raises(NotFound):
        services.get_lesson(seventh, course.id, lesson.id)
    with pytest.raises(Forbidden):
        get_course(eighth, course.id, edit=True)
    assert not list(search_courses(seventh, "математика"))
    assert {s.id for s in enrolment.enrolled_students(course)} == {eighth.id, single.id}
    enrolment.set_classes(teacher, course, [])
    assert not can_view(eighth, course) and can_view(single, course)


def test_teachers_edit_only_their_own_courses(teacher, make_user):
    other = make_user("teacher")
    course, section, lesson = course_with_lesson(teacher)
    assert can_view(other, course) and not can_edit(other, course)
    assert can_edit(make_user("admin"), course)
    for attempt in (
        lambda: services.update_course(other, course, "X"),
        lambda: services.add_section(other, course, "X"),
        lambda: services.update_lesson(other, lesson, "X", ""),
        lambda: glossary.add_entry(other, course, "X", "Y"),
        lambda: enrolment.set_classes(other, course, []),
        lambda: services.delete_course(other, course),
    ):
        with pytest.raises(Forbidden):
            attempt()


def national_course():
    """A course written by the hub (read-only on this node)."""
    course = Course(title="Улуттук математика", origin="hub", school=None)
    course._replicating = True
    course.save()
    section = Section(course=course, title="Сандар", origin="hub", school=None)
    section._replicating = True
    section.save()
    lesson = Lesson(
        course=course,
        section=section,
        title="Сандар",
        body_md="1 2 3",
        body_html="<p>1 2 3</p>",
        origin="hub",
        school=None,
    )
    lesson._replicating = True
    lesson.save()
    return course


def test_national_courses_are_read_only_but_can_be_copied(teacher, make_user):
    course = national_course()
    assert can_view(teacher, course) and not can_edit(make_user("admin"), course)
    copy = copy_course(teacher, course)
    assert copy.owner_id == teacher.id and copy.copied_from == course.id and not copy.read_only_here
    assert [lesson.title for lesson in services.ordered_lessons(copy)] == ["Сандар"]
    assert can_edit(teacher, copy)


def test_copy_takes_sections_lessons_glossary_and_files(teacher, make_user):
    course, section, lesson = course_with_lesson(teacher)
    services.add_section(teacher, course, "Бош")
    glossary.add_entry(teacher, course, "Бөлчөк", "Сандын бөлүгү")
    Resource(
        course=course,
        section=section,
        title="Сүрөт",
        filename="a.png",
        mime="image/png",
        size=3,
        sha256="ab" * 32,
    ).save()
    other = make_user("teacher")
    copy = copy_course(other, course)
    assert copy.owner_id == other.id and copy.title == course.title
    new_sections = services.sections_of(copy)
    assert [s.title for s in new_sections] == ["Бөлчөктөр", "Бош"]
    assert {s.id for s in new_sections}.isdisjoint({section.id})
    (new_lesson,) = services.ordered_lessons(copy)
    assert new_lesson.section_id == new_sections[0].id and new_lesson.body_html == lesson.body_html
    (new_file,) = Resource.live().where(Resource.course == copy)
    assert new_file.sha256 == "ab" * 32 and new_file.section_id == new_sections[0].id
    assert GlossaryEntry.live().where(GlossaryEntry.course == copy).count() == 1
    assert {c.id for c in search_courses(other, "бөлчөктөр")} == {course.id, copy.id}
    with pytest.raises(Forbidden):
        copy_course(make_user("student"), course)


def test_progress_is_recorded_and_tabled_in_few_queries(teacher, make_user):
    from appliance.accounts.services import get_or_create_class

    course, section, first = course_with_lesson(teacher)
    second = services.add_lesson(teacher, course, section.id, "Кемитүү")
    students = [make_user("student", class_name="7А") for _ in range(5)]
    enrolment.set_classes(teacher, course, [get_or_create_class("7А").id])
    for student in students:
        progress.record_view(student, first)
    progress.record_view(students[0], first)
    assert progress.toggle_done(students[0], first).done
    assert progress.record_view(teacher, first) is None
    row = progress.progress_of(students[0], first)
    assert row.views == 2 and row.done and row.first_viewed_at <= row.last_viewed_at
    assert progress.toggle_done(students[1], second).done
    assert not progress.toggle_done(students[1], second).done  # pressed again: undone
    with count_queries() as counter:
        table = progress.course_table(teacher, course)
    assert counter.count <= 4  # students, lessons, progress rows: not one per student
    assert table["totals"][students[0].id] == {"viewed": 1, "done": 1}
    assert table["totals"][students[1].id] == {"viewed": 1, "done": 0}
    with pytest.raises(Forbidden):
        progress.course_table(make_user("teacher"), course)

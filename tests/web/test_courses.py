"""Course pages: forms, access by role and enrolment, sanitised lessons, search, glossary, progress."""

import re

from playhouse.test_utils import count_queries

from appliance.accounts.services import get_or_create_class
from appliance.courses import enrolment, glossary, services
from appliance.courses.models import Course, LessonProgress
from tests.conftest import login, post


def make_course(teacher, title="Математика 7", body="Бөлчөктөр"):
    course = services.create_course(teacher, title)
    section = services.add_section(teacher, course, "Бөлүм 1")
    lesson = services.add_lesson(teacher, course, section.id, "Кошуу", body)
    return course, section, lesson


def text(response) -> str:
    return response.get_data(as_text=True)


def test_teacher_creates_a_course_through_the_forms(client, make_user):
    teacher = make_user("teacher")
    login(client, teacher)
    assert "New course" in text(client.get("/"))
    response = post(
        client,
        "/courses/new",
        {"title": "Информатика", "grade": "7", "language": "ky"},
        token_from="/courses/new",
    )
    assert response.status_code == 302
    course = Course.get(Course.title == "Информатика")
    base = f"/courses/{course.id}"
    post(client, f"{base}/sections", {"title": "Компьютер"}, token_from=f"{base}/sections")
    (section,) = services.sections_of(course)
    response = post(
        client,
        f"{base}/lessons/new",
        {
            "section": section.id,
            "title": "Бөлүктөр",
            "body_md": "# Баш\n\n**калың**",
            "action": "save",
        },
        token_from=f"{base}/lessons/new",
    )
    assert response.status_code == 302 and "/edit" in response.location
    edit_page = text(client.get(response.location))
    assert "<strong>калың</strong>" in edit_page  # the preview of what was saved
    page = text(client.get(base))
    assert "Компьютер" in page and "Бөлүктөр" in page and "Edit course" in page


def test_bad_input_shows_the_form_again_with_the_field_named(client, make_user):
    teacher = make_user("teacher")
    login(client, teacher)
    response = post(
        client, "/courses/new", {"title": "Тест", "grade": "15"}, token_from="/courses/new"
    )
    assert response.status_code == 400
    page = text(response)
    assert "grade must be a number from 1 to 11" in page and 'value="Тест"' in page
    response = post(client, "/courses/new", {"title": ""}, token_from="/courses/new")
    assert "Please enter a title." in text(response)
    assert Course.select().count() == 0
    course, _, lesson = make_course(teacher)
    edit = f"/courses/{course.id}/lessons/{lesson.id}/edit"
    response = post(
        client, edit, {"title": "", "body_md": "жаңы текст", "action": "save"}, token_from=edit
    )
    assert response.status_code == 400 and "Please enter a title." in text(response)
    assert services.get_lesson(teacher, course.id, lesson.id).body_md == "Бөлчөктөр"


def test_lesson_preview_does_not_save(client, make_user):
    teacher = make_user("teacher")
    course, _, lesson = make_course(teacher)
    login(client, teacher)
    edit = f"/courses/{course.id}/lessons/{lesson.id}/edit"
    response = post(
        client, edit, {"title": "Кошуу", "body_md": "*жаңы*", "action": "preview"}, token_from=edit
    )
    assert "<em>жаңы</em>" in text(response)
    assert services.get_lesson(teacher, course.id, lesson.id).body_md == "Бөлчөктөр"


def test_lesson_page_shows_sanitised_html(client, make_user):
    teacher = make_user("teacher")
    body = (
        '<script>alert("x")</script>\n\n[link](javascript:alert(1))\n\n'
        '<img src="/courses/c/files/r" onerror="alert(2)">\n\n![out](http://example.com/a.png)'
    )
    course, _, lesson = make_course(teacher, body=body)
    login(client, teacher)
    page = text(client.get(f"/courses/{course.id}/lessons/{lesson.id}"))
    article = page[page.index('<article class="lesson">') : page.index("</article>")]
    assert "<script" not in article and "javascript:" not in article
    assert "onerror" not in article and "example.com" not in article
    assert 'src="/courses/c/files/r"' in article


def test_a_student_of_another_class_cannot_open_the_course(client, make_user):
    teacher = make_user("teacher")
    course, section, lesson = make_course(teacher)
    enrolment.set_classes(teacher, course, [get_or_create_class("8Б").id])
    entry = glossary.add_entry(teacher, course, "Сан", "Сан")
    student = make_user("student", class_name="7А")
    login(client, student)
    base = f"/courses/{course.id}"
    assert course.title not in text(client.get("/"))
    assert course.title not in text(client.get("/catalogue?q=математика"))
    for path in (
        base,
        f"{base}/lessons/{lesson.id}",
        f"{base}/glossary",
        f"{base}/edit",
        f"{base}/sections",
        f"{base}/enrol",
        f"{base}/progress",
        f"{base}/lessons/{lesson.id}/edit",
        f"{base}/lessons/new",
        f"{base}/glossary/new",
        f"{base}/glossary/{entry.id}/edit",
    ):
        assert client.get(path).status_code in (403, 404), path
    assert post(client, f"{base}/lessons/{lesson.id}/done").status_code == 404
    assert post(client, f"{base}/delete").status_code == 404
    assert not Course.get_by_id(course.id).deleted


def test_an_enrolled_student_reads_but_cannot_edit(client, make_user):
    teacher = make_user("teacher")
    course, _, lesson = make_course(teacher)
    enrolment.set_classes(teacher, course, [get_or_create_class("8Б").id])
    student = make_user("student", class_name="8Б")
    login(client, student)
    base = f"/courses/{course.id}"
    page = text(client.get(base))
    assert course.title in page and "Edit course" not in page
    for path in (
        f"{base}/edit",
        f"{base}/sections",
        f"{base}/lessons/{lesson.id}/edit",
        f"{base}/enrol",
        f"{base}/progress",
        f"{base}/glossary/new",
    ):
        assert client.get(path).status_code == 403, path
    assert post(client, f"{base}/sections", {"title": "X"}, token_from=base).status_code == 403


def test_teacher_cannot_edit_another_teachers_course_but_can_copy_it(client, make_user):
    owner, other = make_user("teacher"), make_user("teacher")
    course, _, lesson = make_course(owner)
    login(client, other)
    base = f"/courses/{course.id}"
    page = text(client.get(base))
    assert "Edit course" not in page and "Copy this course" in page
    assert client.get(f"{base}/edit").status_code == 403
    response = post(client, f"{base}/edit", {"title": "Hacked"}, token_from=base)
    assert response.status_code == 403 and Course.get_by_id(course.id).title == course.title
    response = post(client, f"{base}/copy", token_from=base)
    assert response.status_code == 302
    copy = Course.get(Course.copied_from == course.id)
    assert copy.owner_id == other.id
    assert "Edit course" in text(client.get(response.location))


def test_catalogue_search_is_case_insensitive_for_cyrillic(client, make_user):
    teacher = make_user("teacher")
    make_course(teacher, "математика")
    make_course(teacher, "Биология", body="Өсүмдүктөр жана жаныбарлар")
    login(client, teacher)
    assert "математика" in text(client.get("/catalogue?q=МАТЕМАТИКА"))
    page = text(client.get("/catalogue?q=өсүмдүктөр"))
    assert "Биология" in page and "математика" not in page


def test_catalogue_offers_courses_by_grade_language_and_national_origin(client, make_user):
    from appliance.courses.models import Course

    teacher = make_user("teacher")
    services.create_course(teacher, "Физика 8", grade=8, language="ru")
    services.create_course(teacher, "Информатика 7", grade=7, language="ky")
    national = Course(
        title="Республикалык курс 7", grade=7, language="ky", origin="hub", school=None
    )
    national._replicating = True
    national.save()
    login(client, teacher)
    page = text(client.get("/catalogue?grade=7&language=ky"))
    assert "Информатика 7" in page and "Республикалык курс 7" in page and "Физика 8" not in page
    page = text(client.get("/catalogue?grade=7&national=1"))
    assert "Республикалык курс 7" in page and "Информатика 7" not in page
    assert "Физика 8" in text(client.get("/catalogue?language=ru"))


def test_catalogue_and_course_pages_do_not_grow_queries_with_rows(client, make_user):
    teacher = make_user("teacher")
    login(client, teacher)

    def queries(path):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    course, section, _ = make_course(teacher)
    small = queries("/catalogue"), queries(f"/courses/{course.id}")
    for n in range(5):
        make_course(teacher, f"Курс {n}")
        services.add_lesson(teacher, course, section.id, f"Сабак {n}")
        services.add_section(teacher, course, f"Бөлүм {n}")
    assert (queries("/catalogue"), queries(f"/courses/{course.id}")) == small


def test_glossary_pages(client, make_user):
    teacher = make_user("teacher")
    course, _, _ = make_course(teacher)
    login(client, teacher)
    base = f"/courses/{course.id}/glossary"
    for term in ("Үч бурчтук", "Ураан", "Ноль", "Ңы"):
        response = post(
            client,
            f"{base}/new",
            {"term": term, "definition": "Аныктама"},
            token_from=f"{base}/new",
        )
        assert response.status_code == 302
    page = text(client.get(base))
    assert [page.index(t) for t in ("Ноль", "Ңы", "Ураан", "Үч бурчтук")] == sorted(
        page.index(t) for t in ("Ноль", "Ңы", "Ураан", "Үч бурчтук")
    )
    assert f'href="{base}?letter=%D2%A2"' in page  # Ң is a link
    letter_page = text(client.get(base, query_string={"letter": "Ң"}))
    assert (
        "Ңы" in letter_page
        and "Ноль" not in letter_page.split('<nav class="letters">')[1].split("</nav>")[1]
    )
    found = text(client.get(base, query_string={"q": "ҮЧ"}))
    assert "Үч бурчтук" in found and "Ураан" not in found.split("</form>")[-1]
    response = post(
        client, f"{base}/new", {"term": "Бош", "definition": ""}, token_from=f"{base}/new"
    )
    assert response.status_code == 400 and "Please enter a definition." in text(response)


def test_progress_is_recorded_and_shown_to_the_teacher(client, app, make_user):
    teacher = make_user("teacher")
    course, section, lesson = make_course(teacher)
    services.add_lesson(teacher, course, section.id, "Кемитүү")
    enrolment.set_classes(teacher, course, [get_or_create_class("7А").id])
    student = make_user("student", class_name="7А", first_name="Айгерим", last_name="Осмонова")
    login(client, student)
    lesson_path = f"/courses/{course.id}/lessons/{lesson.id}"
    page = text(client.get(lesson_path))
    assert "Mark as done" in page and 'rel="next"' in page
    post(client, f"{lesson_path}/done", token_from=f"/courses/{course.id}")
    assert "Mark as not done" in text(client.get(lesson_path))
    row = LessonProgress.get(LessonProgress.user == student.id)
    assert row.views == 2 and row.done

    teacher_client = app.test_client()
    login(teacher_client, teacher)
    page = text(teacher_client.get(f"/courses/{course.id}/progress"))
    assert "Осмонова Айгерим" in page
    assert re.search(r"<td>1/2</td><td>1/2</td>", page)


def test_progress_page_queries_do_not_grow_with_students(client, make_user):
    teacher = make_user("teacher")
    course, _, lesson = make_course(teacher)
    enrolment.set_classes(teacher, course, [get_or_create_class("7А").id])
    login(client, teacher)
    path = f"/courses/{course.id}/progress"

    def queries():
        with count_queries() as counter:
            client.get(path)
        return counter.count

    make_user("student", class_name="7А")
    before = queries()
    for _ in range(4):
        make_user("student", class_name="7А")
    assert queries() == before


def test_enrolment_page(client, make_user):
    teacher = make_user("teacher")
    course, _, _ = make_course(teacher)
    seventh = get_or_create_class("7А")
    single = make_user("student", class_name="9В")
    login(client, teacher)
    path = f"/courses/{course.id}/enrol"
    post(client, path, {"action": "classes", "classes": [seventh.id]}, token_from=path)
    post(client, path, {"action": "student", "student": single.id}, token_from=path)
    page = text(client.get(path))
    assert f'value="{seventh.id}" checked' in page and single.username in page
    student = make_user("student", class_name="7А")
    assert {s.id for s in enrolment.enrolled_students(course)} == {student.id, single.id}
    response = post(client, path, {"action": "student", "student": "nobody"}, token_from=path)
    assert response.status_code == 400 and "choose a student" in text(response)


def test_sections_page_renames_moves_and_deletes(client, make_user):
    teacher = make_user("teacher")
    course = services.create_course(teacher, "Тарых")
    first, second = (services.add_section(teacher, course, t) for t in ("Биринчи", "Экинчи"))
    login(client, teacher)
    path = f"/courses/{course.id}/sections"
    post(client, f"{path}/{second.id}", {"action": "up"}, token_from=path)
    post(client, f"{path}/{first.id}", {"action": "rename", "title": "Биринчи!"}, token_from=path)
    assert [s.title for s in services.sections_of(course)] == ["Экинчи", "Биринчи!"]
    response = post(
        client, f"{path}/{first.id}", {"action": "rename", "title": ""}, token_from=path
    )
    assert response.status_code == 400 and "Please enter a title." in text(response)
    post(client, f"{path}/{second.id}", {"action": "delete"}, token_from=path)
    assert [s.title for s in services.sections_of(course)] == ["Биринчи!"]

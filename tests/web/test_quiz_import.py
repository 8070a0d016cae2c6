"""Importing GIFT and Moodle XML in the teacher's pages: preview, errors, all or nothing."""

import base64
import io
import re

from appliance.courses.models import Resource
from appliance.quizzes.models import Question, QuestionCategory
from tests.conftest import login, post
from tests.samples import make_course

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

BROKEN = """\
::Good:: 2+2? {=4 ~5}

::Broken:: What is missing? {=yes ~no

$CATEGORY: Algebra

::Also good:: Pi? {#3.14:0.01}
"""

XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Shape</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which shape? <img src="@@PLUGINFILE@@/shape.png" onerror="alert(1)"></p>
      <script>alert(2)</script>]]></text>
      <file name="shape.png" path="/" encoding="base64">{base64.b64encode(PNG).decode()}</file>
    </questiontext>
    <single>true</single>
    <answer fraction="100"><text>Triangle</text></answer>
    <answer fraction="0"><text>Square</text></answer>
  </question>
</quiz>
"""


def upload(client, course, data: bytes, name: str, category: str):
    path = f"/courses/{course.id}/questions/import"
    return post(
        client,
        path,
        {"file": (io.BytesIO(data), name), "category": category},
        token_from=path,
        content_type="multipart/form-data",
    )


def category_of(client, course):
    page = client.get(f"/courses/{course.id}/questions/import").get_data(as_text=True)
    return re.search(r'name="category">\s*<option value="([^"]+)"', page)[1]


def confirm(client, course, preview: str, mode: str):
    file_id = re.search(r'name="file" value="([^"]+)"', preview)[1]
    category = re.search(r'name="category" value="([^"]+)"', preview)[1]
    return post(
        client,
        f"/courses/{course.id}/questions/import/confirm",
        {"file": file_id, "category": category, "mode": mode},
        token_from=f"/courses/{course.id}/questions",
    )


def test_broken_gift_shows_the_line_and_imports_nothing_unless_asked(client, make_user):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    login(client, teacher)
    response = upload(client, course, BROKEN.encode(), "quiz.txt", category_of(client, course))
    preview = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Line 3" in preview and "Import only the 2 valid question(s)" in preview
    assert 'value="all"' not in preview
    refused = confirm(client, course, preview, "all")
    assert refused.status_code == 400 and "nothing was imported" in refused.get_data(as_text=True)
    assert Question.select().count() == 0
    done = confirm(client, course, preview, "valid")
    assert done.status_code == 302
    assert sorted(q.name for q in Question.select()) == ["Also good", "Good"]
    algebra = QuestionCategory.get(QuestionCategory.name == "Algebra")
    assert Question.get(Question.name == "Also good").category_id == algebra.id


def test_a_file_that_is_not_a_quiz_is_a_clear_error(client, make_user):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    login(client, teacher)
    response = upload(
        client, course, b"<?xml version='1.0'?><html></html>", "x.xml", category_of(client, course)
    )
    assert "expected a &lt;quiz&gt; document" in response.get_data(as_text=True)
    assert 'value="valid"' not in response.get_data(as_text=True)


def test_confirm_cannot_name_another_file(client, make_user):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    login(client, teacher)
    response = post(
        client,
        f"/courses/{course.id}/questions/import/confirm",
        {"file": "0" * 64, "category": category_of(client, course), "mode": "all"},
        token_from=f"/courses/{course.id}/questions",
    )
    assert response.status_code == 302 and Question.select().count() == 0


def test_moodle_xml_images_become_course_files_and_html_is_sanitised(client, make_user):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    login(client, teacher)
    preview = upload(
        client, course, XML.encode(), "bank.xml", category_of(client, course)
    ).get_data(as_text=True)
    assert confirm(client, course, preview, "all").status_code == 302
    question = Question.get(Question.name == "Shape")
    resource = Resource.get(Resource.filename == "shape.png")
    assert f'src="/courses/{course.id}/files/{resource.id}"' in question.text_html
    assert "onerror" not in question.text_html and "script" not in question.text_html
    with client.get(f"/courses/{course.id}/files/{resource.id}") as image:
        assert image.data == PNG


def test_students_cannot_import(client, make_user):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    login(client, make_user("student"))
    assert client.get(f"/courses/{course.id}/questions/import").status_code in (403, 404)


def test_a_script_file_in_moodle_xml_is_an_error_in_the_preview(client, make_user):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    login(client, teacher)
    svg = base64.b64encode(b"<svg onload='alert(1)'></svg>").decode()
    xml = XML.replace(base64.b64encode(PNG).decode(), svg).replace("shape.png", "shape.svg")
    preview = upload(
        client, course, xml.encode(), "bank.xml", category_of(client, course)
    ).get_data(as_text=True)
    assert "Files of this type cannot be added" in preview and 'value="all"' not in preview
    assert confirm(client, course, preview, "all").status_code == 400
    assert Question.select().count() == 0 and Resource.select().count() == 0

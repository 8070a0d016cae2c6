"""Course file pages: upload, byte ranges, caching, access, refusals, files still arriving."""

import io

from werkzeug.datastructures import FileStorage

from appliance.courses import resources
from appliance.courses.models import Resource
from appliance.db import write
from tests.conftest import csrf_token, login, post_multipart
from tests.samples import EXE, PDF, WEBM, enrol_class, make_course


def upload(client, course, section, data, filename, **form):
    path = f"/courses/{course.id}/files/new"
    fields = {
        "csrf_token": csrf_token(client, f"{path}?section={section.id}"),
        "section": section.id,
        "file": FileStorage(io.BytesIO(data), filename),
        **form,
    }
    return post_multipart(client, path, fields)


def fetch(client, path, **kwargs):
    """GET a file and close the response (send_file leaves the file open until then)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def teacher_with_file(client, make_user, data=PDF, filename="parts.pdf"):
    teacher = make_user("teacher")
    course, section = make_course(teacher)
    login(client, teacher)
    response = upload(client, course, section, data, filename, title="Parts of a computer")
    assert response.status_code == 302, response.get_data(as_text=True)
    return teacher, course, Resource.get(Resource.course == course)


def test_teacher_uploads_and_views_a_pdf(client, make_user):
    _, course, resource = teacher_with_file(client, make_user)
    listing = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert f"/courses/{course.id}/files/{resource.id}/view" in listing
    assert "Parts of a computer" in listing and "Add a file" in listing and "2 KB" in listing
    page = client.get(f"/courses/{course.id}/files/{resource.id}/view").get_data(as_text=True)
    assert "Parts of a computer" in page
    assert f'<iframe class="pdf" src="/courses/{course.id}/files/{resource.id}"' in page
    assert "download=1" in page
    response = fetch(client, f"/courses/{course.id}/files/{resource.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "private" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.headers["ETag"] == f'"{resource.sha256}"'
    again = fetch(
        client,
        f"/courses/{course.id}/files/{resource.id}",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
    download = fetch(client, f"/courses/{course.id}/files/{resource.id}?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_range_request_gets_206_with_the_right_bytes(client, make_user):
    _, course, resource = teacher_with_file(
        client, make_user, WEBM + bytes(range(256)), "clip.webm"
    )
    response = fetch(
        client, f"/courses/{course.id}/files/{resource.id}", headers={"Range": "bytes=100-199"}
    )
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes 100-199/{resource.size}"
    assert response.data == (WEBM + bytes(range(256)))[100:200]
    page = client.get(f"/courses/{course.id}/files/{resource.id}/view").get_data(as_text=True)
    assert '<video controls preload="metadata">' in page


def test_students_open_files_of_enrolled_courses_only(app, client, make_user):
    _, course, resource = teacher_with_file(client, make_user)
    enrol_class(course, "7А")
    inside, outside = make_user("student", class_name="7А"), make_user("student", class_name="8Б")
    enrolled, stranger = app.test_client(), app.test_client()
    login(enrolled, inside)
    login(stranger, outside)
    assert fetch(enrolled, f"/courses/{course.id}/files/{resource.id}").data == PDF
    view = enrolled.get(f"/courses/{course.id}/files/{resource.id}/view").get_data(as_text=True)
    assert "Remove this file" not in view
    for path in (
        f"/courses/{course.id}/files/{resource.id}",
        f"/courses/{course.id}/files/{resource.id}/view",
    ):
        assert fetch(stranger, path).status_code in (403, 404)
    assert enrolled.get(f"/courses/{course.id}/files/new").status_code in (403, 404)
    assert fetch(app.test_client(), f"/courses/{course.id}/files/{resource.id}").status_code == 302


def test_a_disguised_program_is_refused(client, make_user):
    teacher = make_user("teacher")
    course, section = make_course(teacher)
    login(client, teacher)
    response = upload(client, course, section, EXE, "homework.pdf")
    assert response.status_code == 400
    assert "is not really a PDF file" in response.get_data(as_text=True)
    assert not Resource.select().where(Resource.course == course).exists()


def test_an_upload_over_the_limit_gets_a_clear_413_page(app, client, make_user):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    teacher = make_user("teacher")
    course, section = make_course(teacher)
    login(client, teacher)
    response = upload(client, course, section, PDF + bytes(2 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413
    assert "larger than the limit of 1 MB" in response.get_data(as_text=True)


def test_a_file_not_yet_synced_shows_arriving(client, make_user):
    teacher = make_user("teacher")
    course, section = make_course(teacher)
    with write():  # a row that came from the hub before its file did
        row = Resource(
            course=course,
            section=section,
            title="Hub video",
            filename="v.webm",
            mime="video/webm",
            size=123,
            sha256="ab" * 32,
        )
        row.save()
    login(client, teacher)
    page = client.get(f"/courses/{course.id}/files/{row.id}/view")
    assert page.status_code == 200 and "still arriving" in page.get_data(as_text=True)
    response = client.get(f"/courses/{course.id}/files/{row.id}")
    assert response.status_code == 503 and "still arriving" in response.get_data(as_text=True)


def test_teacher_renames_and_removes_a_file(client, make_user):
    _, course, resource = teacher_with_file(client, make_user)
    base = f"/courses/{course.id}/files/{resource.id}"
    token = csrf_token(client, base + "/view")
    client.post(base + "/rename", data={"title": "Hardware", "csrf_token": token})
    assert Resource.get_by_id(resource.id).title == "Hardware"
    assert client.post(base + "/delete", data={"csrf_token": token}).status_code == 302
    assert fetch(client, base).status_code == 404
    assert resources.section_resources(resource.section) == []

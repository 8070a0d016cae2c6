"""Course files: type checks by extension and contents, storage, rename, removal, access."""

import io

import pytest

from appliance.content import ContentStore
from appliance.courses import resources
from appliance.courses.filetypes import sniff
from appliance.errors import Forbidden, NotFound, ValidationError
from tests.samples import EXE, PDF, PNG, WAV, WEBM, enrol_class, make_course


@pytest.fixture
def store(config):
    return ContentStore(config.content_dir)


def add(user, course, data, filename, store, **kwargs):
    return resources.add_resource(
        user,
        course,
        io.BytesIO(data),
        filename,
        store=store,
        max_mb=kwargs.pop("max_mb", 5),
        **kwargs,
    )


@pytest.mark.parametrize(
    "data,family",
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (WAV, "wav"),
        (WEBM, "webm"),
        (b"GIF89a" + bytes(10), "gif"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"ID3\x04" + bytes(10), "mp3"),
        (b"OggS\x00", "ogg"),
        (b"\x00\x00\x00\x20ftypisom", "mp4"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (EXE, None),
        (b"<svg xmlns=", None),
    ],
)
def test_sniff_recognises_the_allowed_containers(data, family):
    assert sniff(data[:64]) == family


def test_a_teacher_adds_a_file_to_a_section(node_db, make_user, store):
    teacher = make_user("teacher")
    course, section = make_course(teacher)
    first = add(
        teacher, course, PDF, "C:\\Users\\t\\Parts of a PC.pdf", store, section_id=section.id
    )
    second = add(teacher, course, PNG, "mouse.png", store, section_id=section.id, title="The mouse")
    assert (first.title, first.filename, first.mime, first.size) == (
        "Parts of a PC",
        "Parts of a PC.pdf",
        "application/pdf",
        len(PDF),
    )
    assert store.path_for(first.sha256).read_bytes() == PDF
    assert (second.title, second.mime, second.position) == ("The mouse", "image/png", 1)
    assert [r.id for r in resources.section_resources(section)] == [first.id, second.id]
    assert list(resources.resources_by_section(course)) == [section.id]


def test_the_same_bytes_are_stored_once(node_db, make_user, store):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    a = add(teacher, course, PDF, "a.pdf", store)
    b = add(teacher, course, PDF, "b.pdf", store)
    assert a.sha256 == b.sha256 and a.id != b.id


@pytest.mark.parametrize(
    "data,filename,message",
    [
        (EXE, "homework.pdf", "not really a PDF file"),
        (PNG, "picture.jpg", "not really a JPG file"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "x.svg",
            "cannot be added",
        ),
        (b"<html><script></script>", "page.html", "cannot be added"),
        (EXE, "setup.exe", "cannot be added"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_other_and_disguised_files_are_refused(node_db, make_user, store, data, filename, message):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    with pytest.raises(ValidationError, match=message):
        add(teacher, course, data, filename, store)
    assert not list(resources.resources_by_section(course))


def test_a_file_over_the_limit_is_refused_and_not_kept(node_db, make_user, store):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    big = PDF + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError, match="larger than the limit of 1 MB"):
        add(teacher, course, big, "big.pdf", store, max_mb=1)
    assert not any(p.is_file() for p in store.root.rglob("*"))


def test_only_the_courses_editors_add_rename_and_remove(node_db, make_user, store):
    owner, other, student = make_user("teacher"), make_user("teacher"), make_user("student")
    course, section = make_course(owner)
    for user in (other, student):
        with pytest.raises(Forbidden):
            add(user, course, PDF, "a.pdf", store)
    resource = add(owner, course, PDF, "a.pdf", store, section_id=section.id)
    with pytest.raises(Forbidden):
        resources.rename_resource(other, resource, "Mine now")
    with pytest.raises(Forbidden):
        resources.delete_resource(student, resource)
    resources.rename_resource(owner, resource, "  Computer parts (PDF) ")
    assert resources.get_resource(owner, course.id, resource.id).title == "Computer parts (PDF)"
    with pytest.raises(ValidationError):
        resources.rename_resource(owner, resource, " ")
    resources.delete_resource(owner, resource)
    with pytest.raises(NotFound):
        resources.get_resource(owner, course.id, resource.id)
    assert resources.section_resources(section) == []


def test_students_see_files_of_enrolled_courses_only(node_db, make_user, store):
    teacher = make_user("teacher")
    inside, outside = make_user("student", class_name="7А"), make_user("student", class_name="8Б")
    course, _ = make_course(teacher)
    enrol_class(course, "7А")
    resource = add(teacher, course, PDF, "a.pdf", store)
    assert resources.get_resource(inside, course.id, resource.id).id == resource.id
    with pytest.raises(NotFound):
        resources.get_resource(outside, course.id, resource.id)
    with pytest.raises(NotFound):  # the right file under another course's address
        other, _ = make_course(teacher, "Other")
        resources.get_resource(teacher, other.id, resource.id)


def test_a_section_of_another_course_is_refused(node_db, make_user, store):
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    _, foreign = make_course(teacher, "Other")
    with pytest.raises(NotFound):
        add(teacher, course, PDF, "a.pdf", store, section_id=foreign.id)

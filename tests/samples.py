"""Sample files and courses for the course-file tests."""

from __future__ import annotations

from appliance.accounts.services import get_or_create_class
from appliance.courses import services
from appliance.courses.enrolment import set_classes

# Only the first bytes matter for type checks; the rest makes range requests meaningful.
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 100
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500  # a Windows program


def make_course(teacher, title: str = "Informatics 7", section: str = "Computer parts"):
    """A course owned by ``teacher`` with one section; returns (course, section)."""
    course = services.create_course(teacher, title)
    return course, services.add_section(teacher, course, section)


def enrol_class(course, class_name: str) -> None:
    """Enrol a whole class, as the course's owner."""
    set_classes(course.owner, course, [get_or_create_class(class_name).id])

"""Courses: sections, lessons, file resources, glossaries, enrolment, catalogue, progress."""

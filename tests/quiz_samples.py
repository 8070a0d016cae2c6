"""Quizzes for the quiz tests: a course, a bank from GIFT, a published quiz, enrolled students."""

from __future__ import annotations

from appliance.quizzes import bank, quizzes
from appliance.quizzes.gift import parse_gift
from tests.samples import enrol_class, make_course

GIFT = """\
::Capital:: Capital of Kyrgyzstan? {=Bishkek ~Osh ~Naryn}

::Sun:: The sun is a star. {T}

::Pi:: Pi to two places? {#3.14:0.005}

::Essay:: Describe your village. {}
"""


def bank_from_gift(teacher, course, gift: str = GIFT):
    """Questions of a GIFT text in the course's default category, in file order."""
    parsed, errors = parse_gift(gift)
    assert not errors, errors
    category = bank.default_category(course)
    return [bank.create_question(teacher, category, q) for q in parsed]


def make_quiz(make_user, gift: str = GIFT, class_name: str = "7A", **settings):
    """(teacher, course, quiz, questions); the quiz is published and holds every question."""
    teacher = make_user("teacher")
    course, _ = make_course(teacher)
    enrol_class(course, class_name)
    questions = bank_from_gift(teacher, course, gift)
    form = {
        "title": "Test 1",
        "attempts_allowed": "0",
        "published": "on",
        "shuffle_answers": "",
        **settings,
    }
    quiz = quizzes.create_quiz(teacher, course, form)
    quizzes.add_questions(teacher, quiz, [q.id for q in questions])
    return teacher, course, quiz, questions

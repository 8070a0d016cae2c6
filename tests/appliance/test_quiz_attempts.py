"""Taking a quiz through the services: time limits, resume, one submission, regrade, essays."""

import datetime as dt

import pytest

from appliance.errors import Forbidden, ValidationError
from appliance.quizzes import attempts, bank, clock, essays, quizzes
from appliance.quizzes.gift import parse_gift
from appliance.quizzes.models import Attempt, AttemptAnswer
from appliance.signals import attempt_graded
from tests.quiz_samples import make_quiz

T0 = dt.datetime(2026, 3, 2, 8, 0)


@pytest.fixture
def now(monkeypatch):
    """The server clock, moved by the test: now.at = ...; now.shift(minutes=...)."""

    class Clock:
        at = T0

        def shift(self, **delta):
            self.at += dt.timedelta(**delta)

    fake = Clock()
    monkeypatch.setattr(clock, "now", lambda: fake.at)
    return fake


@pytest.fixture
def signals():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    attempt_graded.connect(receiver)
    yield received
    attempt_graded.disconnect(receiver)


def slot_of(attempt, question):
    return next(i for i, item in enumerate(attempt.items) if item["q"] == question.id)


def answer_all_right(student, attempt, questions):
    capital, sun, pi, essay = questions
    attempts.save_answers(
        student,
        attempt,
        {
            slot_of(attempt, capital): "0",
            slot_of(attempt, sun): "true",
            slot_of(attempt, pi): "3,14",
            slot_of(attempt, essay): "Mountains.",
        },
    )


def test_full_attempt_is_graded_and_the_journal_is_told(make_user, now, signals):
    teacher, course, quiz, questions = make_quiz(make_user)
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    answer_all_right(student, attempt, questions)
    attempt, finished = attempts.finish_attempt(attempt, student, attempt.submit_token)
    assert finished and attempt.state == "finished"
    assert attempt.score is None  # the essay waits for the teacher
    assert signals[-1]["percent"] is None and signals[-1]["student_id"] == student.id
    (waiting,) = essays.essay_queue(quiz)
    essays.grade_essay(teacher, quiz, waiting.id, "0,5", "Good start")
    attempt = Attempt.get_by_id(attempt.id)
    assert attempt.score == 3.5 and attempt.max_score == 4 and attempt.percent == 87.5
    assert signals[-1] == {
        "course_id": course.id,
        "student_id": student.id,
        "item_id": quiz.id,
        "item_title": "Test 1",
        "item_kind": "quiz",
        "percent": 87.5,
        "when": T0,
    }
    assert essays.essay_queue(quiz) == []
    with pytest.raises(ValidationError, match="from 0 to 1"):
        essays.grade_essay(teacher, quiz, waiting.id, "2")


def test_time_limit_is_kept_by_the_server_with_a_grace_for_saves(make_user, now):
    _, _, quiz, questions = make_quiz(make_user, time_limit="10")
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    assert attempt.deadline == T0 + dt.timedelta(minutes=10)
    now.shift(minutes=10, seconds=30)  # past the limit, inside the grace: an in-flight save
    attempts.save_answers(student, attempt, {slot_of(attempt, questions[0]): "0"})
    now.shift(seconds=31)  # past limit + grace
    with pytest.raises(ValidationError, match="time for this attempt is over"):
        attempts.save_answers(student, attempt, {slot_of(attempt, questions[1]): "true"})
    attempt = Attempt.get_by_id(attempt.id)
    assert attempt.state == "finished" and attempt.auto_submitted
    saved = {a.question_id: a.value for a in attempt.answers}
    assert saved[questions[0].id] == 0 and saved[questions[1].id] is None


def test_expired_attempt_is_submitted_when_anything_touches_it(make_user, now, signals):
    _, _, quiz, questions = make_quiz(make_user, time_limit="5")
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    attempts.save_answers(student, attempt, {slot_of(attempt, questions[0]): "0"})
    now.shift(minutes=7)
    assert attempts.finalise_overdue(quiz) == 1  # e.g. the teacher opens the results
    assert attempts.finalise_overdue(quiz) == 0
    attempt = Attempt.get_by_id(attempt.id)
    assert attempt.state == "finished" and attempt.auto_submitted and attempt.graded_count == 1
    assert attempt.finished_at == T0 + dt.timedelta(minutes=7)
    assert len(signals) == 1


def test_close_time_caps_the_deadline_and_closed_quiz_cannot_start(make_user, now):
    close = (T0 + dt.timedelta(minutes=3)).isoformat()
    _, _, quiz, _ = make_quiz(make_user, time_limit="30", close_at=close)
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    assert attempt.deadline == T0 + dt.timedelta(minutes=3)
    now.shift(minutes=5)
    other = make_user("student", class_name="7A")
    with pytest.raises(ValidationError, match="not open"):
        attempts.start_attempt(other, quiz)


def test_resume_returns_the_same_attempt_and_layout(make_user, now):
    _, _, quiz, questions = make_quiz(make_user, shuffle_questions="on", shuffle_answers="on")
    student = make_user("student", class_name="7A")
    first = attempts.start_attempt(student, quiz)
    attempts.save_answers(student, first, {slot_of(first, questions[2]): "3.14"})
    again = attempts.start_attempt(student, quiz)  # another PC, another login
    assert again.id == first.id and again.items == first.items
    assert {a.slot: a.value for a in again.answers}[slot_of(first, questions[2])] == "3.14"


def test_double_submit_makes_one_submission(make_user, now, signals):
    _, _, quiz, questions = make_quiz(make_user)
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    answer_all_right(student, attempt, questions)
    results = [attempts.finish_attempt(attempt, student, attempt.submit_token)[1] for _ in range(3)]
    assert results == [True, False, False]
    assert Attempt.get_by_id(attempt.id).graded_count == 1 and len(signals) == 1
    with pytest.raises(ValidationError, match="already been submitted"):
        attempts.save_answers(student, attempt, {0: None})


def test_attempt_limit_and_grading_method(make_user, now, signals):
    _, _, quiz, questions = make_quiz(
        make_user, "Q1 {=a ~b}\n\nQ2 {=c ~d}\n", attempts_allowed="2", grading_method="average"
    )
    student = make_user("student", class_name="7A")
    for responses in ({0: "0", 1: "0"}, {0: "0", 1: "1"}):
        attempt = attempts.start_attempt(student, quiz)
        attempts.save_answers(student, attempt, responses)
        attempts.finish_attempt(attempt, student)
    assert signals[-1]["percent"] == 75.0  # mean of 100 and 50
    with pytest.raises(ValidationError, match="no attempts left"):
        attempts.start_attempt(student, quiz)


def test_changing_the_key_regrades_attempts_and_tells_the_journal(make_user, now, signals):
    teacher, _, quiz, questions = make_quiz(make_user, "::Q:: 2+2? {=5 ~4}\n\n::R:: 1+1? {=2 ~3}")
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    attempts.save_answers(
        student, attempt, {slot_of(attempt, questions[0]): "1", slot_of(attempt, questions[1]): "0"}
    )
    attempts.finish_attempt(attempt, student)
    assert Attempt.get_by_id(attempt.id).percent == 50.0
    (fixed,), _ = parse_gift("::Q:: 2+2? {~5 =4}")
    bank.update_question(teacher, questions[0], fixed)
    assert Attempt.get_by_id(attempt.id).percent == 100.0
    assert signals[-1]["percent"] == 100.0 and len(signals) == 2


def test_random_questions_are_drawn_at_start_and_kept(make_user, now):
    teacher, course, quiz, questions = make_quiz(make_user, "A {T}\n\nB {F}\n\nC {T}\n\nD {F}")
    random_quiz = quizzes.create_quiz(teacher, course, {"title": "R", "published": "on"})
    quizzes.add_random(teacher, random_quiz, bank.default_category(course).id, "2")
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, random_quiz)
    chosen = [item["q"] for item in attempt.items]
    assert len(chosen) == 2 == len(set(chosen)) and set(chosen) <= {q.id for q in questions}
    assert [item["q"] for item in attempts.start_attempt(student, random_quiz).items] == chosen


def test_only_enrolled_students_take_quizzes_and_see_their_own(make_user, now):
    _, _, quiz, _ = make_quiz(make_user)
    outsider = make_user("student", class_name="8B")
    with pytest.raises(Forbidden):
        attempts.start_attempt(outsider, quiz)
    student = make_user("student", class_name="7A")
    classmate = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    with pytest.raises(Forbidden):
        attempts.save_answers(classmate, attempt, {0: "0"})
    from appliance.errors import NotFound

    with pytest.raises(NotFound):
        attempts.get_attempt(classmate, attempt.id)


def test_bad_answers_are_refused(make_user, now):
    _, _, quiz, questions = make_quiz(make_user)
    student = make_user("student", class_name="7A")
    attempt = attempts.start_attempt(student, quiz)
    with pytest.raises(ValidationError, match="does not fit"):
        attempts.save_answers(student, attempt, {slot_of(attempt, questions[0]): "7"})
    with pytest.raises(ValidationError, match="does not fit"):
        attempts.save_answers(student, attempt, {99: "0"})
    assert AttemptAnswer.select().where(AttemptAnswer.response.is_null(False)).count() == 0

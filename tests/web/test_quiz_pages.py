"""Quiz pages through the Flask client: editor, taking without JavaScript, JSON autosave,
resume on another PC, double submit, time limit, essays, results, access rules."""

import datetime as dt
import re

import pytest

from appliance.quizzes import attempts, clock
from appliance.quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from tests.conftest import csrf_token, login, post
from tests.quiz_samples import make_quiz


@pytest.fixture
def setup(make_user, client):
    teacher, course, quiz, questions = make_quiz(make_user)
    student = make_user("student", class_name="7A")
    return {
        "teacher": teacher,
        "course": course,
        "quiz": quiz,
        "questions": questions,
        "student": student,
    }


def quiz_url(s, tail=""):
    return f"/courses/{s['course'].id}/quizzes/{s['quiz'].id}{tail}"


def start(client, s):
    response = post(client, quiz_url(s, "/start"), token_from=quiz_url(s))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def slots(attempt_id):
    items = Attempt.get_by_id(attempt_id).items
    return {item["q"]: i for i, item in enumerate(items)}


def test_teacher_builds_a_question_in_the_editor(app, client, setup):
    s = setup
    login(client, s["teacher"])
    course = s["course"]
    page = client.get(f"/courses/{course.id}/questions/new?type=multichoice")
    assert page.status_code == 200
    category = re.search(r'<option value="([^"]+)" selected>', page.get_data(as_text=True))[1]
    response = post(
        client,
        f"/courses/{course.id}/questions/new?type=multichoice",
        {
            "category": category,
            "name": "Primes",
            "text": "Which are **prime**?",
            "text_format": "markdown",
            "answer_text": ["2", "3", "4", ""],
            "answer_fraction": ["50", "50", "-100", ""],
            "answer_feedback": ["yes", "yes", "no", ""],
        },
        token_from=f"/courses/{course.id}/questions",
    )
    assert response.status_code == 302
    question = Question.get(Question.name == "Primes")
    assert question.text_html == "<p>Which are <strong>prime</strong>?</p>"
    assert question.key["single"] is False
    assert [a["fraction"] for a in question.key["answers"]] == [0.5, 0.5, -1.0]
    bad = post(
        client,
        f"/courses/{course.id}/questions/new?type=multichoice",
        {
            "category": category,
            "text": "Q",
            "single": "on",
            "answer_text": ["a", "b"],
            "answer_fraction": ["50", "0"],
            "answer_feedback": ["", ""],
        },
        token_from=f"/courses/{course.id}/questions",
    )
    assert bad.status_code == 400 and "One answer must be worth 100%" in bad.get_data(as_text=True)


def test_taking_a_quiz_without_javascript(client, setup):
    s = setup
    login(client, s["student"])
    attempt_id = start(client, s)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Capital of Kyrgyzstan?" in page and 'name="submit_token"' in page
    token = re.search(r'name="submit_token" value="([^"]+)"', page)[1]
    slot = slots(attempt_id)
    capital, sun, pi, essay = s["questions"]
    response = post(
        client,
        f"/attempts/{attempt_id}",
        {
            "page": "0",
            "nav": "finish",
            "submit_token": token,
            f"q{slot[capital.id]}": "0",
            f"q{slot[sun.id]}": "false",
            f"q{slot[pi.id]}": "3.14",
            f"q{slot[essay.id]}": "Mountains and rivers.",
        },
        token_from=f"/attempts/{attempt_id}",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/review")
    attempt = Attempt.get_by_id(attempt_id)
    assert attempt.state == "finished" and attempt.graded_count == 1 and attempt.score is None
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Waiting for the teacher" in review and "Wrong" in review


def test_one_question_per_page_saves_on_every_page_move(make_user, client):
    _, course, quiz, questions = make_quiz(make_user, one_per_page="on")
    student = make_user("student", class_name="7A")
    s = {"course": course, "quiz": quiz}
    login(client, student)
    attempt_id = start(client, s)
    order = Attempt.get_by_id(attempt_id).items
    first = next(q for q in questions if q.id == order[0]["q"])
    value = {"multichoice": "0", "truefalse": "true", "numerical": "3.14", "essay": "x"}[first.type]
    response = post(
        client,
        f"/attempts/{attempt_id}",
        {"page": "0", "nav": "next", "q0": value},
        token_from=f"/attempts/{attempt_id}",
    )
    assert response.headers["Location"].endswith("?page=1")
    assert (
        AttemptAnswer.get(
            (AttemptAnswer.attempt == attempt_id) & (AttemptAnswer.slot == 0)
        ).response
        is not None
    )
    page = client.get(f"/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert "Question 2" in page and "Question 1" not in page


def test_resume_on_another_pc_with_answers_intact(app, setup):
    s = setup
    first_pc, second_pc = app.test_client(), app.test_client()
    login(first_pc, s["student"])
    attempt_id = start(first_pc, s)
    slot = slots(attempt_id)[s["questions"][2].id]
    token = csrf_token(first_pc, f"/attempts/{attempt_id}")
    saved = first_pc.post(
        f"/api/attempts/{attempt_id}/answer",
        json={"slot": slot, "fields": {f"q{slot}": ["2.718"]}},
        headers={"X-CSRFToken": token},
    )
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    # The first PC crashes; the student logs in on another one.
    login(second_pc, s["student"])
    assert start(second_pc, s) == attempt_id
    page = second_pc.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'value="2.718"' in page


def test_json_save_needs_the_csrf_header_and_a_fitting_answer(client, setup):
    s = setup
    login(client, s["student"])
    attempt_id = start(client, s)
    no_token = client.post(f"/api/attempts/{attempt_id}/answer", json={"slot": 0, "fields": {}})
    assert no_token.status_code == 400
    token = csrf_token(client, f"/attempts/{attempt_id}")
    slot = slots(attempt_id)[s["questions"][0].id]
    bad = client.post(
        f"/api/attempts/{attempt_id}/answer",
        headers={"X-CSRFToken": token},
        json={"slot": slot, "fields": {f"q{slot}": ["9"]}},
    )
    assert bad.status_code == 409 and "does not fit" in bad.get_json()["error"]


def test_double_submit_makes_one_submission(client, setup):
    s = setup
    login(client, s["student"])
    attempt_id = start(client, s)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    token = re.search(r'name="submit_token" value="([^"]+)"', page)[1]
    form = {"page": "0", "nav": "finish", "submit_token": token}
    form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    codes = [client.post(f"/attempts/{attempt_id}", data=form).status_code for _ in range(2)]
    assert codes == [302, 302]
    assert Attempt.select().where(Attempt.quiz == s["quiz"]).count() == 1
    assert Attempt.get_by_id(attempt_id).graded_count == 1


def test_answer_after_time_limit_and_grace_is_refused(client, make_user, monkeypatch):
    _, course, quiz, questions = make_quiz(make_user, time_limit="5")
    student = make_user("student", class_name="7A")
    s = {"course": course, "quiz": quiz}
    login(client, student)
    attempt_id = start(client, s)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    later = clock.now() + dt.timedelta(minutes=5) + attempts.GRACE + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    slot = slots(attempt_id)[questions[0].id]
    late = client.post(
        f"/api/attempts/{attempt_id}/answer",
        headers={"X-CSRFToken": token},
        json={"slot": slot, "fields": {f"q{slot}": ["0"]}},
    )
    assert late.status_code == 409 and "time for this attempt is over" in late.get_json()["error"]
    attempt = Attempt.get_by_id(attempt_id)
    assert attempt.state == "finished" and attempt.auto_submitted
    assert all(a.response is None for a in attempt.answers)


def test_expired_attempt_page_submits_it(client, make_user, monkeypatch):
    _, course, quiz, _ = make_quiz(make_user, time_limit="5")
    student = make_user("student", class_name="7A")
    login(client, student)
    attempt_id = start(client, {"course": course, "quiz": quiz})
    later = clock.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = client.get(f"/attempts/{attempt_id}")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    assert Attempt.get_by_id(attempt_id).auto_submitted


def test_teacher_marks_an_essay_and_sees_results(app, client, setup):
    s = setup
    student_pc = app.test_client()
    login(student_pc, s["student"])
    attempt_id = start(student_pc, s)
    slot = slots(attempt_id)
    capital, _, _, essay = s["questions"]
    post(
        student_pc,
        f"/attempts/{attempt_id}",
        {
            "page": "0",
            "nav": "finish",
            f"q{slot[capital.id]}": "0",
            f"q{slot[essay.id]}": "My village is in Naryn.",
        },
        token_from=f"/attempts/{attempt_id}",
    )
    login(client, s["teacher"])
    queue = client.get(quiz_url(s, "/essays")).get_data(as_text=True)
    assert "My village is in Naryn." in queue
    answer_id = re.search(r'name="answer" value="([^"]+)"', queue)[1]
    post(
        client,
        quiz_url(s, "/essays"),
        {"answer": answer_id, "mark": "1", "comment": "Good"},
        token_from=quiz_url(s, "/essays"),
    )
    assert Attempt.get_by_id(attempt_id).percent == 50.0
    results = client.get(quiz_url(s, "/results")).get_data(as_text=True)
    assert "Item analysis" in results and "50%" in results
    assert 'class="histogram"' in results


def test_access_rules(app, client, setup, make_user):
    s = setup
    login(client, s["student"])
    assert client.get(f"/courses/{s['course'].id}/questions").status_code == 403
    assert client.get(quiz_url(s, "/results")).status_code == 403
    attempt_id = start(client, s)
    outsider = app.test_client()
    login(outsider, make_user("student", class_name="9C"))
    assert outsider.get(quiz_url(s)).status_code == 404
    classmate = app.test_client()
    login(classmate, make_user("student", class_name="7A"))
    assert classmate.get(f"/attempts/{attempt_id}").status_code == 404
    assert classmate.get(f"/attempts/{attempt_id}/review").status_code == 404
    other_teacher = app.test_client()
    login(other_teacher, make_user("teacher"))
    assert other_teacher.get(quiz_url(s, "/edit")).status_code == 403


def test_unpublished_quiz_is_hidden_from_students(client, make_user):
    _, course, quiz, _ = make_quiz(make_user, published="")
    login(client, make_user("student", class_name="7A"))
    assert client.get(f"/courses/{course.id}/quizzes/{quiz.id}").status_code == 404
    assert quiz.title not in client.get(f"/courses/{course.id}/quizzes").get_data(as_text=True)
    assert Quiz.get_by_id(quiz.id).published is False


def test_correcting_the_key_in_the_editor_regrades(app, client, make_user):
    teacher, course, quiz, (question,) = make_quiz(make_user, "::Q:: 2+2? {=5 ~4}")
    student = make_user("student", class_name="7A")
    pupil = app.test_client()
    login(pupil, student)
    attempt_id = start(pupil, {"course": course, "quiz": quiz})
    wrong_key_right_answer = next(
        str(i) for i, a in enumerate(question.key["answers"]) if a["text"] == "4"
    )
    post(
        pupil,
        f"/attempts/{attempt_id}",
        {"page": "0", "nav": "finish", "q0": wrong_key_right_answer},
        token_from=f"/attempts/{attempt_id}",
    )
    assert Attempt.get_by_id(attempt_id).percent == 0.0
    login(client, teacher)
    path = f"/courses/{course.id}/questions/{question.id}/edit"
    response = post(
        client,
        path,
        {
            "category": question.category_id,
            "name": "Q",
            "text": "2+2?",
            "text_format": "moodle",
            "answer_text": ["5", "4"],
            "answer_fraction": ["0", "100"],
            "answer_feedback": ["", ""],
            "single": "on",
        },
        token_from=path,
    )
    assert response.status_code == 302
    assert Attempt.get_by_id(attempt_id).percent == 100.0

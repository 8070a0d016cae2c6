"""Classroom quiz load: N students take a 20-question quiz, saving each answer as they give it.

    .venv/bin/python bench/quiz.py [--students 30 100 300] [--ramp 30] [--think 1 4]

Each student logs in, starts the quiz, saves its 20 answers one by one through the JSON
endpoint quiz.js uses (with a few seconds of thought between answers), then submits. Prints
p50/p95/p99 for answer saves and submits, errors, peak RSS of the server, and checks that every
student ended with exactly one graded attempt holding all 20 answers.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CSRF, Browser, Recorder, Server, percentile  # noqa: E402

PASSWORD = "classroom1"
QUESTIONS = 20


def build_school(home: Path, students: int) -> str:
    """A node with a class, a course and a published 20-question quiz; returns the quiz path."""
    from appliance import migrate
    from appliance.accounts import services as accounts
    from appliance.accounts.passwords import hash_password
    from appliance.config import load_config
    from appliance.courses import services as courses
    from appliance.courses.enrolment import set_classes
    from appliance.db import init_database, write
    from appliance.quizzes import bank, quizzes
    from appliance.quizzes.gift import parse_gift
    from appliance.school.services import ensure_identity

    config = load_config(home)
    init_database(config)
    migrate.migrate()
    ensure_identity("node")
    (home / "mektep.toml").write_text("advertise = false\n")
    teacher, _ = accounts.create_user("teacher", "teacher", password=PASSWORD)
    shared_hash = hash_password(PASSWORD)
    with write():
        for i in range(students):
            accounts.create_user(
                f"bench{i:04d}", "student", class_name="9А", password_hash=shared_hash
            )
    course = courses.create_course(teacher, "Информатика 9")
    set_classes(teacher, course, [accounts.find_class("9А").id])
    gift = "\n\n".join(
        f"::Q{i}:: {i} + {i} = ? {{={2 * i} ~{2 * i + 1} ~{2 * i - 1}}}"
        for i in range(1, QUESTIONS + 1)
    )
    parsed, errors = parse_gift(gift)
    assert not errors
    category = bank.default_category(course)
    ids = [bank.create_question(teacher, category, q).id for q in parsed]
    quiz = quizzes.create_quiz(
        teacher,
        course,
        {"title": "Тест", "attempts_allowed": "1", "published": "on", "time_limit": "40"},
    )
    quizzes.add_questions(teacher, quiz, ids)
    return f"/courses/{course.id}/quizzes/{quiz.id}"


def student(port: int, n: int, quiz_path: str, record, think: tuple[float, float]) -> None:
    rng = random.Random(n)
    browser = Browser(port, record)
    _, page = browser.request("login_page", "GET", "/login")
    token = CSRF.search(page).group(1).decode()
    status, _ = browser.request(
        "login",
        "POST",
        "/login",
        {"username": f"bench{n:04d}", "password": PASSWORD, "csrf_token": token},
    )
    if status != 302:
        return
    _, page = browser.request("quiz_page", "GET", quiz_path)
    token = CSRF.search(page).group(1).decode()
    status, _ = browser.request("start", "POST", f"{quiz_path}/start", {"csrf_token": token})
    attempt_path = browser.last_location
    _, page = browser.request("attempt_page", "GET", attempt_path)
    html = page.decode()
    token = CSRF.search(page).group(1).decode()
    submit_token = re.search(r'name="submit_token" value="([^"]*)"', html)
    save_url = re.search(r'data-save-url="([^"]+)"', html).group(1)
    # The choices are shuffled per attempt: pick the option text that is the right sum.
    boxes = re.findall(r'data-slot="(\d+)".*?(?=data-slot=|</form>)', html, re.S)
    for slot_text in boxes:
        slot = int(slot_text)
        box = html.split(f'data-slot="{slot}"', 1)[1]
        values = re.findall(rf'name="q{slot}" value="([^"]+)"', box)[:3]
        time.sleep(rng.uniform(*think))
        answer = rng.choice(values) if values else ""
        body = json.dumps({"slot": slot, "fields": {f"q{slot}": [answer]}})
        browser.request(
            "save",
            "POST",
            save_url,
            raw=body.encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
    form = {"csrf_token": token, "nav": "finish", "page": "0"}
    if submit_token:
        form["submit_token"] = submit_token.group(1)
    browser.request("submit", "POST", attempt_path, form)


def run(students: int, ramp: float, think: tuple[float, float]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "node"
        quiz_path = build_school(home, students)
        server = Server(home)
        server.start()
        record = Recorder()
        timings = record.timings

        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_delayed,
                args=(ramp * n / students, student, server.port, n, quiz_path, record, think),
            )
            for n in range(students)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        rss = server.peak_rss_mb()
        server.stop()
        graded = _check(home, students)
    return {
        "students": students,
        "timings": timings,
        "errors": dict(record.errors),
        "wall": wall,
        "rss": rss,
        "graded": graded,
    }


def _delayed(delay, fn, *args):
    time.sleep(delay)
    fn(*args)


def _check(home: Path, students: int) -> str:
    """Every student: one finished, graded attempt with all answers."""
    from appliance.config import load_config
    from appliance.db import init_database
    from appliance.quizzes.models import Attempt, AttemptAnswer

    init_database(load_config(home))
    finished = Attempt.select().where(Attempt.state == "finished").count()
    once = Attempt.select().where(Attempt.graded_count == 1).count()
    answers = AttemptAnswer.select().count()
    return (
        f"{finished}/{students} attempts finished, {once} graded exactly once, "
        f"{answers}/{students * QUESTIONS} answers stored"
    )


def report(result: dict) -> None:
    ms = lambda v: f"{v * 1000:8.1f}"  # noqa: E731
    print(
        f"\n== {result['students']} students, {QUESTIONS}-question quiz ==  "
        f"server peak RSS {result['rss']:.0f} MB, wall {result['wall']:.0f} s"
    )
    print(f"{'kind':<13}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, values in sorted(result["timings"].items()):
        print(
            f"{kind:<13}{len(values):>7}{ms(percentile(values, 50))}  "
            f"{ms(percentile(values, 95))}  {ms(percentile(values, 99))}"
        )
    print(f"errors {sum(result['errors'].values())} {result['errors'] or ''}")
    print(result["graded"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--ramp", type=float, default=30.0)
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 4.0])
    args = parser.parse_args()
    for n in args.students:
        report(run(n, args.ramp, tuple(args.think)))


if __name__ == "__main__":
    main()

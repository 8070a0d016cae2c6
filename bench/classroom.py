"""Classroom load: N students log in, open their course list, a lesson and an image.

    .venv/bin/python bench/classroom.py [--students 30 100 300] [--ramp 30] [--browse 30]

Each student is a thread with its own keep-alive connection (a classroom PC). Students
arrive spread over --ramp seconds (a class logging in at the start of a lesson), then for
--browse seconds open the course list, a lesson and its image with 2–5 s of reading between
pages. Prints p50/p95/p99 latency per kind of request and overall, throughput, errors, the
server's peak RSS and its start-to-first-200 time.
"""

from __future__ import annotations

import argparse
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


def build_school(home: Path, students: int, advertise: bool = False) -> None:
    """A node with one class of `students`, a course with a lesson that shows an image."""
    from appliance import migrate
    from appliance.accounts import services as accounts
    from appliance.accounts.models import User
    from appliance.accounts.passwords import hash_password
    from appliance.config import load_config
    from appliance.db import init_database, write
    from appliance.school.services import ensure_identity
    from provisioning.demo import build_demo

    config = load_config(home)
    init_database(config)
    migrate.migrate()
    ensure_identity("node")
    # Served on 127.0.0.1, an advertising node announces itself on loopback only.
    (home / "mektep.toml").write_text(f"advertise = {'true' if advertise else 'false'}\n")
    build_demo(config)
    shared_hash = hash_password(
        PASSWORD
    )  # one hash for all: building 300 takes seconds, not minutes
    with write():
        for i in range(students):
            accounts.create_user(
                f"bench{i:04d}", "student", class_name="7А", password_hash=shared_hash
            )
    assert User.select().where(User.username.startswith("bench")).count() == students


def student(port: int, n: int, record, browse_until: float, rng: random.Random) -> None:
    browser = Browser(port, record)
    status, page = browser.request("login_page", "GET", "/login")
    token = CSRF.search(page)
    if not token:
        record("login", 0.0, 598)
        return
    status, _ = browser.request(
        "login",
        "POST",
        "/login",
        {"username": f"bench{n:04d}", "password": PASSWORD, "csrf_token": token.group(1).decode()},
    )
    if status != 302:
        return
    while True:
        status, home = browser.request("course_list", "GET", "/")
        courses = re.findall(rb'href="(/courses/[0-9a-f-]{36})"', home)
        if not courses:
            record("course_list", 0.0, 597)
            return
        status, course = browser.request("course", "GET", rng.choice(courses).decode())
        lessons = re.findall(rb'href="(/courses/[0-9a-f-]{36}/lessons/[0-9a-f-]{36})"', course)
        if lessons:
            status, lesson = browser.request("lesson", "GET", rng.choice(lessons).decode())
            images = re.findall(rb'<img[^>]+src="(/courses/[^"]+/files/[0-9a-f-]{36})"', lesson)
            for image in images[:1]:
                browser.request("image", "GET", image.decode())
        if time.monotonic() > browse_until:
            return
        time.sleep(rng.uniform(2, 5))


def run(students: int, ramp: float, browse: float, advertise: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "node"
        build_school(home, students, advertise)
        server = Server(home)
        server.start()
        record = Recorder()
        timings = record.timings

        started = time.monotonic()
        threads = []
        for n in range(students):
            rng = random.Random(n)
            delay = ramp * n / students
            t = threading.Timer(
                delay, student, args=(server.port, n, record, started + ramp + browse, rng)
            )
            t.daemon = True
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        # Timers return at once; wait for the students themselves.
        while threading.active_count() > 1 and time.monotonic() - started < ramp + browse + 120:
            time.sleep(0.2)
        wall = time.monotonic() - started
        rss = server.peak_rss_mb()
        server.stop()
    pages = [s for kind in ("course_list", "course", "lesson", "image") for s in timings[kind]]
    everything = [s for values in timings.values() for s in values]
    return {
        "students": students,
        "timings": timings,
        "errors": dict(record.errors),
        "pages": pages,
        "all": everything,
        "wall": wall,
        "rss": rss,
        "startup": server.startup_seconds,
    }


def report(result: dict) -> None:
    ms = lambda v: f"{v * 1000:7.1f}"  # noqa: E731
    print(
        f"\n== {result['students']} students ==  start-to-first-200 {result['startup']:.2f} s, "
        f"server peak RSS {result['rss']:.0f} MB, wall {result['wall']:.0f} s"
    )
    print(f"{'kind':<13}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(result["timings"].items()):
        print(
            f"{kind:<13}{len(values):>7}{ms(percentile(values, 50))}  {ms(percentile(values, 95))}"
            f"  {ms(percentile(values, 99))}"
        )
    pages = result["pages"]
    print(
        f"{'pages+image':<13}{len(pages):>7}{ms(percentile(pages, 50))}  {ms(percentile(pages, 95))}"
        f"  {ms(percentile(pages, 99))}"
    )
    total = len(result["all"])
    print(
        f"throughput {total / result['wall']:.1f} req/s; errors {sum(result['errors'].values())} "
        f"{result['errors'] or ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--ramp", type=float, default=30.0)
    parser.add_argument("--browse", type=float, default=30.0)
    parser.add_argument("--advertise", action="store_true", help="serve with mDNS advertising on")
    args = parser.parse_args()
    print(f"mDNS advertising {'on' if args.advertise else 'off'}")
    for n in args.students:
        report(run(n, args.ramp, args.browse, args.advertise))


if __name__ == "__main__":
    main()

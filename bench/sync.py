"""Sync benchmark: a school of 1,000 students and 50,000 marks against a PostgreSQL hub.

    .venv/bin/python bench/sync.py [--students 1000] [--marks 50000] [--nodes 20]

Prints wall time and bytes on the wire for (a) the first full sync, (b) an incremental sync of
100 changed rows, (c) a sync with nothing to send; then the hub's ingest rate (rows/s) with
N nodes syncing at once (each a `mektep sync now` process). Targets on a 2-core machine:
(a) < 15 s and < 100 bytes/row, (b) < 0.5 s and < 20 KB, (c) one round trip, < 2 KB, < 100 ms,
ingest >= 5,000 rows/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appliance import migrate  # noqa: E402
from appliance.config import load_config  # noqa: E402
from appliance.db import db, init_database, write  # noqa: E402
from appliance.replication import OriginCounter, local_origin, local_school  # noqa: E402
from appliance.school.services import ensure_identity  # noqa: E402
from bench.common import MEKTEP  # noqa: E402

CLASSES = 40


def _rows(model, rows: list[dict]) -> None:
    size = max(1, 30000 // len(model._meta.sorted_fields))
    for i in range(0, len(rows), size):
        model.insert_many(rows[i : i + size]).execute()


def build_school(
    students: int, marks: int, attempts_per_student: int = 3, answers_per_attempt: int = 4
) -> int:
    """Bulk-create a school with seqs from its counter; returns the rows created."""
    from appliance.accounts.models import SchoolClass, User
    from appliance.courses.models import Course, Enrolment
    from appliance.journal.models import JournalColumn, Mark
    from appliance.quizzes.models import Attempt, AttemptAnswer, Question, QuestionCategory, Quiz

    origin, school = local_origin(), local_school()
    seq = [OriginCounter.get_or_none(OriginCounter.origin == origin)]
    counter = seq[0].value if seq[0] else 0
    now = dt.datetime(2026, 10, 1, 8, 0)

    def base() -> dict:
        nonlocal counter
        counter += 1
        return {
            "id": str(uuid.uuid4()),
            "origin": origin,
            "school": school,
            "seq": counter,
            "deleted": False,
            "updated_at": now + dt.timedelta(seconds=counter),
        }

    total = 0
    with write():
        classes = [
            {**base(), "name": f"{7 + i % 5}-{i}", "grade": 7 + i % 5} for i in range(CLASSES)
        ]
        teacher = {
            **base(),
            "username": "teacher",
            "role": "teacher",
            "password_hash": "scrypt:x" * 8,
            "school_class": None,
        }
        users = [teacher] + [
            {
                **base(),
                "username": f"s{i:05d}",
                "first_name": f"Name{i}",
                "last_name": f"Family{i % 300}",
                "role": "student",
                "school_class": classes[i % CLASSES]["id"],
                "password_hash": f"scrypt:32768:8:1${uuid.uuid4().hex[:16]}${uuid.uuid4().hex}",
            }
            for i in range(students)
        ]
        course = {**base(), "title": "Algebra 7", "owner": teacher["id"]}
        enrolments = [
            {**base(), "course": course["id"], "school_class": c["id"], "user": None}
            for c in classes
        ]
        cat = {**base(), "course": course["id"], "name": "Bank", "parent": None}
        questions = [
            {
                **base(),
                "course": course["id"],
                "category": cat["id"],
                "type": "multichoice",
                "name": f"Q{i}",
                "text": f"What is {i} + {i}?",
                "data": '{"answers": [1, 2, 3]}',
            }
            for i in range(answers_per_attempt)
        ]
        quizzes = [
            {**base(), "course": course["id"], "title": f"Quiz {i}", "published": True}
            for i in range(attempts_per_student)
        ]
        per_class = max(1, marks // students)
        columns = [
            {
                **base(),
                "course": course["id"],
                "school_class": c["id"],
                "kind": "lesson",
                "date": dt.date(2026, 9, 2) + dt.timedelta(days=d),
                "title": "",
            }
            for c in classes
            for d in range(per_class)
        ]
        by_class: dict[str, list] = {}
        for col in columns:
            by_class.setdefault(col["school_class"], []).append(col)
        mark_rows = [
            {**base(), "column": col["id"], "student": u["id"], "manual_value": 2 + (k + j) % 4}
            for j, u in enumerate(users[1:])
            for k, col in enumerate(by_class[u["school_class"]])
        ][:marks]
        attempts, answers = [], []
        for u in users[1:]:
            for n, quiz in enumerate(quizzes):
                a = {
                    **base(),
                    "quiz": quiz["id"],
                    "student": u["id"],
                    "number": 1,
                    "state": "finished",
                    "started_at": now,
                    "finished_at": now + dt.timedelta(minutes=12 + n),
                    "submit_token": uuid.uuid4().hex,
                    "score": 3.0,
                    "max_score": 4.0,
                    "percent": 75.0,
                    "graded_count": 1,
                    "layout": "[]",
                }
                attempts.append(a)
                answers.extend(
                    {
                        **base(),
                        "attempt": a["id"],
                        "slot": s,
                        "question": q["id"],
                        "response": f'"{s}"',
                        "fraction": 1.0 if s % 4 else 0.0,
                        "mark": 1.0,
                    }
                    for s, q in enumerate(questions)
                )
        for model, rows in (
            (SchoolClass, classes),
            (User, users),
            (Course, [course]),
            (Enrolment, enrolments),
            (QuestionCategory, [cat]),
            (Question, questions),
            (Quiz, quizzes),
            (JournalColumn, columns),
            (Mark, mark_rows),
            (Attempt, attempts),
            (AttemptAnswer, answers),
        ):
            _rows(model, rows)
            total += len(rows)
        OriginCounter.insert(origin=origin, value=counter).on_conflict(
            conflict_target=[OriginCounter.origin], update={OriginCounter.value: counter}
        ).execute()
    return total


def open_node(home: Path) -> None:
    db.close() if db.obj is not None and not db.is_closed() else None
    init_database(load_config(home, {"secret_key": "bench"}))
    migrate.migrate()
    ensure_identity("node")


def figure(name: str, result: dict, rows: int | None = None) -> None:
    wire = result["bytes_sent"] + result["bytes_received"]
    per_row = f", {wire / rows:.1f} bytes/row" if rows else ""
    print(
        f"{name}: {result['seconds']:.3f} s, {wire:,} bytes on the wire{per_row}, "
        f"{result['round_trips']} round trips, {result['pushed']} rows up",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--marks", type=int, default=50000)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument(
        "--node-rows-students", type=int, default=100, help="students per node in the ingest test"
    )
    args = parser.parse_args()

    from appliance.journal.models import Mark
    from sync import client
    from tests.parts import PostgresServer
    from tests.sync.harness import Hub

    pg = PostgresServer()
    if not pg.available:
        print("PostgreSQL binaries are missing (initdb, pg_ctl)")
        return 2
    pg.start()
    scratch = Path(tempfile.mkdtemp(prefix="mektep-bench-sync-"))
    hub = None
    try:
        hub = Hub(scratch / "hub", pg.create_database("bench_hub"))
        open_node(scratch / "node")
        started = time.monotonic()
        rows = build_school(args.students, args.marks)
        print(
            f"school built: {rows:,} rows ({args.students} students, {args.marks} marks, attempts and "
            f"answers) in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        _, token = hub.new_school()
        client.enroll(hub.url, token, str(uuid.uuid4()))
        lock = scratch / "node" / "sync.lock"
        figure("(a) first full sync", client.run_sync(lock, batch_size=5000), rows)
        with write():
            for mark in Mark.select().order_by(Mark.id).limit(100):
                mark.manual_value = 5 if mark.manual_value != 5 else 4
                mark.save()
        figure("(b) 100 changed rows", client.run_sync(lock), 100)
        figure("(c) nothing to send", client.run_sync(lock))

        homes = []
        per_node = 0
        for i in range(args.nodes):
            home = scratch / f"n{i}"
            open_node(home)
            per_node = build_school(args.node_rows_students, args.node_rows_students * 20)
            _, token = hub.new_school()
            client.enroll(hub.url, token, str(uuid.uuid4()))
            homes.append(home)
        db.close()
        started = time.monotonic()
        procs = [
            subprocess.Popen(
                [MEKTEP, "--home", str(h), "sync", "now"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "MEKTEP_SYNC_BATCH": "2000"},
            )
            for h in homes
        ]
        failed = [p.communicate()[1] for p in procs if p.wait() != 0]
        seconds = time.monotonic() - started
        total = per_node * len(homes)
        print(
            f"ingest: {len(homes)} nodes x {per_node:,} rows = {total:,} rows into PostgreSQL in {seconds:.1f} s "
            f"= {total / seconds:,.0f} rows/s (each node's process start included); failures: {len(failed)}",
            flush=True,
        )
        for err in failed[:3]:
            print(err)
    finally:
        db.close() if db.obj is not None and not db.is_closed() else None
        if hub:
            hub.close()
        pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

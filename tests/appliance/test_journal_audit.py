"""The audit chain stays one unbroken chain when teachers save at the same time (PostgreSQL too)."""

import threading
import uuid

import pytest

from appliance import migrate
from appliance.accounts import services as accounts
from appliance.config import load_config
from appliance.db import db, init_database
from appliance.journal import audit, journals, marks
from appliance.journal.models import AuditEntry
from appliance.school.services import ensure_identity
from tests.appliance.test_journal_marks import Setup


def _factory(role="student", **kwargs):
    user, _ = accounts.create_user(
        f"{role}{uuid.uuid4().hex[:6]}", role, password="password1", **kwargs
    )
    return user


def _concurrent_saves(threads: int = 6, per_thread: int = 5) -> int:
    setup = Setup(_factory)
    columns = [
        journals.add_column(setup.teacher, setup.journal, "lesson", f"2025-10-{day:02d}")
        for day in range(1, threads + 1)
    ]
    students = [setup.anna, setup.bek]
    errors = []

    def work(column):
        try:
            db.connect(reuse_if_open=True)
            for i in range(per_thread):
                value = "5" if i % 2 else "4"
                marks.save_grid(
                    setup.teacher,
                    setup.journal,
                    [(s.id, column.id, "mark", value) for s in students],
                )
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            db.close()

    workers = [threading.Thread(target=work, args=(c,)) for c in columns]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return threads * per_thread * len(students)


def test_concurrent_saves_keep_one_chain_sqlite(node_db):
    expected = _concurrent_saves()
    verdict = audit.verify()
    assert verdict.ok and verdict.count == expected
    positions = [e.position for e in AuditEntry.select().order_by(AuditEntry.position)]
    assert positions == list(range(1, expected + 1))


@pytest.mark.postgres
def test_concurrent_saves_keep_one_chain_postgres(postgres, tmp_path):
    url = postgres.create_database(f"journal_{uuid.uuid4().hex[:8]}")
    init_database(load_config(tmp_path, {"database_url": url, "secret_key": "x"}))
    migrate.migrate()
    ensure_identity("node")
    try:
        expected = _concurrent_saves()
        db.connect(reuse_if_open=True)
        verdict = audit.verify()
        assert verdict.ok and verdict.count == expected, verdict.broken
    finally:
        db.close()
        db.obj.close_all()

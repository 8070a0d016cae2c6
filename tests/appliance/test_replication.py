"""The replicated-model mixin: ids, origins, and seq order equal to commit order."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from appliance import migrate
from appliance.accounts.models import SchoolClass
from appliance.config import load_config
from appliance.db import db, init_database, write
from appliance.replication import local_origin, replicated_models
from appliance.school.services import ensure_identity


def test_new_rows_get_uuid_origin_school_and_increasing_seq(node_db):
    first = SchoolClass(name="7А")
    first.save()
    second = SchoolClass(name="7Б")
    second.save()
    assert uuid.UUID(first.id) and first.id != second.id
    assert first.origin == local_origin() and first.school is not None
    assert second.seq == first.seq + 1
    first.name = "7В"
    first.save()
    assert SchoolClass.get_by_id(first.id).seq == second.seq + 1


def test_tombstone_keeps_the_row_and_bumps_seq(node_db):
    row = SchoolClass(name="8А")
    row.save()
    before = row.seq
    row.tombstone()
    stored = SchoolClass.get_by_id(row.id)
    assert stored.deleted and stored.seq > before
    assert not SchoolClass.live().where(SchoolClass.id == row.id).exists()


def test_rows_of_another_origin_are_read_only(node_db):
    foreign = SchoolClass(name="9А", origin="hub", school=None)
    foreign._replicating = True
    foreign.save()
    loaded = SchoolClass.get_by_id(foreign.id)
    loaded.name = "9Б"
    with pytest.raises(PermissionError):
        loaded.save()


def test_every_domain_model_with_school_data_is_replicated():
    names = {m.__name__ for m in replicated_models()}
    assert {"User", "SchoolClass", "Course", "Lesson", "Enrolment", "LessonProgress"} <= names


def _writers_and_syncing_reader(threads: int = 4, per_thread: int = 25) -> tuple[set, set]:
    """Writers commit rows while a reader pulls `seq > watermark`; return (written, seen)."""
    written: set[str] = set()
    seen: set[str] = set()
    lock = threading.Lock()
    done = threading.Event()
    origin = local_origin()

    def writer(n: int):
        db.connect(reuse_if_open=True)
        try:
            for i in range(per_thread):
                with write():
                    row = SchoolClass(name=f"{n}-{i}")
                    row.save()
                    # Hold the transaction open after taking a seq: without the counter's
                    # lock a later seq could commit first and the reader would skip this one.
                    time.sleep(0.002)
                with lock:
                    written.add(row.id)
        finally:
            db.close()

    def reader():
        db.connect(reuse_if_open=True)
        watermark = 0
        try:
            while True:
                finished = done.is_set()
                rows = list(
                    SchoolClass.select(SchoolClass.id, SchoolClass.seq)
                    .where((SchoolClass.origin == origin) & (SchoolClass.seq > watermark))
                    .order_by(SchoolClass.seq)
                )
                for row in rows:
                    seen.add(row.id)
                    watermark = row.seq
                if finished:
                    return
                time.sleep(
                    0.001
                )  # a real agent pauses between batches; a spin would starve writers of the GIL
        finally:
            db.close()

    pool = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    read_thread = threading.Thread(target=reader)
    read_thread.start()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    done.set()
    read_thread.join()
    return written, seen


def test_reader_never_skips_a_row_while_writers_commit_sqlite(node_db):
    db.close()
    written, seen = _writers_and_syncing_reader()
    assert len(written) == 100
    assert seen == written


@pytest.mark.postgres
def test_reader_never_skips_a_row_while_writers_commit_postgres(postgres, tmp_path):
    url = postgres.create_database(f"repl_{uuid.uuid4().hex[:8]}")
    config = load_config(tmp_path, {"database_url": url, "secret_key": "x"})
    init_database(config)
    migrate.migrate()
    ensure_identity("node")
    db.close()
    try:
        written, seen = _writers_and_syncing_reader(threads=6, per_thread=20)
        assert len(written) == 120
        assert seen == written
        db.connect(reuse_if_open=True)
        seqs = [r.seq for r in SchoolClass.select(SchoolClass.seq).order_by(SchoolClass.seq)]
        assert seqs == list(range(seqs[0], seqs[0] + 120))
    finally:
        db.close()
        db.obj.close_all()

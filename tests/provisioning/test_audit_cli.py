"""`mektep audit verify`: OK with the count, or the first broken entry and a non-zero exit."""

import hashlib
import sqlite3

import pytest

from appliance.journal import marks
from appliance.journal.audit import canonical
from appliance.journal.models import AuditEntry
from tests.appliance.test_journal_marks import Setup


@pytest.fixture
def logged(make_user):
    """Five audit entries: four marks by the teacher, one automatic from a quiz."""
    setup = Setup(make_user)
    lesson = setup.lesson()
    for value in ("3", "4", "5"):
        marks.save_grid(
            setup.teacher,
            setup.journal,
            [(setup.anna.id, lesson.id, "mark", value)],
            reason="corrected",
        )
    marks.save_grid(setup.teacher, setup.journal, [(setup.bek.id, lesson.id, "attendance", "late")])
    setup.graded(percent=72.0)
    return [e.id for e in AuditEntry.select().order_by(AuditEntry.position)]


def _sql(config, statement, *params):
    with sqlite3.connect(config.database_path) as conn:
        conn.execute(statement, params)


def test_an_intact_chain_verifies(run, logged):
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK: 5 audit entries, the chain is intact."


def test_an_empty_log_verifies(run):
    result = run("audit", "verify")
    assert (result.exit_code, result.output.strip()) == (
        0,
        "OK: 0 audit entries, the chain is intact.",
    )


def test_a_changed_value_is_named(run, logged, config):
    _sql(config, "UPDATE audit_entry SET new = '2' WHERE id = ?", logged[2])
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"entry {logged[2]}" in result.output and "position 3" in result.output
    assert "content does not match its hash" in result.output
    assert "2 entries before it are intact" in result.output


def test_a_rehashed_entry_breaks_the_next_link(run, logged, config):
    """Someone who recomputes the changed row's hash is caught by the next entry's prev_hash."""
    from appliance.journal.audit import entry_hash

    _sql(config, "UPDATE audit_entry SET reason = 'nothing happened' WHERE id = ?", logged[1])
    entry = AuditEntry.get_by_id(logged[1])
    _sql(
        config,
        "UPDATE audit_entry SET hash = ? WHERE id = ?",
        entry_hash(entry.prev_hash, entry),
        logged[1],
    )
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"entry {logged[2]}" in result.output and "position 3" in result.output
    assert "does not match the previous entry's hash" in result.output


def test_a_removed_entry_is_found(run, logged, config):
    _sql(config, "DELETE FROM audit_entry WHERE id = ?", logged[3])
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert (
        f"entry {logged[4]}" in result.output and "position 5 where 4 was expected" in result.output
    )


def test_entries_cannot_be_changed_or_deleted_through_the_model(logged):
    entry = AuditEntry.get_by_id(logged[0])
    entry.new = "5"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.tombstone()


def test_hash_is_sha256_of_previous_hash_and_canonical_json(logged):
    import json

    first, second = (AuditEntry.get_by_id(i) for i in logged[:2])
    assert first.prev_hash == "0" * 64 and second.prev_hash == first.hash
    content = json.loads(canonical(second))
    assert (content["position"], content["field"], content["old"], content["new"]) == (
        2,
        "manual",
        "3",
        "4",
    )
    assert second.hash == hashlib.sha256((first.hash + canonical(second)).encode()).hexdigest()


def test_a_mark_changed_behind_the_logs_back_is_named(run, logged, config):
    from appliance.journal.models import Mark

    mark = Mark.select().where(Mark.manual_value == 5).get()
    _sql(config, "UPDATE mark SET manual_value = 2 WHERE id = ?", mark.id)
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert (
        f"MISMATCH: mark {mark.id} holds manual=2 but the audit log last recorded 5"
        in result.output
    )


def test_attendance_changed_behind_the_logs_back_is_named(run, logged, config):
    _sql(config, "UPDATE attendance SET status = 'excused'")
    result = run("audit", "verify")
    assert (
        result.exit_code == 1
        and "holds attendance=excused but the audit log last recorded late" in result.output
    )

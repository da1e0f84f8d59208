"""The audit log is tamper-evident: a hash chain that `verify_audit` walks, and on PostgreSQL a trigger that
refuses UPDATE and DELETE. The tampering below is done in SQL, as someone with the database owner's rights
would (on PostgreSQL that person first disables the trigger)."""

import io
import os
import threading
import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from core import services as core_services
from core.audit import audit_record, chain_verify
from core.models import AuditEvent
from tests.conftest import PASSWORD, client_for

TRIGGER = "core_auditevent_append_only"


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL (DATABASE_URL): the append-only trigger exists only there"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def tamper(sql: str, params=()) -> None:
    """Change the log behind the application's back, as the table's owner can."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's own inserts left deferred foreign-key checks queued; ALTER TABLE needs them done.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE core_auditevent DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE core_auditevent ENABLE TRIGGER {TRIGGER}")


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def trail(personas) -> list[AuditEvent]:
    """A working day's events through the real paths: accounts made, logins (one failed), a calendar
    correction with its reason, a logout."""
    client_for(None).post("/akun/login/", {"username": "pendamping_uji", "password": "salah"})
    client = client_for(None)
    client.post("/akun/login/", {"username": "pendamping_uji", "password": PASSWORD})
    core_services.calendar_override_add(actor=personas["sysadmin"], day=date(2026, 12, 22), kind="libur",
                                        reason="Cuti bersama tambahan (SKB tiga menteri)")
    client.post("/akun/logout/")
    return list(AuditEvent.objects.order_by("id"))


def test_verify_audit_passes_on_a_fresh_chain(trail):
    assert len(trail) >= 10
    assert verify() == f"OK, {len(trail)} rows, head {trail[-1].hash}"
    # Each row points at the one before it; the first at the start of the chain.
    assert trail[0].prev_hash == "0" * 64
    assert all(row.prev_hash == before.hash for before, row in zip(trail, trail[1:], strict=False))


def test_verify_audit_names_a_row_altered_in_sql(trail):
    altered = trail[len(trail) // 2]
    tamper("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["orang_lain", altered.pk])
    with pytest.raises(CommandError, match=rf"BROKEN at row id {altered.pk}: its content does not match"):
        verify()


def test_verify_audit_names_the_row_after_one_removed(trail):
    removed, after = trail[3], trail[4]
    tamper("DELETE FROM core_auditevent WHERE id = %s", [removed.pk])
    with pytest.raises(CommandError, match=rf"BROKEN at row id {after.pk}: its previous hash does not match"):
        verify()


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(trail):
    """Whoever recomputes the altered row's hash still cannot make the next row point at it."""
    from core.audit import event_hash

    altered, after = trail[2], trail[3]
    altered.ip_address = "10.9.9.9"
    tamper("UPDATE core_auditevent SET ip_address = %s, hash = %s WHERE id = %s",
           ["10.9.9.9", event_hash(altered, altered.prev_hash), altered.pk])
    with pytest.raises(CommandError, match=rf"BROKEN at row id {after.pk}"):
        verify()


def test_a_head_printed_earlier_catches_a_log_cut_short(trail):
    """Removing the newest rows leaves a chain that holds; the head printed in a report no longer is in it."""
    printed = trail[-1].hash
    tamper("DELETE FROM core_auditevent WHERE id >= %s", [trail[-2].pk])
    assert verify().startswith(f"OK, {len(trail) - 2} rows")
    with pytest.raises(CommandError, match=f"MISSING head {printed}"):
        verify("--head", printed)
    assert verify("--head", trail[-3].hash).startswith("OK")


def test_update_and_delete_of_audit_rows_fail_on_postgresql(trail):
    needs_postgresql()
    row = trail[1]
    for sql in ("UPDATE core_auditevent SET action = 'auth.nothing' WHERE id = %s",
                "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(reason="")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=row.pk).action == row.action
    assert verify().startswith(f"OK, {len(trail)} rows")


def test_an_account_named_in_the_trail_cannot_be_deleted(trail, caseworker):
    """Deactivated instead: deleting it would have to change the audit rows that name it."""
    with pytest.raises(ProtectedError):
        caseworker.delete()


def test_reasons_typed_about_a_case_stay_out_of_the_audit_row(trail, personas, regions):
    from cases import services as case_services
    from tests.conftest import register_case

    case = register_case(personas["caseworker"])
    case_services.closure_request(case=case, actor=personas["caseworker"], reason="Korban Siti pindah ke Palopo")
    case_services.closure_reject(case=case, actor=personas["supervisor"], reason="Hubungi Siti di rumah bibinya")
    event = AuditEvent.objects.get(action="case.closure_reject")
    assert event.reason == "" and "Siti" not in str(event.details)
    case.refresh_from_db()
    assert case.closure_rejection_reason == "Hubungi Siti di rumah bibinya"  # the case team reads it there


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_extend_one_chain():
    """Writers on their own connections, each holding its transaction open a moment after writing: without
    the lock two of them would read the same head and fork the chain."""
    needs_postgresql()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                with transaction.atomic():
                    audit_record(actor=f"penulis{n}", action="test.concurrent", details={"i": i})
                    time.sleep(0.005)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    check = chain_verify()
    assert check.ok, (check.broken_at, check.problem)
    assert check.rows == AuditEvent.objects.count() == 32

"""The audit log becomes tamper-evident: a hash chain over its rows, and on PostgreSQL a trigger that refuses
UPDATE and DELETE on it (an attacker needs the table owner's rights to disable the trigger, and then the
chain shows what was changed). TRUNCATE is not refused: Django's flush (tests, `manage.py flush`) uses it; the
chain head printed in every report shows a log that was emptied and rebuilt.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events are only ever added (core.audit).';
END
$$;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();

-- Take the chain's lock, then read its head, in one round trip (core.audit). VOLATILE matters: each statement
-- of a volatile function takes a fresh snapshot, so the read sees the row the previous lock holder committed.
CREATE OR REPLACE FUNCTION core_auditevent_chain_head(lock_key bigint) RETURNS varchar
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN (SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1);
END
$$;
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
DROP FUNCTION IF EXISTS core_auditevent_chain_head(bigint);
"""


def chain_existing_rows(apps, schema_editor):
    """Link the rows written before this migration, oldest first (before the trigger forbids updates)."""
    from core.audit import GENESIS, event_hash  # the hash format is a contract of the stored data

    AuditEvent = apps.get_model("core", "AuditEvent")
    previous = GENESIS
    for event in AuditEvent.objects.using(schema_editor.connection.alias).order_by("id").iterator(chunk_size=2000):
        event.prev_hash, event.hash = previous, event_hash(event, previous)
        event.save(update_fields=["prev_hash", "hash"])
        previous = event.hash


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite (development) has no such protection
        schema_editor.execute(TRIGGER_SQL, params=None)  # its % is plpgsql's, not a placeholder


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('core', '0003_calendar_override'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash sebelumnya'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        # An account or agency named in the trail is deactivated, never deleted: SET_NULL would be an UPDATE.
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='pelaku tindakan'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='+', to='agencies.agency', verbose_name='lembaga'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False,
                                       verbose_name='waktu'),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(create_trigger, drop_trigger),
    ]

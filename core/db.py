"""Reads that may be served by a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Only code wrapped in `replica_reads()` reads from the replica: the aggregate statistics behind dashboards,
exports and reports, which tolerate a replica a few seconds behind. Everything else, and every write,
stays on the primary, so a user always sees their own change. Without a replica configured, or while it
does not answer, the primary serves those reads too.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# After a failed connection the replica is left alone this long, so a page does not wait for it every time.
RETRY_AFTER_SECONDS = 30.0

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)
_down_until = 0.0


@contextmanager
def replica_reads():
    """Inside this block (or a function decorated with it), ORM reads go to the replica when it answers."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


def replica_available() -> bool:
    """True when a replica is configured and accepts connections (checked at most every RETRY_AFTER_SECONDS)."""
    global _down_until
    if REPLICA not in settings.DATABASES or time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    try:
        # A kept-open connection to a replica that has since gone away is noticed here (once per request,
        # conn_health_checks), so the reads fall back instead of failing.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except OperationalError:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("database replica unreachable; reading from the primary for %.0f s", RETRY_AFTER_SECONDS)
        return False
    return True


class ReplicaRouter:
    """Statistics reads to the replica inside `replica_reads()`; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        if _reads_from_replica.get() and replica_available():
            return REPLICA
        # Named explicitly: otherwise Django would follow an object read from the replica back to it.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database seen through two connections

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by itself

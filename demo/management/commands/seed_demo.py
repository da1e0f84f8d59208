from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo.cases import seed_cases
from demo.foundation import DEMO_PASSWORD, DEMO_USERS, seed_foundation
from demo.prevention import seed_prevention
from demo.referrals import seed_referrals
from demo.synthetic import synthetic_cases_create

IN_MEMORY_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


@contextmanager
def nothing_leaves() -> Iterator[None]:
    """Demo seeding never e-mails anyone, whatever EMAIL_BACKEND says: its mails go to an in-memory outbox.

    The demo's referrals notify demo users, whose e-mails would be queued after commit. Tasks run here, in
    this process, while the in-memory backend is in force: queued to Redis instead, a worker started later
    (`make run` with REDIS_URL) would send them with the real backend. The in-app notifications are kept.
    """
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        with override_settings(EMAIL_BACKEND=IN_MEMORY_EMAIL):
            yield
    finally:
        current_app.conf.task_always_eager = eager


class Command(BaseCommand):
    help = "Create synthetic demo agencies, users and records (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even when DEBUG is off (demo servers only)")
        parser.add_argument("--cases", type=int, default=0, metavar="N",
                            help="also bulk-create N synthetic cases over the last year (fast path for benchmarks, "
                                 "demo.synthetic; not the realistic demo cases)")

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG mati: data demo tidak dibuat di server produksi. Gunakan --force hanya untuk server demo.")
        with nothing_leaves():
            with transaction.atomic():
                agencies = seed_foundation()
                seed_cases(agencies=agencies)
                seed_prevention(agencies=agencies)
                seed_referrals(agencies=agencies)
            if options.get("cases"):
                today = timezone.localdate()
                made = synthetic_cases_create(count=options["cases"], start=today - timedelta(days=364), end=today)
                self.stdout.write(f"{made} kasus sintetis dibuat (jalur cepat untuk benchmark).")
        names = ", ".join(user.username for user in DEMO_USERS)
        self.stdout.write(f"Data demo siap. Pengguna: {names} (kata sandi: {DEMO_PASSWORD}).")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from cases.demo import seed_cases
from core.demo import DEMO_PASSWORD, DEMO_USERS, seed_foundation
from prevention.demo import seed_prevention
from referrals.demo import seed_referrals


class Command(BaseCommand):
    help = "Create synthetic demo agencies, users and records (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even when DEBUG is off (demo servers only)")
        parser.add_argument("--cases", type=int, default=0, metavar="N",
                            help="also bulk-create N synthetic cases over the last year (fast path for benchmarks, "
                                 "reports.synthetic; not the realistic demo cases)")

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG mati: data demo tidak dibuat di server produksi. Gunakan --force hanya untuk server demo.")
        # The demo's referrals notify demo users; their e-mails would only flood the console, so they
        # go to an in-memory outbox. The in-app notifications are kept.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            agencies = seed_foundation()
            seed_cases(agencies=agencies)
            seed_prevention(agencies=agencies)
            seed_referrals(agencies=agencies)
        if options.get("cases"):
            from datetime import timedelta

            from django.utils import timezone

            from reports.synthetic import synthetic_cases_create

            today = timezone.localdate()
            made = synthetic_cases_create(count=options["cases"], start=today - timedelta(days=364), end=today)
            self.stdout.write(f"{made} kasus sintetis dibuat (jalur cepat untuk benchmark).")
        names = ", ".join(user.username for user in DEMO_USERS)
        self.stdout.write(f"Data demo siap. Pengguna: {names} (kata sandi: {DEMO_PASSWORD}).")

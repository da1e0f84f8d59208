from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_PASSWORD, DEMO_USERS, seed_foundation
from prevention.demo import seed_prevention


class Command(BaseCommand):
    help = "Create synthetic demo agencies, users and records (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even when DEBUG is off (demo servers only)")

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG mati: data demo tidak dibuat di server produksi. Gunakan --force hanya untuk server demo.")
        with transaction.atomic():
            agencies = seed_foundation()
            seed_prevention(agencies=agencies)
        names = ", ".join(user.username for user in DEMO_USERS)
        self.stdout.write(f"Data demo siap. Pengguna: {names} (kata sandi: {DEMO_PASSWORD}).")

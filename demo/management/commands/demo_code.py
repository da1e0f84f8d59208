"""Print the code the demo phone shows now (README: demo logins). Refused when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from demo.foundation import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current sign-in code of the demo accounts' phone (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("DEBUG mati: akun demo tidak punya ponsel bersama di server ini.")
        self.stdout.write(f"{totp(DEMO_TOTP_KEY):06d}")

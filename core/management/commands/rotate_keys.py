from django.core.management.base import BaseCommand

from core.crypto import generate_key as new_key
from core.crypto import keys_rotate


class Command(BaseCommand):
    help = ("Re-encrypt personal fields and stored files with the first key of SIMPUL_FIELD_KEYS. Put the new key "
            "first and keep the old ones after it until this has run; then the old keys can be removed.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--generate-key", action="store_true",
                            help="print a new random key (for SIMPUL_FIELD_KEYS or SIMPUL_BLIND_INDEX_KEY) and stop")

    def handle(self, *args, generate_key: bool, **options) -> None:
        if generate_key:
            self.stdout.write(new_key())
            return
        for label, changed in keys_rotate().items():
            if changed:
                self.stdout.write(f"{label}: {changed} re-encrypted")
        self.stdout.write("done")

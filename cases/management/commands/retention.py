"""`manage.py retention --dry-run` lists the case numbers due for anonymisation; without it, anonymises them."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services import cases_anonymise_due, cases_due_for_anonymisation


class Command(BaseCommand):
    help = "Anonymise closed cases past the retention period (SIMPUL_RETENTION_YEARS), except those on legal hold."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list the case numbers that are due.")

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        if dry_run:
            numbers = list(cases_due_for_anonymisation(now=now).values_list("number", flat=True))
            verb = "due"
        else:
            numbers = cases_anonymise_due(actor=None, now=now)
            verb = "anonymised"
        for number in numbers:
            self.stdout.write(number)
        self.stderr.write(f"{len(numbers)} case(s) {verb}.")

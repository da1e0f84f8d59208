from django.core.management.base import BaseCommand, CommandError

from core.audit import chain_verify
from core.models import AuditEvent


class Command(BaseCommand):
    help = ("Check the audit log's hash chain from its first row: print 'OK, N rows, head <hash>', or name the "
            "first row whose link does not hold and exit with status 1.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--head", action="append", default=[], metavar="HASH",
                            help="a chain head printed earlier (e.g. in a report) that must still be in the chain; "
                                 "repeatable")

    def handle(self, *args, head: list[str], **options) -> None:
        check = chain_verify()
        if not check.ok:
            raise CommandError(f"BROKEN at row id {check.broken_at}: {check.problem} "
                               f"({check.rows} rows before it hold)")
        for printed in head:
            # The chain holds, but a rewritten log can hold too: a head seen earlier must still be one of its links.
            if not AuditEvent.objects.filter(hash=printed.strip().lower()).exists():
                raise CommandError(f"MISSING head {printed}: the log was rewritten or emptied after it was printed")
        self.stdout.write(f"OK, {check.rows} rows, head {check.head}")

from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.models import Report


class Command(BaseCommand):
    help = "Make a report now (synchronously) and print the path of its PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", required=True, choices=Report.Kind.values)
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q4 or 2026")
        parser.add_argument("--edition", default=Report.Edition.PUBLISHED, choices=Report.Edition.values)

    def handle(self, *args, kind: str, period: str, edition: str, **options) -> None:
        try:
            report = services.report_request(actor=None, kind=kind, period_code=period, edition=edition, queue=False)
        except services.ReportError as error:
            raise CommandError(str(error)) from error
        try:
            report = services.report_generate(report_id=report.pk)
        except Exception as error:
            raise CommandError(f"Laporan gagal dibuat: {error}") from error
        self.stdout.write(report.file.path)

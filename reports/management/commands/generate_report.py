from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.models import Report

# English names accepted next to the stored Indonesian codes: --kind monthly --edition published.
KIND_ALIASES = {"monthly": Report.Kind.MONTHLY, "quarterly": Report.Kind.QUARTERLY, "annual": Report.Kind.ANNUAL}
EDITION_ALIASES = {"published": Report.Edition.PUBLISHED}


class Command(BaseCommand):
    help = ("Make a report now (synchronously) and print the path of its PDF. "
            "Example: generate_report --kind monthly --period 2026-10 --edition published")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", required=True, choices=[*KIND_ALIASES, *Report.Kind.values])
        parser.add_argument("--period", required=True, help="2026-10 (monthly), 2026-Q4 (quarterly) or 2026 (annual)")
        parser.add_argument("--edition", default=Report.Edition.PUBLISHED,
                            choices=[*EDITION_ALIASES, *Report.Edition.values])

    def handle(self, *args, kind: str, period: str, edition: str, **options) -> None:
        kind, edition = KIND_ALIASES.get(kind, kind), EDITION_ALIASES.get(edition, edition)
        try:
            report = services.report_request(actor=None, kind=kind, period_code=period, edition=edition, queue=False)
        except services.ReportError as error:
            raise CommandError(str(error)) from error
        try:
            report = services.report_generate(report_id=report.pk)
        except Exception as error:
            raise CommandError(f"Laporan gagal dibuat: {error}") from error
        self.stdout.write(report.file.path)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from core.outbox import register_outbox_handler
        from reports import (
            checks,  # noqa: F401  (registers the system checks)
            services,
        )

        # The job is only published to the queue: the committing process does that itself, right away.
        register_outbox_handler(services.REPORT_JOB, services.report_job_send, at_commit=True)
        register_outbox_handler(services.REPORT_READY_EMAIL, services.report_email_ready)

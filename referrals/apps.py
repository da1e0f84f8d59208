from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Rujukan")

    def ready(self) -> None:
        # Stored answer deadlines follow the working-day calendar: core calls this when the administrator
        # corrects a date (core.workdays keeps the registry, since core may not import this app).
        from core.workdays import register_calendar_listener
        from referrals.services import referral_deadlines_recompute

        register_calendar_listener("referrals.answer_deadlines", referral_deadlines_recompute)

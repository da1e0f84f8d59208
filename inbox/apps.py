from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """Hand-offs between agencies and people: intake requests into the UPTD PPA and notifications.

    A lower layer: it knows `core` and `agencies` only, and every domain app calls its services.
    """

    name = "inbox"
    verbose_name = _("Kotak masuk")

    def ready(self) -> None:
        # The outbox (core) delivers these kinds by calling inbox's services; core may not import inbox.
        from core.outbox import register_outbox_handler
        from inbox import services

        register_outbox_handler(services.NOTIFICATION_EMAIL, services.notification_email_send)
        register_outbox_handler(services.ROLE_CHANGE_NOTICES, services.role_change_notices_send)

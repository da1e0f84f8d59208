from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Lembaga dan pengguna")

    def ready(self) -> None:
        # The outbox (core) delivers the password link e-mail by calling this app's service.
        from agencies import services
        from core.outbox import register_outbox_handler

        register_outbox_handler(services.PASSWORD_LINK_EMAIL, services.password_link_email_send)

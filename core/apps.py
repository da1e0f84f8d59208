from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Django reports logins only through its auth signals; recording them is the one use of signals.
        from core import auth_audit  # noqa: F401

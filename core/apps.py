from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Django reports logins only through its auth signals; recording them is the one use of signals.
        # deploy_checks registers the `check --deploy` checks of production settings.
        from core import auth_audit, deploy_checks  # noqa: F401
        from core.policy import check_every_role_has_a_policy

        checks.register(check_every_role_has_a_policy)

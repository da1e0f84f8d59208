from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and synthetic data: the top layer, allowed to call every app's services; nothing imports it."""

    name = "demo"
    verbose_name = _("Data demo")

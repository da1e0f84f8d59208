from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """Hand-offs between agencies and people: intake requests into the UPTD PPA and notifications.

    A lower layer: it knows `core` and `agencies` only, and every domain app calls its services.
    """

    name = "inbox"
    verbose_name = _("Kotak masuk")

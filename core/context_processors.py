from django.conf import settings

from core.navigation import items_for, menu_for
from core.policy import perms


def navigation(request) -> dict:
    """The menu, and `can` for templates (`{% if can.case_view_unit %}`, asked only when a page reads it)."""
    items = items_for(request.user)
    return {"nav_items": items, "nav_menu": menu_for(items), "district_code": settings.DISTRICT_CODE,
            "can": perms(request.user), "idle_seconds": settings.SESSION_IDLE_MINUTES * 60}

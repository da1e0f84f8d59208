from django.conf import settings

from core.navigation import items_for, menu_for


def navigation(request) -> dict:
    items = items_for(request.user)
    return {"nav_items": items, "nav_menu": menu_for(items), "district_code": settings.DISTRICT_CODE}

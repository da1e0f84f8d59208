from django.conf import settings

from core.navigation import items_for


def navigation(request) -> dict:
    return {"nav_items": items_for(request.user), "district_code": settings.DISTRICT_CODE}

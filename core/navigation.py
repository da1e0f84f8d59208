"""The navigation bar, by role. Each app adds its entries here so the menu is defined in one place."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    icon: str = ""


ALL_STAFF = tuple(Role.values)

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home", ALL_STAFF, "house"),
    NavItem(_("Direktori lembaga"), "agencies:directory", ALL_STAFF, "building"),
    NavItem(_("Kelola lembaga"), "agencies:manage_list", (Role.ADMIN,), "gear"),
    NavItem(_("Kelola pengguna"), "agencies:user_list", (Role.ADMIN,), "people"),
    NavItem(_("Jejak audit"), "core:audit_list", (Role.ADMIN, Role.SUPERVISOR), "journal-text"),
]


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app that is not installed in this deployment
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon, "url_name": item.url_name})
    return items

"""The navigation bar, by role. Each app adds its entries here so the menu is defined in one place."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Role
from core.codes import AgencyType


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    icon: str = ""
    # When set, partner staff see the item only if their agency is of one of these types (PATBM, PUSPAGA).
    agency_types: tuple[str, ...] = ()
    # Items of a group share one dropdown in the menu bar (when the user sees more than one of them), so
    # the bar fits a tablet held sideways; home-page tiles still list every item.
    group: str = ""


STATISTICS = "statistics"
MORE = "more"
GROUP_LABELS = {STATISTICS: _("Statistik"), MORE: _("Lainnya")}


ALL_STAFF = tuple(Role.values)

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home", ALL_STAFF, "house"),
    NavItem(_("Kasus saya"), "cases:list", (Role.CASEWORKER,), "folder2-open"),
    NavItem(_("Kasus unit"), "cases:list", (Role.SUPERVISOR,), "folder2-open"),
    NavItem(_("Tenggat"), "cases:deadlines", (Role.CASEWORKER, Role.SUPERVISOR), "alarm"),
    NavItem(_("Antrean pengaduan"), "cases:intake_queue", (Role.CASEWORKER, Role.SUPERVISOR), "inboxes"),
    NavItem(_("Direktori lembaga"), "agencies:directory", ALL_STAFF, "building", group=MORE),
    NavItem(_("Kelola lembaga"), "agencies:manage_list", (Role.ADMIN,), "gear", group=MORE),
    NavItem(_("Kelola pengguna"), "agencies:user_list", (Role.ADMIN,), "people", group=MORE),
    NavItem(_("Kalender kerja"), "core:workday_calendar", (Role.ADMIN,), "calendar-week", group=MORE),
    NavItem(_("Jejak audit"), "core:audit_list", (Role.ADMIN, Role.SUPERVISOR), "journal-text", group=MORE),
    NavItem(_("Cakupan pencegahan"), "prevention:coverage", (Role.SUPERVISOR, Role.OFFICIAL), "map",
            group=STATISTICS),
    NavItem(_("Kelompok PATBM"), "prevention:group_list", (Role.PARTNER,), "people", (AgencyType.PATBM,)),
    NavItem(_("Sesi PUSPAGA"), "prevention:session_list", (Role.PARTNER,), "chat-heart", (AgencyType.PUSPAGA,)),
    NavItem(_("Kegiatan pencegahan"), "prevention:activity_list", (Role.PARTNER,), "megaphone",
            (AgencyType.PATBM, AgencyType.PUSPAGA)),
    NavItem(_("Dasbor statistik"), "reports:dashboard", (Role.OFFICIAL, Role.SUPERVISOR), "bar-chart-line",
            group=STATISTICS),
    NavItem(_("Laporan berkala"), "reports:list", (Role.OFFICIAL, Role.SUPERVISOR), "file-earmark-pdf",
            group=STATISTICS),
    NavItem(_("Rujukan masuk"), "referrals:inbox", (Role.PARTNER,), "inbox",
            tuple(t for t in AgencyType.values if t not in (AgencyType.PATBM, AgencyType.PUSPAGA))),
    NavItem(_("Rujukan terkirim"), "referrals:sent_list", (Role.CASEWORKER, Role.SUPERVISOR), "send"),
    NavItem(_("Rujuk ke UPTD PPA"), "referrals:refer_in", (Role.PARTNER,), "box-arrow-in-right",
            (AgencyType.VILLAGE, AgencyType.PATBM, AgencyType.PUSPAGA)),
]


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        if item.agency_types and (user.agency is None or user.agency.agency_type not in item.agency_types):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app that is not installed in this deployment
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon, "url_name": item.url_name,
                      "group": item.group})
    return items


def menu_for(items: list[dict]) -> list[dict]:
    """The menu bar: ungrouped items in order, then one dropdown per group that has two or more items."""
    menu: list[dict] = [item for item in items if not item["group"]]
    for group, label in GROUP_LABELS.items():
        children = [item for item in items if item["group"] == group]
        if len(children) == 1:
            menu.extend(children)
        elif children:
            menu.append({"label": label, "children": children, "group": group,
                         "url_names": [child["url_name"] for child in children]})
    return menu

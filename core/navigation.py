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


ALL_STAFF = tuple(Role.values)

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home", ALL_STAFF, "house"),
    NavItem(_("Kasus saya"), "cases:list", (Role.CASEWORKER,), "folder2-open"),
    NavItem(_("Kasus unit"), "cases:list", (Role.SUPERVISOR,), "folder2-open"),
    NavItem(_("Tenggat"), "cases:deadlines", (Role.CASEWORKER, Role.SUPERVISOR), "alarm"),
    NavItem(_("Antrean pengaduan"), "cases:intake_queue", (Role.CASEWORKER, Role.SUPERVISOR), "inboxes"),
    NavItem(_("Direktori lembaga"), "agencies:directory", ALL_STAFF, "building"),
    NavItem(_("Kelola lembaga"), "agencies:manage_list", (Role.ADMIN,), "gear"),
    NavItem(_("Kelola pengguna"), "agencies:user_list", (Role.ADMIN,), "people"),
    NavItem(_("Jejak audit"), "core:audit_list", (Role.ADMIN, Role.SUPERVISOR), "journal-text"),
    NavItem(_("Cakupan pencegahan"), "prevention:coverage", (Role.SUPERVISOR, Role.OFFICIAL), "map"),
    NavItem(_("Kelompok PATBM"), "prevention:group_list", (Role.PARTNER,), "people", (AgencyType.PATBM,)),
    NavItem(_("Sesi PUSPAGA"), "prevention:session_list", (Role.PARTNER,), "chat-heart", (AgencyType.PUSPAGA,)),
    NavItem(_("Kegiatan pencegahan"), "prevention:activity_list", (Role.PARTNER,), "megaphone",
            (AgencyType.PATBM, AgencyType.PUSPAGA)),
    NavItem(_("Dasbor statistik"), "reports:dashboard", (Role.OFFICIAL, Role.SUPERVISOR), "bar-chart-line"),
    NavItem(_("Laporan berkala"), "reports:list", (Role.OFFICIAL, Role.SUPERVISOR), "file-earmark-pdf"),
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
        items.append({"label": item.label, "url": url, "icon": item.icon, "url_name": item.url_name})
    return items

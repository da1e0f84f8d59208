"""The navigation bar. Each app adds its entries here so the menu is defined in one place; who sees an entry
is core.policy's answer for the entry's capability."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.policy import Capability as C
from core.policy import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Who sees the entry: those who hold this capability (None: every signed-in user) ...
    capability: C | None
    icon: str = ""
    # ... unless they hold this one too, and so reach the page through another entry (a supervisor reaches
    # prevention activities from the coverage page; case staff reach referrals in from their cases).
    unless: C | None = None
    # Items of a group share one dropdown in the menu bar (when the user sees more than one of them), so
    # the bar fits a tablet held sideways; home-page tiles still list every item.
    group: str = ""


STATISTICS = "statistics"
MORE = "more"
GROUP_LABELS = {STATISTICS: _("Statistik"), MORE: _("Lainnya")}


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home", None, "house"),
    NavItem(_("Kasus saya"), "cases:list", C.CASE_VIEW_OWN, "folder2-open", unless=C.CASE_VIEW_UNIT),
    NavItem(_("Kasus unit"), "cases:list", C.CASE_VIEW_UNIT, "folder2-open"),
    NavItem(_("Tenggat"), "cases:deadlines", C.CASE_WORK, "alarm"),
    NavItem(_("Agenda"), "agenda", C.CASE_WORK, "calendar-check"),
    NavItem(_("Antrean pengaduan"), "cases:intake_queue", C.CASE_INTAKE, "inboxes"),
    NavItem(_("Pelimpahan masuk"), "cases:transfer_inbox", C.CASE_TRANSFER, "arrow-left-right", group=MORE),
    NavItem(_("Direktori lembaga"), "agencies:directory", None, "building", group=MORE),
    NavItem(_("Kelola lembaga"), "agencies:manage_list", C.AGENCY_MANAGE, "gear", group=MORE),
    NavItem(_("Kelola pengguna"), "agencies:user_list", C.USER_MANAGE, "people", group=MORE),
    NavItem(_("Persetujuan akses"), "agencies:role_change_list", C.ROLE_APPROVE, "shield-check", group=MORE),
    NavItem(_("Kalender kerja"), "core:workday_calendar", C.CALENDAR_MANAGE, "calendar-week", group=MORE),
    NavItem(_("Jejak audit"), "core:audit_list", C.AUDIT_VIEW, "journal-text", group=MORE),
    NavItem(_("Cakupan pencegahan"), "prevention:coverage", C.PREVENTION_OVERSEE, "map", group=STATISTICS),
    NavItem(_("Kelompok PATBM"), "prevention:group_list", C.PREVENTION_PATBM, "people"),
    NavItem(_("Sesi PUSPAGA"), "prevention:session_list", C.PREVENTION_PUSPAGA, "chat-heart"),
    NavItem(_("Kegiatan pencegahan"), "prevention:activity_list", C.PREVENTION_ACTIVITIES, "megaphone",
            unless=C.PREVENTION_OVERSEE),
    NavItem(_("Dasbor statistik"), "reports:dashboard", C.REPORT_VIEW, "bar-chart-line", group=STATISTICS),
    NavItem(_("Laporan berkala"), "reports:list", C.REPORT_VIEW, "file-earmark-pdf", group=STATISTICS),
    NavItem(_("Rujukan masuk"), "referrals:inbox", C.REFERRAL_INBOX, "inbox", unless=C.CASE_WORK),
    NavItem(_("Rujukan terkirim"), "referrals:sent_list", C.REFERRAL_SEND, "send"),
    NavItem(_("Rujuk ke UPTD PPA"), "referrals:refer_in", C.REFERRAL_REFER_IN, "box-arrow-in-right"),
]


def _shows(item: NavItem, user) -> bool:
    if item.capability is not None and not can(user, item.capability):
        return False
    return item.unless is None or not can(user, item.unless)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if not _shows(item, user):
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

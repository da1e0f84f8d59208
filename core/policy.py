"""Who may see and do what: the one access policy of Simpul.

Every role's capabilities, the agencies where they hold, and its home page are written in `POLICY` below,
and nowhere else. Views ask `can()` or wear `@requires()`; selectors ask `case_scope()` / `audit_scope()`
and build the query themselves; services that pick people ask `staff_who_can()`; menus and templates ask
through the `can` context variable. A role is added here (and in its tests) and nowhere else: a role without
a home page gets `DEFAULT_HOME`, a role without a capability sees 404, never a 500.

Outside a user's rights the answer is 404, never 403 (a refusal would reveal that a page or record exists).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from agencies.models import Role, User
from core.codes import AgencyType


class Capability(StrEnum):
    # Cases (the UPTD PPA's case files).
    CASE_WORK = "case.work"  # open the case pages and record the work on a case in scope
    CASE_VIEW_OWN = "case.view_own"  # scope: the cases assigned to the user
    CASE_VIEW_UNIT = "case.view_unit"  # scope: every case of the user's agency
    CASE_INTAKE = "case.intake"  # register complaints; the agency's intake queue (referrals in), notified of it
    CASE_ASSIGN = "case.assign"
    CASE_DECIDE_CLOSURE = "case.decide_closure"
    CASE_APPROVE_CONSENT = "case.approve_consent"  # a guardian's consent when a parent is the perpetrator
    CASE_VIEW_READS = "case.view_reads"  # who opened a case (its read trail)
    # Pelimpahan: send the agency's case to another unit, and accept or decline the cases sent to the agency.
    CASE_TRANSFER = "case.transfer"
    # The identity section of a case in scope (names, NIK, birth dates, addresses, phones, chronology), on the
    # page and in every printed document; without it a reader of the case sees survivor codes only.
    CASE_VIEW_IDENTITY = "case.view_identity"
    CASE_DUPLICATE_ASK = "case.duplicate_ask"  # ask another agency whether its case is the same victim's
    # Referrals between agencies.
    REFERRAL_SEND = "referral.send"
    REFERRAL_INBOX = "referral.inbox"  # receive referrals: the agency's inbox and the referrals sent to it
    REFERRAL_LEGAL_BASIS = "referral.legal_basis"  # share without consent on a legal basis (UU 27/2022 Pasal 20)
    REFERRAL_REFER_IN = "referral.refer_in"  # refer a person in to the UPTD PPA's intake queue
    NOTIFICATION_VIEW = "notification.view"  # the bell and the notifications page
    # Statistics and reports.
    REPORT_VIEW = "report.view"  # dashboards and the published edition of reports
    REPORT_INTERNAL = "report.internal"  # the internal edition: small cells not suppressed
    # Prevention.
    PREVENTION_PATBM = "prevention.patbm"  # the own agency's PATBM groups, activists and activities
    PREVENTION_PUSPAGA = "prevention.puspaga"  # the own agency's PUSPAGA sessions, with their notes
    PREVENTION_ACTIVITIES = "prevention.activities"  # record the own agency's prevention activities
    PREVENTION_OVERSEE = "prevention.oversee"  # every prevention record (never session notes); village coverage
    # Administration.
    AUDIT_VIEW = "audit.view"  # the audit log of the user's agency
    AUDIT_VIEW_ALL = "audit.view_all"  # the whole audit log
    AGENCY_MANAGE = "agency.manage"
    USER_MANAGE = "user.manage"  # accounts and their details; access to case content only as a request
    ROLE_APPROVE = "role.approve"  # the second person: approve or refuse a change of an account's access
    ACCOUNT_UNLOCK = "account.unlock"  # lift a lockout after failed logins (never one's own)
    DEVICE_RESET_REQUEST = "device.reset_request"  # ask to reset a lost phone (ROLE_APPROVE decides)
    CALENDAR_MANAGE = "calendar.manage"  # correct the working-day calendar (holidays, cuti bersama)
    BREACH_REGISTER = "breach.register"  # the personal-data breach register (UU 27/2022 Pasal 46)


class Scope(StrEnum):
    """How far a user's view of a kind of record reaches; the selector turns it into a query."""

    NONE = "none"
    OWN = "own"  # records assigned to the user
    UNIT = "unit"  # records of the user's agency
    ALL = "all"


# domain.md section 7: PATBM and PUSPAGA staff never see case files. They refer people in to the UPTD PPA but
# take no part in the referrals of cases, and no referral is sent to their agencies.
NO_CASE_ACCESS_AGENCY_TYPES = (AgencyType.PATBM, AgencyType.PUSPAGA)
# Agencies whose staff refer people in to the UPTD PPA's intake queue (besides another district's agencies).
REFER_IN_AGENCY_TYPES = (AgencyType.VILLAGE, AgencyType.PATBM, AgencyType.PUSPAGA)


# --- Conditions: where a capability holds ---------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    """A test on the user's agency, both in Python (`holds`) and as a query on users (`q`, with a prefix
    such as "staff__" when the query starts from another model)."""

    holds: Callable[[object], bool]
    q: Callable[[str], Q]

    def __or__(self, other: Condition) -> Condition:
        return Condition(lambda user: self.holds(user) or other.holds(user),
                         lambda prefix: self.q(prefix) | other.q(prefix))


# Not Q(): an empty Q vanishes when OR-ed with another, which would narrow "anywhere or X" down to X.
ANYWHERE = Condition(lambda user: True, lambda prefix: Q(**{f"{prefix}pk__isnull": False}))
WITH_AGENCY = Condition(lambda user: user.agency_id is not None,
                        lambda prefix: Q(**{f"{prefix}agency__isnull": False}))


def at(*agency_types: str) -> Condition:
    """The user's agency is of one of these types."""
    return Condition(lambda user: user.agency_id is not None and user.agency.agency_type in agency_types,
                     lambda prefix: Q(**{f"{prefix}agency__agency_type__in": agency_types}))


def not_at(*agency_types: str) -> Condition:
    """The user has an agency, not of these types."""
    return Condition(lambda user: user.agency_id is not None and user.agency.agency_type not in agency_types,
                     lambda prefix: Q(**{f"{prefix}agency__isnull": False})
                     & ~Q(**{f"{prefix}agency__agency_type__in": agency_types}))


# An agency of another district (referring someone in across the district border).
FROM_OTHER_DISTRICT = Condition(
    lambda user: bool(user.agency_id and user.agency.district_id
                      and user.agency.district_id != settings.DISTRICT_CODE),
    lambda prefix: Q(**{f"{prefix}agency__district__isnull": False})
    & ~Q(**{f"{prefix}agency__district_id": settings.DISTRICT_CODE}))


def allow(*capabilities: Capability, where: Condition = ANYWHERE) -> dict[Capability, Condition]:
    return dict.fromkeys(capabilities, where)


# --- Home pages -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HomePage:
    """A role's home page: its heading, its introduction, and the panels shown above the menu tiles.

    `intros` are (capability, text) pairs: the first whose capability the user holds (None: anyone) is shown.
    `panels` are template paths; each panel decides for itself what to show to whom.
    """

    title: str
    intros: tuple[tuple[Capability | None, str], ...] = ()
    panels: tuple[str, ...] = ()
    template: str = "core/home.html"

    def intro_for(self, user) -> str:
        return next((text for capability, text in self.intros if capability is None or can(user, capability)), "")


DEFAULT_HOME = HomePage(_("Beranda"), ((None, _("Halaman yang dapat Anda buka ada di menu dan di bawah ini.")),))

CASES_PANEL = "cases/_home.html"
REPORTS_PANEL = "reports/_home.html"
PREVENTION_PANEL = "prevention/_home.html"
PARTNER_REFERRALS_PANEL = "referrals/_home_partner_panel_tag.html"


# --- The policy -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RolePolicy:
    grants: Mapping[Capability, Condition]
    home: HomePage | None = None  # None: DEFAULT_HOME
    signature_title: str = ""  # under the signature of letters the role signs; empty: the role's label


C = Capability
POLICY: dict[str, RolePolicy] = {
    Role.CASEWORKER: RolePolicy(
        grants=allow(C.CASE_WORK, C.CASE_VIEW_OWN, C.CASE_INTAKE, C.REFERRAL_SEND, C.NOTIFICATION_VIEW)
        | allow(C.CASE_VIEW_IDENTITY)
        | allow(C.REFERRAL_INBOX, where=not_at(*NO_CASE_ACCESS_AGENCY_TYPES))
        | allow(C.REFERRAL_REFER_IN, where=FROM_OTHER_DISTRICT),
        home=HomePage(_("Beranda pendamping"),
                      ((None, _("Kasus yang Anda dampingi, tenggat layanan, dan rujukan ada di sini.")),),
                      (CASES_PANEL,)),
        signature_title="Pendamping",
    ),
    Role.SUPERVISOR: RolePolicy(
        grants=allow(C.CASE_WORK, C.CASE_VIEW_UNIT, C.CASE_INTAKE, C.CASE_ASSIGN, C.CASE_DECIDE_CLOSURE,
                     C.CASE_APPROVE_CONSENT, C.CASE_VIEW_READS, C.REFERRAL_SEND, C.REFERRAL_LEGAL_BASIS,
                     C.NOTIFICATION_VIEW, C.REPORT_VIEW, C.REPORT_INTERNAL, C.PREVENTION_OVERSEE, C.AUDIT_VIEW,
                     C.BREACH_REGISTER, C.CASE_DUPLICATE_ASK)
        | allow(C.CASE_VIEW_IDENTITY)
        | allow(C.REFERRAL_INBOX, where=not_at(*NO_CASE_ACCESS_AGENCY_TYPES))
        # The UPTD head is the case manager (Permen PPPA 2/2022): who owns a case is the supervisor's decision.
        | allow(C.CASE_TRANSFER, where=not_at(*NO_CASE_ACCESS_AGENCY_TYPES))
        | allow(C.ROLE_APPROVE, C.DEVICE_RESET_REQUEST, where=WITH_AGENCY)
        | allow(C.REFERRAL_REFER_IN, where=FROM_OTHER_DISTRICT)
        | allow(C.PREVENTION_ACTIVITIES, where=WITH_AGENCY),
        home=HomePage(_("Beranda koordinator"),
                      ((None, _("Kasus seluruh unit, penugasan pendamping, persetujuan penutupan, dan jejak "
                                "audit.")),),
                      (REPORTS_PANEL, CASES_PANEL, PREVENTION_PANEL)),
        signature_title="Koordinator",
    ),
    # Staff of partner agencies: the police, hospitals, ... receive referrals; villages refer people in;
    # PATBM and PUSPAGA record prevention work and refer people in, and never see a case.
    Role.PARTNER: RolePolicy(
        grants=allow(C.REFERRAL_INBOX, C.NOTIFICATION_VIEW, where=not_at(*NO_CASE_ACCESS_AGENCY_TYPES))
        | allow(C.REFERRAL_REFER_IN, where=at(*REFER_IN_AGENCY_TYPES) | FROM_OTHER_DISTRICT)
        | allow(C.PREVENTION_PATBM, where=at(AgencyType.PATBM))
        | allow(C.PREVENTION_PUSPAGA, where=at(AgencyType.PUSPAGA))
        | allow(C.PREVENTION_ACTIVITIES, where=at(AgencyType.PATBM, AgencyType.PUSPAGA)),
        home=HomePage(_("Beranda lembaga mitra"), (
            (C.PREVENTION_ACTIVITIES, _("Catat kegiatan pencegahan lembaga Anda, dan rujuk keluarga yang "
                                        "membutuhkan perlindungan ke UPTD PPA.")),
            (None, _("Rujukan yang dikirim ke lembaga Anda: terima, tindak lanjuti, dan laporkan hasilnya.")),
        ), (PARTNER_REFERRALS_PANEL, PREVENTION_PANEL)),
    ),
    # Officials read aggregate figures only: no case, no personal data.
    Role.OFFICIAL: RolePolicy(
        grants=allow(C.REPORT_VIEW, C.PREVENTION_OVERSEE, C.NOTIFICATION_VIEW),
        home=HomePage(_("Beranda pejabat"),
                      ((None, _("Dasbor dan laporan statistik berkala. Halaman ini tidak memuat data pribadi "
                                "korban.")),),
                      (REPORTS_PANEL, PREVENTION_PANEL)),
    ),
    # The system administrator runs agencies, accounts and the audit log; never case content.
    Role.ADMIN: RolePolicy(
        grants=allow(C.AGENCY_MANAGE, C.USER_MANAGE, C.CALENDAR_MANAGE, C.AUDIT_VIEW, C.AUDIT_VIEW_ALL,
                     C.NOTIFICATION_VIEW, C.BREACH_REGISTER, C.ACCOUNT_UNLOCK, C.DEVICE_RESET_REQUEST),
        home=HomePage(_("Beranda administrator sistem"),
                      ((None, _("Kelola lembaga jaringan rujukan, akun pengguna, dan daftar kode.")),)),
    ),
}


# --- Questions --------------------------------------------------------------------------------------------

def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def role_policy(user) -> RolePolicy | None:
    return POLICY.get(getattr(user, "role", None)) if _active(user) else None


def can(user, capability: Capability | str) -> bool:
    """May this user do `capability`? False for the anonymous, the inactive and roles the policy lacks."""
    capability = Capability(capability)  # a misspelt capability is an error, not a silent "no"
    spec = role_policy(user)
    condition = spec.grants.get(capability) if spec else None
    return condition is not None and condition.holds(user)


def case_scope(user) -> Scope:
    """Which cases the user sees: the agency's (UNIT), those assigned to them (OWN), or none."""
    if can(user, Capability.CASE_VIEW_UNIT) and user.agency_id:
        return Scope.UNIT
    if can(user, Capability.CASE_VIEW_OWN):
        return Scope.OWN
    return Scope.NONE


def audit_scope(user) -> Scope:
    """Which audit events the user reads: all, their agency's staff's, or none."""
    if can(user, Capability.AUDIT_VIEW_ALL):
        return Scope.ALL
    if can(user, Capability.AUDIT_VIEW) and user.agency_id:
        return Scope.UNIT
    return Scope.NONE


def staff_who_can(capability: Capability | str, *, prefix: str = "") -> Q:
    """A filter on users (through `prefix`, e.g. "staff__" from agencies) for the active staff who may do
    `capability`: whom to notify, whom a case may be assigned to."""
    capability = Capability(capability)
    q: Q | None = None
    for role, spec in POLICY.items():
        condition = spec.grants.get(capability)
        if condition is not None:
            holders = Q(**{f"{prefix}role": role}) & condition.q(prefix)
            q = holders if q is None else q | holders
    if q is None:
        return Q(**{f"{prefix}pk__in": []})
    return q & Q(**{f"{prefix}is_active": True})


# The capabilities that open a survivor's data: case files, the intake queue (the family's summary), the
# referrals an agency receives (their shared snapshots), and PUSPAGA session notes (a family's counselling).
CASE_CONTENT = frozenset({Capability.CASE_WORK, Capability.CASE_VIEW_OWN, Capability.CASE_VIEW_UNIT,
                          Capability.CASE_INTAKE, Capability.REFERRAL_INBOX, Capability.PREVENTION_PUSPAGA})


def role_sees_case_content(role: str, agency) -> bool:
    """Would an active account of `role` at `agency` (None: no agency) open any survivor's data?

    Giving such an access is what the two-person rule holds for a supervisor's approval (agencies.services).
    """
    probe = User(role=role, agency=agency, is_active=True)  # unsaved: only the role and agency are asked
    return any(can(probe, capability) for capability in CASE_CONTENT)


def sees_case_content(user) -> bool:
    """Does this (active, signed-in) user open any survivor's data?"""
    return _active(user) and any(can(user, capability) for capability in CASE_CONTENT)


# Issue 12: the capabilities whose holders sign in with a second factor (TOTP). Survivors' data, and whatever
# gives or watches access to it (accounts, approvals, the audit log, the breach register, unsuppressed
# statistics): one stolen password must open none of it. Officials (suppressed aggregates) and prevention staff
# without session notes sign in with their password alone.
SECOND_FACTOR = CASE_CONTENT | {Capability.USER_MANAGE, Capability.AGENCY_MANAGE, Capability.ROLE_APPROVE,
                                Capability.AUDIT_VIEW, Capability.AUDIT_VIEW_ALL, Capability.BREACH_REGISTER,
                                Capability.REPORT_INTERNAL, Capability.CASE_VIEW_READS, Capability.ACCOUNT_UNLOCK,
                                Capability.DEVICE_RESET_REQUEST}


def needs_second_factor(user) -> bool:
    """Must this (active, signed-in) user confirm their sign-in with a code from their phone?"""
    return _active(user) and any(can(user, capability) for capability in SECOND_FACTOR)


def home_for(user) -> HomePage:
    """The user's home page; the default one for a role the policy gives none (never a 500 at login)."""
    spec = role_policy(user)
    return (spec.home if spec else None) or DEFAULT_HOME


def signature_title(user) -> str:
    """The title printed under the user's signature on letters (e.g. the Surat Rujukan)."""
    spec = POLICY.get(user.role)
    if spec and spec.signature_title:
        return spec.signature_title
    return str(Role(user.role).label) if user.role in Role.values else user.role


def check_every_role_has_a_policy(app_configs=None, **kwargs) -> list:
    """A Django system check: a role added to Role without an entry here stops `manage.py check` and the
    server's start, not a user at login."""
    from django.core.checks import Error

    return [Error(f"Role {role!r} has no entry in core.policy.POLICY.", id="simpul.E001")
            for role in Role.values if role not in POLICY]


def requires(capability: Capability | str) -> Callable:
    """A view decorator: login required; then 404 unless the user may do `capability`."""
    capability = Capability(capability)

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not can(request.user, capability):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class UnknownCapability(Exception):
    """A template asked for a capability that does not exist (a typo must fail loudly, not hide a button)."""


class Perms:
    """`{% if can.case_view_unit %}` in templates: capabilities by their member name, asked when read."""

    def __init__(self, user) -> None:
        self._user = user

    def __getitem__(self, name: str) -> bool:
        if not isinstance(name, str):
            raise KeyError(name)
        try:
            capability = Capability[name.upper()]
        except KeyError:
            raise UnknownCapability(name) from None
        return can(self._user, capability)


def perms(user) -> Perms:
    return Perms(user)

"""Reads of agencies, staff and regions."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from agencies.models import Agency, DeviceResetRequest, Region, RoleChangeRequest, User
from core.codes import AgencyType
from core.policy import Capability, can, staff_who_can


def agencies_search(*, query: str = "", agency_type: str = "", service: str = "", kecamatan: str = "",
                    active_only: bool = True) -> QuerySet[Agency]:
    agencies = Agency.objects.all()
    if active_only:
        agencies = agencies.filter(is_active=True)
    if query:
        agencies = agencies.filter(Q(name__icontains=query) | Q(contact_person__icontains=query))
    if agency_type:
        agencies = agencies.filter(agency_type=agency_type)
    if service:
        agencies = agencies.filter(services__service=service)
    if kecamatan:
        # An agency that lists no kecamatan serves the whole district (the Polres, the RSUD).
        agencies = agencies.filter(Q(kecamatan_covered__code=kecamatan) | Q(kecamatan_covered__isnull=True))
    return agencies.distinct().prefetch_related("services", "kecamatan_covered").order_by("name")


def district_kecamatan(*, district_code: str | None = None) -> QuerySet[Region]:
    """The kecamatan of the district Simpul serves (settings.DISTRICT_CODE)."""
    return Region.objects.filter(parent_id=district_code or settings.DISTRICT_CODE,
                                 level=Region.Level.SUBDISTRICT).order_by("code")


def district_villages(*, kecamatan_code: str | None = None, district_code: str | None = None) -> QuerySet[Region]:
    villages = Region.objects.filter(level__in=[Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE])
    if kecamatan_code:
        return villages.filter(parent_id=kecamatan_code).order_by("name")
    return villages.filter(parent__parent_id=district_code or settings.DISTRICT_CODE).order_by("code")


def users_search(*, query: str = "", role: str = "", agency_id: int | None = None) -> QuerySet[User]:
    users = User.objects.select_related("agency")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query)
                             | Q(last_name__icontains=query))
    if role:
        users = users.filter(role=role)
    if agency_id:
        users = users.filter(agency_id=agency_id)
    return users.order_by("username")


# --- Changes of access (the two-person rule) ---------------------------------------------------------------

def _coordinating_agencies() -> QuerySet[Agency]:
    """The UPTD PPA of the district Simpul serves: it coordinates the referral network."""
    return Agency.objects.filter(Q(district_id=settings.DISTRICT_CODE) | Q(district__isnull=True),
                                 agency_type=AgencyType.UPTD_PPA, is_active=True)


def role_change_approvers(*, agency: Agency | None, exclude_ids: Iterable[int | None] = ()) -> QuerySet[User]:
    """Who may approve a change of access at `agency`: its supervisors; for an agency without one (the police,
    a hospital, a village, the office), the supervisors of the district's UPTD PPA, which coordinates the
    network. `exclude_ids` (the requester and the account holder) never approve."""
    approvers = User.objects.filter(staff_who_can(Capability.ROLE_APPROVE)).exclude(
        pk__in=[pk for pk in exclude_ids if pk is not None])
    if agency is not None:
        own = approvers.filter(agency=agency)
        if own.exists():
            return own
    return approvers.filter(agency__in=_coordinating_agencies())


def role_changes_visible_to(*, user) -> QuerySet[RoleChangeRequest]:
    """The changes of access a user may read: every one for the administrator who asks them; for a
    supervisor, those at their agency (to it or away from it), and, at the coordinating UPTD PPA, those at
    agencies with no other supervisor to decide them."""
    changes = RoleChangeRequest.objects.select_related("user", "agency", "previous_agency", "requested_by",
                                                       "decided_by")
    if can(user, Capability.USER_MANAGE):
        return changes
    if not can(user, Capability.ROLE_APPROVE):
        return changes.none()
    scope = Q(agency_id=user.agency_id) | Q(previous_agency_id=user.agency_id)
    if _coordinating_agencies().filter(pk=user.agency_id).exists():
        deciders_there = User.objects.filter(staff_who_can(Capability.ROLE_APPROVE), agency=OuterRef("agency")) \
            .exclude(pk=OuterRef("user")).exclude(pk=OuterRef("requested_by"))
        scope |= ~Exists(deciders_there)
    return changes.filter(scope)


def role_change_pending(*, user: User) -> RoleChangeRequest | None:
    """The change of this account's access still waiting for approval, if any."""
    return RoleChangeRequest.objects.filter(user=user, status=RoleChangeRequest.Status.PENDING) \
        .select_related("agency").first()


def role_change_may_decide(*, user, change: RoleChangeRequest) -> bool:
    """May this user approve or refuse this change (the page shows the buttons; the service checks again)?"""
    return (change.status == RoleChangeRequest.Status.PENDING and user.pk not in (change.user_id,
                                                                                   change.requested_by_id)
            and role_change_approvers(agency=change.agency, exclude_ids=(change.user_id, change.requested_by_id))
            .filter(pk=user.pk).exists())


# --- Lost phones (the two-person reset) ----------------------------------------------------------------------

def device_resets_to_decide(*, user) -> list[DeviceResetRequest]:
    """The pending phone resets this user may approve or refuse (a supervisor of the holder's agency, or of the
    coordinating UPTD PPA where that agency has none); the administrator sees every pending one."""
    pending = DeviceResetRequest.objects.filter(status=DeviceResetRequest.Status.PENDING) \
        .select_related("user__agency", "requested_by").order_by("created_at")
    if can(user, Capability.USER_MANAGE):
        return list(pending)
    if not can(user, Capability.ROLE_APPROVE):
        return []
    # A short queue (lost phones are rare): each row asks who decides it, through the one rule that says so.
    return [reset for reset in pending if device_reset_may_decide(user=user, reset=reset)]


def device_reset_may_decide(*, user, reset: DeviceResetRequest) -> bool:
    return (reset.status == DeviceResetRequest.Status.PENDING and user.pk not in (reset.user_id,
                                                                                  reset.requested_by_id)
            and role_change_approvers(agency=reset.user.agency, exclude_ids=(reset.user_id, reset.requested_by_id))
            .filter(pk=user.pk).exists())


def device_reset_pending(*, user: User) -> DeviceResetRequest | None:
    return DeviceResetRequest.objects.filter(user=user, status=DeviceResetRequest.Status.PENDING).first()

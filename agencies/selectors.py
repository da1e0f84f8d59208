"""Reads of agencies, staff and regions."""

from django.conf import settings
from django.db.models import Q, QuerySet

from agencies.models import Agency, Region, User


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

"""Writes to agencies and staff accounts. Each one audits itself in its own transaction."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from agencies.models import Agency, AgencyService, Region, Role, User
from core.audit import audit_record

AGENCY_FIELDS = ("name", "agency_type", "district", "address", "phone", "email", "contact_person", "is_active")


def _set_services(agency: Agency, services: Iterable[str]) -> None:
    wanted = set(services)
    agency.services.exclude(service__in=wanted).delete()
    have = set(agency.services.values_list("service", flat=True))
    AgencyService.objects.bulk_create([AgencyService(agency=agency, service=s) for s in sorted(wanted - have)])


@transaction.atomic
def agency_create(*, actor: User | None, services: Iterable[str] = (), kecamatan: Iterable[Region] = (),
                  **fields) -> Agency:
    """Register an agency of the referral network with the services it gives and the kecamatan it covers."""
    agency = Agency.objects.create(**{k: v for k, v in fields.items() if k in AGENCY_FIELDS})
    _set_services(agency, services)
    agency.kecamatan_covered.set(kecamatan)
    audit_record(actor=actor, action="agency.create", obj=agency)
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, actor: User, services: Iterable[str], kecamatan: Iterable[Region],
                  **fields) -> Agency:
    """Change an agency's details, services and coverage."""
    for key, value in fields.items():
        if key in AGENCY_FIELDS:
            setattr(agency, key, value)
    agency.save()
    _set_services(agency, services)
    agency.kecamatan_covered.set(kecamatan)
    audit_record(actor=actor, action="agency.update", obj=agency)
    return agency


@transaction.atomic
def user_create(*, actor: User | None, username: str, password: str, role: str, agency: Agency | None,
                first_name: str = "", last_name: str = "", email: str = "", phone: str = "") -> User:
    """Create a staff account; the password must pass Django's validators."""
    user = User(username=username, role=role, agency=agency, first_name=first_name, last_name=last_name,
                email=email, phone=phone, is_staff=role == Role.ADMIN)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, details={"role": role})
    return user


@transaction.atomic
def user_update(*, user: User, actor: User, **fields) -> User:
    """Change a staff account's role, agency, names or active state."""
    # Compare with the stored row: a bound ModelForm may already have copied the new values onto `user`.
    stored = User.objects.get(pk=user.pk)
    changed = []
    for key in ("first_name", "last_name", "email", "phone", "role", "agency", "is_active"):
        if key in fields:
            if getattr(stored, key) != fields[key]:
                changed.append(key)
            setattr(user, key, fields[key])
    user.is_staff = user.role == Role.ADMIN
    user.save()
    audit_record(actor=actor, action="user.update", obj=user, details={"changed": changed})
    return user


@transaction.atomic
def user_set_password(*, user: User, actor: User, password: str) -> User:
    """An administrator sets a new password for a staff member who lost theirs."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.set_password", obj=user)
    return user

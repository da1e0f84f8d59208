"""Writes to agencies and staff accounts. Each one audits itself in its own transaction.

Least privilege for the system administrator (issue 12, UU 27/2022 on children's data): it manages accounts
but never sets another person's password (the holder sets it from an e-mailed link), and a change of access
that would open survivors' data, or a change of its own role, waits for a supervisor's approval
(`RoleChangeRequest`, two-person rule). Every change of role or agency is recorded and its supervisors told.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyService, DeviceResetRequest, Region, Role, RoleChangeRequest, User
from agencies.selectors import role_change_approvers
from core import signin
from core.audit import audit_record
from core.outbox import outbox_enqueue
from core.policy import Capability, can, role_sees_case_content
from core.versioning import version_claim

logger = logging.getLogger(__name__)

# inbox tells the supervisors of each change of access (inbox.services.role_change_notices_send). It is a
# layer above this app (it imports our models), so its outbox kind is named here and never imported.
ROLE_CHANGE_NOTICES = "inbox.role_change_notices"
# The password link e-mail, delivered by the outbox (handler registered in agencies.apps).
PASSWORD_LINK_EMAIL = "agencies.password_link_email"  # noqa: S105 (an outbox kind, no password)


class AccessError(Exception):
    """A change of an account or of its access was refused; the message is for the user."""

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
                  version: int | None = None, **fields) -> Agency:
    """Change an agency's details, services and coverage (`version`: what the edit form was read at). A new type
    that would open survivors' data to the agency's active staff (a PATBM group made a police unit) is refused:
    that is a change of their access."""
    version_claim(agency, read_version=version)
    stored = Agency.objects.select_for_update().get(pk=agency.pk)
    for key, value in fields.items():
        if key in AGENCY_FIELDS:
            setattr(agency, key, value)
    if actor is not None and agency.agency_type != stored.agency_type:
        opened = [user for user in stored.staff.filter(is_active=True)
                  if role_sees_case_content(user.role, agency) and not role_sees_case_content(user.role, stored)]
        if opened:
            raise AccessError(_("Jenis lembaga yang baru membuka data korban bagi %(count)s akun aktif lembaga ini. "
                                "Nonaktifkan dulu akun itu; mengaktifkannya lagi menunggu persetujuan "
                                "koordinator.") % {"count": len(opened)})
    agency.save()
    _set_services(agency, services)
    agency.kecamatan_covered.set(kecamatan)
    audit_record(actor=actor, action="agency.update", obj=agency)
    return agency


@dataclass(frozen=True)
class Access:
    """What decides what an account opens: its role, agency and activation, and the address its password
    links go to."""

    role: str
    agency_id: int | None
    is_active: bool
    email: str

    @classmethod
    def of(cls, user: User) -> "Access":
        return cls(user.role, user.agency_id, user.is_active, user.email)

    def opens_case_content(self) -> bool:
        agency = Agency.objects.filter(pk=self.agency_id).first() if self.agency_id else None
        return self.is_active and role_sees_case_content(self.role, agency)


def _needs_approval(*, actor: User | None, user: User, before: Access, after: Access) -> bool:
    """The two-person rule: does this change of access wait for a supervisor?"""
    if actor is None:  # the command line (seeding, bootstrapping the first supervisor): whoever runs the server
        return False
    if actor.pk == user.pk and (after.role, after.agency_id) != (before.role, before.agency_id):
        return True  # nobody changes their own role or agency on their own word
    if not after.opens_case_content():
        return False  # taking access away, or giving none to survivors' data, is never held
    if not before.opens_case_content() or (after.role, after.agency_id) != (before.role, before.agency_id):
        return True
    # A password link sent to a new address would hand the account over to whoever reads that mailbox.
    return after.email.lower() != before.email.lower() and actor.pk != user.pk


def _notices_after_commit() -> None:
    """Ask inbox to tell the supervisors once this change commits (an outbox message in this transaction);
    its periodic job also tells of any change this misses."""
    if apps.is_installed("inbox"):
        outbox_enqueue(kind=ROLE_CHANGE_NOTICES)


def _change_details(change: RoleChangeRequest) -> dict:
    # Ids and codes only; the addresses themselves stay out of the audit log.
    return {"user": change.user_id, "new_account": change.new_account,
            "from_role": change.previous_role, "to_role": change.role,
            "from_agency": change.previous_agency_id, "to_agency": change.agency_id,
            "from_active": change.previous_is_active, "to_active": change.is_active,
            "email_changed": change.previous_email.lower() != change.email.lower()}


def _withdraw_pending(*, user: User, actor: User | None, request=None) -> None:
    """A newer change of an account's access replaces the one still waiting (its approval would undo it)."""
    for change in RoleChangeRequest.objects.select_for_update().filter(user=user,
                                                                       status=RoleChangeRequest.Status.PENDING):
        change.status = RoleChangeRequest.Status.WITHDRAWN
        change.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="role_change.withdraw", obj=change, request=request,
                     details=_change_details(change))


def _change_record(*, user: User, actor: User, before: Access, after: Access, held: bool,
                   new_account: bool = False, request=None) -> RoleChangeRequest:
    change = RoleChangeRequest.objects.create(
        user=user, requested_by=actor, new_account=new_account, previous_role=before.role,
        previous_agency_id=before.agency_id, previous_is_active=before.is_active, previous_email=before.email,
        role=after.role, agency_id=after.agency_id, is_active=after.is_active, email=after.email,
        status=RoleChangeRequest.Status.PENDING if held else RoleChangeRequest.Status.APPLIED)
    audit_record(actor=actor, action="role_change.request" if held else "role_change.apply", obj=change,
                 request=request, details=_change_details(change))
    _notices_after_commit()
    return change


def _apply(user: User, access: Access) -> None:
    user.role, user.agency_id, user.is_active, user.email = (access.role, access.agency_id, access.is_active,
                                                              access.email)
    user.is_staff = user.role == Role.ADMIN  # django-admin's door; it shows users read-only (agencies.admin)


@transaction.atomic
def user_create(*, actor: User | None, username: str, role: str, agency: Agency | None, first_name: str = "",
                last_name: str = "", email: str = "", phone: str = "", password: str | None = None,
                request=None) -> User:
    """Create a staff account. Its holder sets the password from an e-mailed link; an account whose role
    opens survivors' data stays inactive until a supervisor approves it.

    Only the command line (`actor` None: seeding, the first supervisor of a new install) may give a password.
    """
    if actor is not None and password is not None:
        raise AccessError(_("Administrator tidak menetapkan kata sandi orang lain. Tautan untuk membuat kata "
                            "sandi dikirim ke email pengguna."))
    if actor is not None and not email:
        raise AccessError(_("Isi email pengguna: tautan untuk membuat kata sandi dikirim ke sana."))
    after = Access(role, agency.pk if agency else None, True, email)
    held = actor is not None and after.opens_case_content()
    user = User(username=username, role=role, agency=agency, first_name=first_name, last_name=last_name,
                email=email, phone=phone, is_active=not held, is_staff=role == Role.ADMIN)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, request=request, details={"role": role, "held": held})
    if actor is not None:
        _change_record(user=user, actor=actor, before=Access(role, after.agency_id, False, email), after=after,
                       held=held, new_account=True, request=request)
        if not held:
            _password_link_after_commit(user, new_account=True)
    return user


@transaction.atomic
def user_update(*, user: User, actor: User | None, version: int | None = None, request=None, **fields) -> User:
    """Change a staff account's names, phone, role, agency, e-mail or active state (`version`: what the edit
    form was read at). A change of access the two-person rule holds is recorded for a supervisor's approval
    and the rest applies now; `user` is reloaded with what was saved."""
    version_claim(user, read_version=version)
    # The stored row, locked: a bound ModelForm may already have copied the new values onto `user`.
    stored = User.objects.select_for_update().get(pk=user.pk)
    changed = [key for key in ("first_name", "last_name", "phone") if key in fields
               and getattr(stored, key) != fields[key]]
    for key in changed:
        setattr(stored, key, fields[key])
    before = Access.of(stored)
    agency = fields.get("agency", stored.agency)
    after = Access(fields.get("role", before.role), agency.pk if agency else None,
                   fields.get("is_active", before.is_active), fields.get("email", before.email))
    change = None
    if after != before:
        held = _needs_approval(actor=actor, user=stored, before=before, after=after)
        _withdraw_pending(user=stored, actor=actor, request=request)
        if not held:
            _apply(stored, after)
            changed += [key for key in ("role", "agency_id", "is_active", "email")
                        if getattr(before, key) != getattr(after, key)]
        if actor is not None and (held or (after.role, after.agency_id) != (before.role, before.agency_id)):
            change = _change_record(user=stored, actor=actor, before=before, after=after, held=held,
                                    request=request)
    stored.save()
    audit_record(actor=actor, action="user.update", obj=stored, request=request,
                 details={"changed": [key.removesuffix("_id") for key in changed],
                          **({"held": str(change)} if change and change.status == change.Status.PENDING else {})})
    user.refresh_from_db()
    return user


def _lock_pending(change: RoleChangeRequest, actor: User) -> RoleChangeRequest:
    change.refresh_from_db(from_queryset=RoleChangeRequest.objects.select_for_update())
    if change.status != RoleChangeRequest.Status.PENDING:
        raise AccessError(_("Perubahan akses ini sudah diputuskan atau digantikan perubahan lain."))
    if actor.pk in (change.requested_by_id, change.user_id):
        raise AccessError(_("Perubahan akses diputuskan oleh orang kedua: bukan yang mengajukan, bukan pemilik "
                            "akun."))
    approvers = role_change_approvers(agency=change.agency, exclude_ids=(change.requested_by_id, change.user_id))
    if not approvers.filter(pk=actor.pk).exists():
        raise AccessError(_("Perubahan akses ini diputuskan oleh koordinator lembaga tujuan."))
    return change


@transaction.atomic
def role_change_approve(*, change: RoleChangeRequest, actor: User, request=None) -> RoleChangeRequest:
    """A supervisor of the agency, neither requester nor holder, approves a held change: it applies now."""
    _lock_pending(change, actor)
    user = User.objects.select_for_update().get(pk=change.user_id)
    previous = Access(change.previous_role, change.previous_agency_id, change.previous_is_active,
                      change.previous_email)
    if Access.of(user) != previous:
        # Approving it would undo what was done to the account since (a deactivation, another role).
        raise AccessError(_("Akun ini sudah berubah sejak perubahan diajukan. Minta administrator mengajukannya "
                            "lagi."))
    _apply(user, Access(change.role, change.agency_id, change.is_active, change.email))
    # The account's edit form shows role, agency and activation: a form opened before this approval is stale.
    version_claim(user, read_version=None)
    user.save()
    change.status, change.decided_by, change.decided_at = RoleChangeRequest.Status.APPROVED, actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action="role_change.approve", obj=change, request=request,
                 details=_change_details(change))
    audit_record(actor=actor, action="role_change.apply", obj=change, request=request,
                 details=_change_details(change))
    if user.is_active and not user.has_usable_password():
        _password_link_after_commit(user, new_account=True)  # a new account: its holder now sets a password
    _notices_after_commit()
    return change


@transaction.atomic
def role_change_refuse(*, change: RoleChangeRequest, actor: User, reason: str, request=None) -> RoleChangeRequest:
    """A supervisor refuses a held change, with a reason the requester reads; the account stays as it was."""
    if not reason.strip():
        raise AccessError(_("Tuliskan alasan penolakan."))
    _lock_pending(change, actor)
    change.status, change.decided_by, change.decided_at = RoleChangeRequest.Status.REFUSED, actor, timezone.now()
    change.refusal_reason = reason.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason", "updated_at"])
    # The reason stays on the request's page, out of the audit log (typed text may name people).
    audit_record(actor=actor, action="role_change.refuse", obj=change, request=request,
                 details=_change_details(change))
    _notices_after_commit()
    return change


# --- Password links: the holder sets their own password ----------------------------------------------------

class _OneAccountPasswordResetForm(PasswordResetForm):
    """Django's reset e-mail, for one chosen account (not every account sharing its address), sent so that a
    failure raises and the task retries (Django's own form logs the failure and carries on)."""

    def __init__(self, user: User) -> None:
        super().__init__(data={"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user]

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


def _password_link_after_commit(user: User, *, new_account: bool) -> None:
    # In the outbox, in this transaction: a rolled-back change e-mails nobody, a saved one even with the broker down.
    outbox_enqueue(kind=PASSWORD_LINK_EMAIL, payload={"user_id": user.pk, "new_account": new_account})


def password_link_email_send(*, user_id: int, new_account: bool = False) -> bool:
    """E-mail an account's holder a link to set their password (Django's reset token, valid for
    PASSWORD_RESET_TIMEOUT). Nothing is sent to an inactive account or one without an address."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    form = _OneAccountPasswordResetForm(user)
    if not form.is_valid():
        return False
    # The link's address comes from SITE_URL, never from a request's Host header.
    site = urlsplit(settings.SITE_URL)
    with translation.override(settings.LANGUAGE_CODE):
        form.save(domain_override=site.netloc, use_https=site.scheme == "https",
                  subject_template_name="agencies/email/password_link_subject.txt",
                  email_template_name="agencies/email/password_link_body.txt",
                  extra_email_context={"new_account": new_account, "site_name": "Simpul"})
    return True


@transaction.atomic
def user_password_link_send(*, user: User, actor: User, request=None) -> User:
    """Instead of setting a staff member's password, the administrator sends them a link to set it."""
    if not user.is_active:
        raise AccessError(_("Akun ini tidak aktif; aktifkan dulu sebelum mengirim tautan kata sandi."))
    if not user.email:
        raise AccessError(_("Akun ini belum punya email. Isi emailnya dulu."))
    audit_record(actor=actor, action="user.password_link", obj=user, request=request)
    _password_link_after_commit(user, new_account=not user.has_usable_password())
    return user


# --- A lost phone: its reset by two people (issue 12) --------------------------------------------------------

@transaction.atomic
def device_reset_request(*, user: User, actor: User, request=None) -> DeviceResetRequest:
    """Ask that someone's sign-in phone be forgotten (lost, stolen, replaced); a second person decides."""
    if not can(actor, Capability.DEVICE_RESET_REQUEST):
        raise AccessError(_("Anda tidak dapat meminta penggantian ponsel."))
    if actor.pk == user.pk:
        raise AccessError(_("Penggantian ponsel Anda sendiri diminta oleh administrator atau koordinator lain."))
    User.objects.select_for_update().get(pk=user.pk)  # one request at a time for an account
    if DeviceResetRequest.objects.filter(user=user, status=DeviceResetRequest.Status.PENDING).exists():
        raise AccessError(_("Penggantian ponsel akun ini sudah diminta dan menunggu persetujuan."))
    reset = DeviceResetRequest.objects.create(user=user, requested_by=actor)
    audit_record(actor=actor, action="device_reset.request", obj=reset, request=request,
                 details={"user": user.pk})
    return reset


def _lock_pending_reset(reset: DeviceResetRequest, actor: User) -> DeviceResetRequest:
    reset.refresh_from_db(from_queryset=DeviceResetRequest.objects.select_for_update())
    if reset.status != DeviceResetRequest.Status.PENDING:
        raise AccessError(_("Penggantian ponsel ini sudah diputuskan."))
    if actor.pk in (reset.requested_by_id, reset.user_id):
        raise AccessError(_("Penggantian ponsel diputuskan oleh orang kedua: bukan yang meminta, bukan pemilik "
                            "akun."))
    approvers = role_change_approvers(agency=reset.user.agency, exclude_ids=(reset.requested_by_id, reset.user_id))
    if not approvers.filter(pk=actor.pk).exists():
        raise AccessError(_("Penggantian ponsel ini diputuskan oleh koordinator lembaga pemilik akun."))
    return reset


@transaction.atomic
def device_reset_approve(*, reset: DeviceResetRequest, actor: User, request=None) -> DeviceResetRequest:
    """The second person approves: the account's phone and recovery codes are forgotten now; its holder enrols a
    new phone at the next sign-in (their open sessions stop being verified)."""
    _lock_pending_reset(reset, actor)
    removed = signin.devices_remove(user=reset.user)
    reset.status, reset.decided_by, reset.decided_at = DeviceResetRequest.Status.APPROVED, actor, timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action="device_reset.approve", obj=reset, request=request,
                 details={"user": reset.user_id, "devices": removed})
    return reset


@transaction.atomic
def device_reset_refuse(*, reset: DeviceResetRequest, actor: User, request=None) -> DeviceResetRequest:
    """The second person refuses: the phone stays as it was."""
    _lock_pending_reset(reset, actor)
    reset.status, reset.decided_by, reset.decided_at = DeviceResetRequest.Status.REFUSED, actor, timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action="device_reset.refuse", obj=reset, request=request,
                 details={"user": reset.user_id})
    return reset

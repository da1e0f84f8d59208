"""Least privilege for the system administrator (issue 12): it manages accounts, but access to survivors' data,
and its own role, change only with a supervisor's approval (two-person rule), and it never sets a password.

Each test walks the pages as the people would (admin, supervisor, the account's holder), commits each step so
that the notices and e-mails leave as in production, and checks what each person would notice: who can open
the case list, who can log in, what reached whose bell and mailbox, what the audit log holds.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from agencies import services
from agencies.models import Role, RoleChangeRequest, User
from core import policy
from core.codes import AgencyType
from core.models import AuditEvent
from core.policy import Capability
from inbox.kinds import Kind
from inbox.models import Notification
from inbox.services import role_change_notices_send
from tests.conftest import PASSWORD, assert_hidden, client_for, make_agency, make_user


def mail_of(user: User) -> str:
    return f"{user.username}@contoh.simpul.test"


@pytest.fixture
def team(sysadmin, supervisor, caseworker, official) -> dict[str, User]:
    """The administrator, two supervisors and a caseworker of the UPTD PPA, an official; each with an e-mail
    address of their own (set by themselves, which needs nobody's approval)."""
    second = make_user("koordinator_dua", Role.SUPERVISOR, supervisor.agency)
    people = {"admin": sysadmin, "supervisor": supervisor, "second": second, "caseworker": caseworker,
              "official": official}
    for user in people.values():
        services.user_update(user=user, actor=user, email=mail_of(user))
    return people


@dataclass
class Sent:
    notices: list[tuple[str, str]] = field(default_factory=list)  # (recipient, kind)
    mails: list[str] = field(default_factory=list)


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """`with step() as sent:` runs one action and commits it; `sent` holds the new notices and e-mails."""

    @contextmanager
    def run():
        sent = Sent()
        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        sent.notices = sorted(Notification.objects.filter(pk__gt=last).values_list("recipient__username", "kind"))
        sent.mails = sorted(address for message in mail.outbox[before:] for address in message.to)

    return run


def edit_form(user: User, **changes) -> dict:
    """The user edit form as the page shows it, with some fields changed (and the version it is read at now)."""
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email, "phone": user.phone,
            "role": user.role, "agency": user.agency_id, "is_active": "on" if user.is_active else "",
            "version": User.objects.get(pk=user.pk).version}
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def audit(action: str, **lookup) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **lookup))


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/akun/reset/\S+/)", message.body).group(1)


def opens_cases(user: User) -> bool:
    return client_for(user).get("/kasus/").status_code == 200


# --- The policy: which roles open survivors' data, who approves --------------------------------------------

def test_the_policy_says_which_roles_open_survivors_data(db):
    uptd, police, patbm, puspaga, office = (make_agency(f"L {t}", t) for t in (
        AgencyType.UPTD_PPA, AgencyType.POLICE, AgencyType.PATBM, AgencyType.PUSPAGA, AgencyType.BUPATI))
    sees = policy.role_sees_case_content
    assert sees(Role.CASEWORKER, uptd) and sees(Role.SUPERVISOR, uptd)
    assert sees(Role.PARTNER, police)  # the referrals sent to the police carry the survivor's data
    assert sees(Role.PARTNER, puspaga)  # PUSPAGA session notes: a family's counselling
    assert not sees(Role.PARTNER, patbm)
    assert not sees(Role.OFFICIAL, office) and not sees(Role.ADMIN, office) and not sees(Role.ADMIN, uptd)
    approvers = {role for role in Role.values if policy.can(User(role=role, agency=uptd), Capability.ROLE_APPROVE)}
    assert approvers == {Role.SUPERVISOR}


# --- Self-promotion ------------------------------------------------------------------------------------------

def test_the_administrator_cannot_promote_itself_until_a_supervisor_approves(team, step):
    admin, supervisor, uptd = team["admin"], team["supervisor"], team["supervisor"].agency
    with step() as sent:
        response = client_for(admin).post(f"/lembaga/pengguna/{admin.pk}/",
                                          edit_form(admin, role=Role.SUPERVISOR, agency=uptd.pk))
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.agency_id) == (Role.ADMIN, team["official"].agency_id)  # unchanged
    assert not opens_cases(admin)
    change = RoleChangeRequest.objects.get(user=admin)
    assert (change.status, change.role, change.agency, change.requested_by) == (
        RoleChangeRequest.Status.PENDING, Role.SUPERVISOR, uptd, admin)
    request_event, = audit("role_change.request", actor=admin, object_id=str(change.pk))
    assert request_event.details["to_role"] == Role.SUPERVISOR and request_event.details["user"] == admin.pk
    # Both supervisors of the UPTD PPA hear of it, in the bell and by e-mail; the administrator does not.
    assert sent.notices == sorted([(supervisor.username, Kind.ROLE_CHANGE_PENDING),
                                   (team["second"].username, Kind.ROLE_CHANGE_PENDING)])
    assert sent.mails == sorted([mail_of(supervisor), mail_of(team["second"])])

    # The requester cannot approve it: no button on its page, a POST changes nothing, the service refuses.
    page = client_for(admin).get(f"/lembaga/akses/{change.pk}/")
    assert page.status_code == 200 and "Setujui perubahan akses" not in page.content.decode()
    client_for(admin).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    with pytest.raises(services.AccessError):
        services.role_change_approve(change=change, actor=admin)
    change.refresh_from_db()
    admin.refresh_from_db()
    assert change.status == RoleChangeRequest.Status.PENDING and admin.role == Role.ADMIN

    # A supervisor of the UPTD PPA approves: only now the role applies, and the requester hears of it.
    with step() as sent:
        response = client_for(supervisor).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.agency) == (Role.SUPERVISOR, uptd) and opens_cases(admin)
    assert audit("role_change.approve", actor=supervisor, object_id=str(change.pk))
    assert audit("role_change.apply", actor=supervisor, object_id=str(change.pk))
    assert (admin.username, Kind.ROLE_CHANGE_APPROVED) in sent.notices
    assert (team["second"].username, Kind.ROLE_CHANGE_APPROVED) in sent.notices
    assert (supervisor.username, Kind.ROLE_CHANGE_APPROVED) not in sent.notices  # the decider knows


def test_the_administrator_changing_its_own_role_waits_even_for_a_role_without_case_content(team, step):
    """Its agency has no supervisor: the supervisors of the district's UPTD PPA decide."""
    admin = team["admin"]
    with step() as sent:
        client_for(admin).post(f"/lembaga/pengguna/{admin.pk}/", edit_form(admin, role=Role.OFFICIAL))
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    change = RoleChangeRequest.objects.get(user=admin, status=RoleChangeRequest.Status.PENDING)
    assert sorted(user for user, _ in sent.notices) == sorted([team["supervisor"].username, team["second"].username])
    with step():
        client_for(team["second"]).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    admin.refresh_from_db()
    assert admin.role == Role.OFFICIAL and not admin.is_staff


# --- Creating a supervisor -------------------------------------------------------------------------------

def test_a_new_supervisor_account_stays_closed_until_approved_then_its_holder_sets_the_password(team, step):
    admin, supervisor, uptd = team["admin"], team["supervisor"], team["supervisor"].agency
    with step() as sent:
        response = client_for(admin).post("/lembaga/pengguna/baru/", {
            "username": "koord_baru", "first_name": "Koordinator", "last_name": "Baru", "role": Role.SUPERVISOR,
            "agency": uptd.pk, "email": "koord_baru@contoh.simpul.test"})
    assert response.status_code == 302
    new = User.objects.get(username="koord_baru")
    assert not new.is_active and not new.has_usable_password()
    assert "koord_baru@contoh.simpul.test" not in sent.mails  # no link before the approval
    assert sorted(sent.mails) == sorted([mail_of(supervisor), mail_of(team["second"])])
    created, = audit("user.create", actor=admin, object_id=str(new.pk))
    assert created.details == {"role": Role.SUPERVISOR, "held": True}
    change = RoleChangeRequest.objects.get(user=new)
    assert change.new_account and change.status == RoleChangeRequest.Status.PENDING
    assert audit("role_change.request", actor=admin, object_id=str(change.pk))
    # Closed: Django's own "forgot password" page sends nothing to an inactive account either.
    with step() as sent:
        client_for(None).post("/akun/password_reset/", {"email": "koord_baru@contoh.simpul.test"})
    assert sent.mails == []

    with step() as sent:
        client_for(supervisor).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    new.refresh_from_db()
    assert new.is_active and not new.has_usable_password()
    assert "koord_baru@contoh.simpul.test" in sent.mails
    invitation = next(m for m in mail.outbox if m.to == ["koord_baru@contoh.simpul.test"])
    assert "koord_baru" in invitation.body and invitation.body.count("/akun/reset/") == 1

    # The holder, and nobody else, sets the password from the link, then logs in and opens the unit's cases.
    holder = client_for(None)
    form_page = holder.get(link_in(invitation), follow=True)
    assert form_page.status_code == 200
    holder.post(form_page.redirect_chain[-1][0], {"new_password1": "Lembah-Masamba-4417",
                                                  "new_password2": "Lembah-Masamba-4417"})
    assert client_for(None).login(username="koord_baru", password="Lembah-Masamba-4417")
    new.refresh_from_db()
    assert opens_cases(new)


def test_an_account_without_case_content_opens_at_once_and_its_holder_sets_the_password(team, step):
    admin = team["admin"]
    with step() as sent:
        client_for(admin).post("/lembaga/pengguna/baru/", {
            "username": "pejabat_baru", "first_name": "Pejabat", "role": Role.OFFICIAL,
            "agency": team["official"].agency_id, "email": "pejabat_baru@contoh.simpul.test"})
    new = User.objects.get(username="pejabat_baru")
    assert new.is_active and not new.has_usable_password()
    assert "pejabat_baru@contoh.simpul.test" in sent.mails
    change = RoleChangeRequest.objects.get(user=new)
    assert change.status == RoleChangeRequest.Status.APPLIED
    assert audit("role_change.apply", actor=admin, object_id=str(change.pk))
    # Told to the supervisors of the district's UPTD PPA (the office has none of its own).
    assert (team["supervisor"].username, Kind.ROLE_CHANGE_APPLIED) in sent.notices


def test_the_form_asks_for_an_email_and_no_password(sysadmin, uptd):
    page = client_for(sysadmin).get("/lembaga/pengguna/baru/").content.decode()
    assert 'type="password"' not in page
    response = client_for(sysadmin).post("/lembaga/pengguna/baru/", {
        "username": "tanpa_email", "first_name": "Nama Yang Diketik", "role": Role.CASEWORKER, "agency": uptd.pk})
    assert response.status_code == 200 and 'value="Nama Yang Diketik"' in response.content.decode()
    assert not User.objects.filter(username="tanpa_email").exists()


# --- Setting a password ------------------------------------------------------------------------------------

def test_the_administrator_never_sets_a_password_it_sends_a_reset_link(team, step):
    admin, caseworker = team["admin"], team["caseworker"]
    # The old "set a new password" page is gone, and nothing it would have posted changes the password.
    old = client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/sandi/", {
        "new_password1": "Sandi-Admin-2026", "new_password2": "Sandi-Admin-2026"})
    assert old.status_code == 404
    assert not client_for(None).login(username=caseworker.username, password="Sandi-Admin-2026")
    # Nor through the service, for a new account.
    with pytest.raises(services.AccessError):
        services.user_create(actor=admin, username="dengan_sandi", password="Sandi-Admin-2026",
                             role=Role.OFFICIAL, agency=admin.agency, email="x@contoh.simpul.test")
    assert client_for(admin).get(f"/lembaga/pengguna/{caseworker.pk}/tautan-sandi/").status_code == 405

    with step() as sent:
        response = client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/tautan-sandi/", follow=True)
    assert sent.mails == [mail_of(caseworker)]
    message = mail.outbox[-1]
    token_path = link_in(message)
    assert message.body.startswith("Administrator Simpul mengirim tautan ini")
    assert token_path.split("/")[-2] not in response.content.decode()  # the administrator never sees the link
    assert audit("user.password_link", actor=admin, object_id=str(caseworker.pk))
    # Until the holder uses the link, their own password stands (checked without logging in, which would
    # spend the link: Django's token changes with the last login).
    caseworker.refresh_from_db()
    assert caseworker.check_password(PASSWORD)
    holder = client_for(None)
    form_page = holder.get(token_path, follow=True)
    holder.post(form_page.redirect_chain[-1][0], {"new_password1": "Sandi-Sendiri-2026",
                                                  "new_password2": "Sandi-Sendiri-2026"})
    assert client_for(None).login(username=caseworker.username, password="Sandi-Sendiri-2026")
    assert audit("auth.password_reset", actor=caseworker)


def test_a_new_address_for_someone_who_sees_cases_waits_and_the_holder_cannot_approve_it(team, step):
    """A reset link sent to the administrator's own mailbox would hand it the supervisor's account."""
    admin, supervisor, second = team["admin"], team["supervisor"], team["second"]
    with step():
        client_for(admin).post(f"/lembaga/pengguna/{supervisor.pk}/",
                               edit_form(supervisor, email="admin-lain@contoh.simpul.test"))
    supervisor.refresh_from_db()
    assert supervisor.email == mail_of(supervisor)
    change = RoleChangeRequest.objects.get(user=supervisor, status=RoleChangeRequest.Status.PENDING)
    assert audit("role_change.request", object_id=str(change.pk))[0].details["email_changed"] is True
    # The holder is a supervisor of that agency, yet cannot decide on their own account.
    assert "Setujui perubahan akses" not in client_for(supervisor).get(f"/lembaga/akses/{change.pk}/").content.decode()
    client_for(supervisor).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    with pytest.raises(services.AccessError):
        services.role_change_approve(change=change, actor=supervisor)
    supervisor.refresh_from_db()
    assert supervisor.email == mail_of(supervisor)
    # The other supervisor may.
    with step():
        client_for(second).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    supervisor.refresh_from_db()
    assert supervisor.email == "admin-lain@contoh.simpul.test"


def test_the_database_refuses_a_decision_by_the_requester_or_the_holder(team):
    admin, caseworker = team["admin"], team["caseworker"]
    services.user_update(user=caseworker, actor=admin, role=Role.SUPERVISOR)
    change = RoleChangeRequest.objects.get(user=caseworker, status=RoleChangeRequest.Status.PENDING)
    for decider in (admin, caseworker):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleChangeRequest.objects.filter(pk=change.pk).update(decided_by=decider)


# --- Refusal, withdrawal, immediate changes ------------------------------------------------------------------

def test_a_refusal_keeps_the_account_as_it_was_and_tells_the_requester_why(team, step):
    admin, supervisor, caseworker = team["admin"], team["supervisor"], team["caseworker"]
    with step():
        client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/", edit_form(caseworker, role=Role.SUPERVISOR))
    change = RoleChangeRequest.objects.get(user=caseworker)
    page = client_for(supervisor).post(f"/lembaga/akses/{change.pk}/", {"refuse": "1", "reason": ""})
    assert "Tuliskan alasan penolakan." in page.content.decode()
    with step() as sent:
        client_for(supervisor).post(f"/lembaga/akses/{change.pk}/", {"refuse": "1", "reason": "Belum ada SK."})
    caseworker.refresh_from_db()
    change.refresh_from_db()
    assert caseworker.role == Role.CASEWORKER and change.status == RoleChangeRequest.Status.REFUSED
    assert (admin.username, Kind.ROLE_CHANGE_REFUSED) in sent.notices
    assert "Belum ada SK." in client_for(admin).get(f"/lembaga/akses/{change.pk}/").content.decode()
    refused, = audit("role_change.refuse", actor=supervisor)
    assert "Belum ada SK." not in str(refused.details) and not refused.reason


def test_deactivating_applies_at_once_and_withdraws_the_change_waiting(team, step):
    admin, supervisor, caseworker = team["admin"], team["supervisor"], team["caseworker"]
    with step():
        client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/", edit_form(caseworker, role=Role.SUPERVISOR))
    change = RoleChangeRequest.objects.get(user=caseworker)
    with step():
        client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/", edit_form(caseworker, is_active=""))
    caseworker.refresh_from_db()
    change.refresh_from_db()
    assert not caseworker.is_active and change.status == RoleChangeRequest.Status.WITHDRAWN
    assert audit("role_change.withdraw", object_id=str(change.pk))
    with pytest.raises(services.AccessError):
        services.role_change_approve(change=change, actor=supervisor)
    caseworker.refresh_from_db()
    assert not caseworker.is_active and caseworker.role == Role.CASEWORKER
    # Opening it again is access to cases again: that waits too.
    client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/", edit_form(caseworker, is_active="on"))
    caseworker.refresh_from_db()
    assert not caseworker.is_active


def test_a_role_change_that_opens_no_case_content_applies_at_once_and_is_told(team, step):
    admin, caseworker = team["admin"], team["caseworker"]
    with step() as sent:
        client_for(admin).post(f"/lembaga/pengguna/{caseworker.pk}/", edit_form(
            caseworker, role=Role.OFFICIAL, agency=team["official"].agency_id))
    caseworker.refresh_from_db()
    assert caseworker.role == Role.OFFICIAL and not opens_cases(caseworker)
    change = RoleChangeRequest.objects.get(user=caseworker)
    assert change.status == RoleChangeRequest.Status.APPLIED
    assert audit("role_change.apply", actor=admin, object_id=str(change.pk))
    assert sorted(sent.notices) == sorted([(team["supervisor"].username, Kind.ROLE_CHANGE_APPLIED),
                                           (team["second"].username, Kind.ROLE_CHANGE_APPLIED)])
    # The notices are sent once, however often the relay runs.
    assert role_change_notices_send() == 0


def test_names_and_phone_change_at_once_without_a_request(team):
    admin, supervisor = team["admin"], team["supervisor"]
    client_for(admin).post(f"/lembaga/pengguna/{supervisor.pk}/", edit_form(supervisor, first_name="Nama Baru"))
    supervisor.refresh_from_db()
    assert supervisor.first_name == "Nama Baru" and not RoleChangeRequest.objects.exists()


# --- Who sees the changes -------------------------------------------------------------------------------------

def test_only_the_administrator_and_the_agencys_supervisors_open_a_change(team, personas, other_agency):
    admin, caseworker = team["admin"], team["caseworker"]
    services.user_update(user=caseworker, actor=admin, role=Role.SUPERVISOR)
    change = RoleChangeRequest.objects.get(user=caseworker)
    far_supervisor = make_user("koordinator_luar", Role.SUPERVISOR, other_agency)
    for user in (far_supervisor, personas["caseworker"], personas["police_officer"], personas["official"],
                 personas["outsider"]):
        assert_hidden(client_for(user).get(f"/lembaga/akses/{change.pk}/"))
    for user in (personas["caseworker"], personas["police_officer"], personas["official"], personas["outsider"]):
        assert_hidden(client_for(user).get("/lembaga/akses/"))
    assert change.user.username not in client_for(far_supervisor).get("/lembaga/akses/").content.decode()
    for user in (admin, team["supervisor"]):
        assert client_for(user).get(f"/lembaga/akses/{change.pk}/").status_code == 200
        assert str(change) in client_for(user).get("/lembaga/akses/").content.decode()
    assert "Persetujuan akses" in client_for(team["supervisor"]).get("/").content.decode()


def test_a_new_partner_at_an_agency_without_a_supervisor_is_decided_at_the_uptd_ppa(team, police_agency, step):
    with step() as sent:
        client_for(team["admin"]).post("/lembaga/pengguna/baru/", {
            "username": "polisi_baru", "first_name": "Polisi", "role": Role.PARTNER, "agency": police_agency.pk,
            "email": "polisi_baru@contoh.simpul.test"})
    change = RoleChangeRequest.objects.get(user__username="polisi_baru")
    assert change.status == RoleChangeRequest.Status.PENDING
    assert {user for user, _ in sent.notices} == {team["supervisor"].username, team["second"].username}
    with step():
        client_for(team["supervisor"]).post(f"/lembaga/akses/{change.pk}/", {"approve": "1"})
    assert User.objects.get(username="polisi_baru").is_active


# --- django-admin and the command line ------------------------------------------------------------------------

def test_django_admin_shows_accounts_read_only_even_to_a_superuser(team):
    root = User.objects.create_superuser("root_uji", "root@contoh.simpul.test", "Root-Sandi-2026")
    caseworker = team["caseworker"]
    client = client_for(root)
    page = client.get(f"/django-admin/agencies/user/{caseworker.pk}/change/")
    assert page.status_code == 200 and 'name="role"' not in page.content.decode()
    response = client.post(f"/django-admin/agencies/user/{caseworker.pk}/change/", {
        "username": caseworker.username, "role": Role.SUPERVISOR, "is_superuser": "on"})
    assert response.status_code == 403
    assert client.get("/django-admin/agencies/user/add/").status_code == 403
    assert client.get(f"/django-admin/agencies/user/{caseworker.pk}/password/").status_code in (302, 404)
    assert client.get("/django-admin/auth/group/").status_code == 404
    assert client.post(f"/django-admin/agencies/agency/{caseworker.agency_id}/change/",
                       {"name": "X", "agency_type": AgencyType.POLICE}).status_code == 403
    caseworker.refresh_from_db()
    assert caseworker.role == Role.CASEWORKER and not caseworker.is_superuser
    # The system administrator's account (is_staff) reads nothing there either.
    assert client_for(team["admin"]).get(f"/django-admin/agencies/user/{caseworker.pk}/change/").status_code in (
        302, 403)


def test_the_first_supervisor_of_a_new_install_is_created_from_the_command_line(uptd):
    call_command("create_account", "kepala_uptd", role=Role.SUPERVISOR, agency=uptd.name,
                 email="kepala@contoh.simpul.test")
    user = User.objects.get(username="kepala_uptd")
    assert user.is_active and user.role == Role.SUPERVISOR and not user.has_usable_password()
    assert mail.outbox[-1].to == ["kepala@contoh.simpul.test"] and "/akun/reset/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk), actor=None).exists()


def test_notices_missed_after_commit_are_sent_by_the_periodic_relay(team):
    """With the broker down the kick after commit is lost; the periodic job (config.schedule) tells them."""
    services.user_update(user=team["caseworker"], actor=team["admin"], role=Role.SUPERVISOR)  # no commit hooks run
    assert not Notification.objects.exists()
    assert role_change_notices_send() == 2
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == sorted(
        [team["supervisor"].username, team["second"].username])
    assert role_change_notices_send() == 0


def test_retyping_an_agency_cannot_open_survivors_data_to_its_staff(team, patbm_staff, step):
    """A PATBM group made a police unit would put its staff in the referral inbox: refused while they are active."""
    admin, patbm = team["admin"], patbm_staff.agency
    form = {"name": patbm.name, "agency_type": AgencyType.POLICE, "is_active": "on", "version": patbm.version}
    response = client_for(admin).post(f"/lembaga/kelola/{patbm.pk}/", form)
    assert response.status_code == 200 and "membuka data korban bagi 1 akun" in response.content.decode()
    patbm.refresh_from_db()
    assert patbm.agency_type == AgencyType.PATBM
    # With its staff closed first, the agency may be retyped; opening them again waits for a supervisor.
    client_for(admin).post(f"/lembaga/pengguna/{patbm_staff.pk}/", edit_form(patbm_staff, is_active=""))
    assert client_for(admin).post(f"/lembaga/kelola/{patbm.pk}/", form).status_code == 302
    with step():
        client_for(admin).post(f"/lembaga/pengguna/{patbm_staff.pk}/", edit_form(patbm_staff, is_active="on"))
    patbm_staff.refresh_from_db()
    assert not patbm_staff.is_active
    assert RoleChangeRequest.objects.get(user=patbm_staff).status == RoleChangeRequest.Status.PENDING


def test_the_list_of_changes_costs_the_same_queries_however_many_there_are(team, django_assert_max_num_queries):
    admin = team["admin"]
    for number in range(6):
        user = make_user(f"staf_{number}", Role.OFFICIAL, team["official"].agency)
        services.user_update(user=user, actor=admin, role=Role.CASEWORKER, agency=team["supervisor"].agency)
    for reader in (admin, team["supervisor"]):
        client = client_for(reader)
        with django_assert_max_num_queries(8):  # +1: the second factor's device (django-otp)
            page = client.get("/lembaga/akses/")
        assert page.content.decode().count("staf_") == 6

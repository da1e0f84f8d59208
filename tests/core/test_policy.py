"""core.policy answers who may do what, and is the only place that asks a user's role."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from agencies.models import Agency, Region, Role, User
from core import policy
from core.codes import AgencyType
from core.policy import Capability, Scope
from tests.conftest import make_agency, make_user

ROOT = Path(__file__).resolve().parents[2]
# Where a role may still be named: the policy, the roles' own app (definitions, the forms listing roles) and
# migrations. demo/ (demo and synthetic data, which make one user per role) is not among SOURCE_DIRS.
ALLOWED = ("core/policy.py", "agencies/", "/migrations/")
ROLE_CHECK = re.compile(r"\bRole\.|has_role\(|role_required|\.role\s*(==|!=|in\b|not in\b)|role__in|role=Role"
                        r"|role\s*==\s*[\"']")
SOURCE_DIRS = ("config", "core", "agencies", "cases", "referrals", "reports", "prevention", "inbox", "templates")


def test_no_code_outside_the_policy_asks_for_a_role():
    """A new role is added in core.policy and nowhere else: nothing else compares roles."""
    offenders = []
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".html") or any(part in "/" + relative for part in ALLOWED):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if ROLE_CHECK.search(line):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "Ask core.policy instead:\n" + "\n".join(offenders)


@pytest.fixture
def people(db) -> list[User]:
    """Every role at agencies where the policy's conditions differ, and without an agency."""
    elsewhere = Region.objects.create(code="73.17", name="Kabupaten Tetangga", level=Region.Level.DISTRICT)
    agencies = [None] + [make_agency(f"Lembaga {t}", t) for t in
                         (AgencyType.UPTD_PPA, AgencyType.POLICE, AgencyType.VILLAGE, AgencyType.PATBM,
                          AgencyType.PUSPAGA)]
    far = make_agency("Unit PPA luar", AgencyType.POLICE)
    Agency.objects.filter(pk=far.pk).update(district=elsewhere)
    agencies.append(Agency.objects.get(pk=far.pk))
    users = [make_user(f"{role}_{i}", role, agency) for role in Role.values for i, agency in enumerate(agencies)]
    users.append(make_user("nonaktif", Role.SUPERVISOR, agencies[1]))
    User.objects.filter(username="nonaktif").update(is_active=False)
    return list(User.objects.select_related("agency"))


@pytest.mark.parametrize("capability", list(Capability))
def test_the_query_for_staff_agrees_with_can(people, capability):
    """Whom a service notifies or lists (staff_who_can, in the database) is exactly who `can` (in Python)."""
    in_python = {user.username for user in people if policy.can(user, capability)}
    in_database = set(User.objects.filter(policy.staff_who_can(capability)).values_list("username", flat=True))
    assert in_database == in_python
    assert "nonaktif" not in in_database


def test_the_query_for_staff_works_from_agencies_too(people):
    def agency_types(capability):
        return set(Agency.objects.filter(policy.staff_who_can(capability, prefix="staff__"))
                   .values_list("agency_type", flat=True))

    assert agency_types(Capability.PREVENTION_PATBM) == {AgencyType.PATBM}
    assert agency_types(Capability.REFERRAL_INBOX) == {AgencyType.UPTD_PPA, AgencyType.POLICE, AgencyType.VILLAGE}


def test_partner_staff_capabilities_follow_their_agency(people):
    by_name = {user.username: user for user in people}
    police, village, patbm, puspaga, far = (by_name[f"mitra_{i}"] for i in (2, 3, 4, 5, 6))
    assert policy.can(police, Capability.REFERRAL_INBOX) and not policy.can(police, Capability.REFERRAL_REFER_IN)
    assert policy.can(village, Capability.REFERRAL_REFER_IN) and policy.can(village, Capability.REFERRAL_INBOX)
    # domain.md section 7: PATBM and PUSPAGA staff refer people in and never see a referral of a case.
    for user in (patbm, puspaga):
        assert policy.can(user, Capability.REFERRAL_REFER_IN)
        assert not policy.can(user, Capability.REFERRAL_INBOX)
        assert not policy.can(user, Capability.NOTIFICATION_VIEW)
    assert policy.can(patbm, Capability.PREVENTION_PATBM) and not policy.can(patbm, Capability.PREVENTION_PUSPAGA)
    assert policy.can(far, Capability.REFERRAL_REFER_IN)  # another district's agency refers people in


def test_scopes(people):
    by_name = {user.username: user for user in people}
    assert policy.case_scope(by_name["pendamping_1"]) == Scope.OWN
    assert policy.case_scope(by_name["supervisor_1"]) == Scope.UNIT
    assert policy.case_scope(by_name["supervisor_0"]) == Scope.NONE  # a supervisor of no agency sees no case
    assert policy.case_scope(by_name["pejabat_1"]) == Scope.NONE
    assert policy.audit_scope(by_name["admin_0"]) == Scope.ALL
    assert policy.audit_scope(by_name["supervisor_1"]) == Scope.UNIT
    assert policy.audit_scope(by_name["pendamping_1"]) == Scope.NONE


def test_nobody_outside_a_signed_in_active_account_may_do_anything(people):
    inactive = next(user for user in people if user.username == "nonaktif")
    for user in (None, AnonymousUser(), inactive):
        assert not any(policy.can(user, capability) for capability in Capability)
        assert policy.case_scope(user) == Scope.NONE


def test_a_misspelt_capability_is_an_error_not_a_silent_no(people):
    with pytest.raises(ValueError):
        policy.can(people[0], "case.wrok")
    template = Template("{% if can.case_wrok %}x{% endif %}")
    with pytest.raises(policy.UnknownCapability):
        template.render(Context({"can": policy.perms(people[0])}))


def test_templates_ask_capabilities_by_name(people):
    supervisor = next(user for user in people if user.username == "supervisor_1")
    caseworker = next(user for user in people if user.username == "pendamping_1")
    template = Template("{% if can.case_view_unit %}unit{% else %}own{% endif %}")
    assert template.render(Context({"can": policy.perms(supervisor)})) == "unit"
    assert template.render(Context({"can": policy.perms(caseworker)})) == "own"


def test_the_referral_letter_signature_carries_the_senders_title(people):
    by_name = {user.username: user for user in people}
    assert policy.signature_title(by_name["supervisor_1"]) == "Koordinator"
    assert policy.signature_title(by_name["pendamping_1"]) == "Pendamping"

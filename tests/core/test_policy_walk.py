"""Every role of the policy against every URL of Simpul: no page answers 500 to anyone, every role has a home
page, and a role added to the policy without pages of its own still logs in to the default home.

Personas come from the policy itself: for each role, users at the kinds of agency (ours and another
district's) where its capabilities differ, so that a condition in core.policy that opens or closes a page
somewhere is walked both ways.
"""

import pytest
from django.test import Client

from agencies.models import Agency, Region, Role, User
from core import policy
from core.codes import AgencyType
from core.policy import Capability, RolePolicy, allow
from tests.conftest import client_for, make_agency, make_user
from tests.core.test_url_guard import ROUTES

# Pages every signed-in user opens whatever their role: home, own password, the agency directory.
EVERYONE_ROUTES = {"/", "/akun/password_change/", "/akun/password_change/done/", "/lembaga/"}


@pytest.fixture
def agencies(db) -> list[Agency | None]:
    """No agency, one agency of every type in our district, and one of every type in another district."""
    elsewhere = Region.objects.create(code="73.17", name="Kabupaten Tetangga", level=Region.Level.DISTRICT)
    local = [make_agency(f"Lembaga {value}", value) for value in AgencyType.values]
    other = [make_agency(f"Lembaga {value} luar", value) for value in AgencyType.values]
    Agency.objects.filter(pk__in=[agency.pk for agency in other]).update(district=elsewhere)
    return [None, *local, *Agency.objects.filter(pk__in=[agency.pk for agency in other]).select_related("district")]


def capabilities(user: User) -> frozenset[Capability]:
    return frozenset(capability for capability in Capability if policy.can(user, capability))


def personas_of(role: str, agencies: list[Agency | None]) -> list[User]:
    """Saved users of `role` at a few of the agencies, chosen so that every capability the role holds in some
    agencies and not in others is walked both held and not held (a greedy cover, to keep the walk short)."""
    sets = {}
    for agency in agencies:
        sets.setdefault(capabilities(User(username="probe", role=role, agency=agency)), agency)
    varying = frozenset.union(*sets) - frozenset.intersection(*sets)
    wanted = {(capability, held) for capability in varying for held in (True, False)}
    chosen = [max(sets, key=len)]  # the widest set first: the most pages open
    wanted -= {(capability, capability in chosen[0]) for capability in varying}
    while wanted:
        best = max(sets, key=lambda caps: len({(c, c in caps) for c in varying} & wanted))
        chosen.append(best)
        wanted -= {(capability, capability in best) for capability in varying}
    users = []
    for number, caps in enumerate(chosen):
        agency = sets[caps]
        if role in Role.values:
            users.append(make_user(f"{role}_{number}", role, agency))
        else:  # a role the Role choices do not know yet: the service would refuse it, the database does not
            users.append(User.objects.create_user(f"{role}_{number}", role=role, agency=agency))
    return users


def walk(client: Client) -> tuple[dict[str, int], list[str]]:
    """GET every route; the status of each, and the routes that failed with a server error."""
    statuses, errors = {}, []
    for url in ROUTES:
        try:
            response = client.get(url)
        except Exception as error:  # the test client re-raises a view's exception: that is the 500
            errors.append(f"{url}: {error!r}")
            continue
        statuses[url] = response.status_code
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
    return statuses, errors


def assert_home_page(user: User) -> None:
    response = client_for(user).get("/")
    assert response.status_code == 200, (user.role, user.agency)
    assert f"<h1 class=\"h3\">{policy.home_for(user).title}</h1>" in response.content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_no_page_fails_for_any_persona_of_any_role(agencies, role):
    personas = personas_of(role, agencies)
    assert personas
    for user in personas:
        assert_home_page(user)
        _statuses, errors = walk(client_for(user))
        assert errors == [], (role, user.agency, errors)


def test_every_role_of_role_has_an_entry_in_the_policy():
    """A role added to Role without a line in core.policy fails here, not at somebody's login."""
    assert set(Role.values) <= set(policy.POLICY), set(Role.values) - set(policy.POLICY)


def test_the_policy_check_names_a_role_without_an_entry(monkeypatch):
    assert policy.check_every_role_has_a_policy() == []
    monkeypatch.delitem(policy.POLICY, Role.OFFICIAL)
    errors = policy.check_every_role_has_a_policy()
    assert [error.id for error in errors] == ["simpul.E001"] and "pejabat" in errors[0].msg


def test_a_role_added_to_the_policy_without_pages_gets_the_default_home_and_no_500(agencies, monkeypatch):
    # A volunteer role given every capability and no home page: every page reachable, none written for it.
    monkeypatch.setitem(policy.POLICY, "relawan", RolePolicy(grants=allow(*Capability)))
    for user in personas_of("relawan", agencies):
        assert policy.home_for(user) is policy.DEFAULT_HOME
        response = client_for(user).get("/")
        assert response.status_code == 200
        page = response.content.decode()
        assert '<h1 class="h3">Beranda</h1>' in page
        assert "Halaman yang dapat Anda buka ada di menu dan di bawah ini." in page
        assert "Kelola pengguna" in page  # the menu follows the capabilities, whatever the role
        _statuses, errors = walk(client_for(user))
        assert errors == [], (user.agency, errors)


def test_a_role_with_no_capability_opens_only_the_pages_everyone_opens(agencies, monkeypatch):
    monkeypatch.setitem(policy.POLICY, "tamu", RolePolicy(grants={}))
    user = personas_of("tamu", agencies)[0]
    statuses, errors = walk(client_for(user))
    assert errors == []
    opened = {url for url, status in statuses.items() if status not in (404, 405)}
    assert opened == EVERYONE_ROUTES


def test_a_role_the_policy_does_not_know_logs_in_to_the_default_home_and_sees_nothing_else(db):
    # E.g. a role removed from the policy while accounts still carry it.
    user = User.objects.create_user("peran_lama", role="dihapus")
    response = client_for(user).get("/")
    assert response.status_code == 200 and '<h1 class="h3">Beranda</h1>' in response.content.decode()
    statuses, errors = walk(client_for(user))
    assert errors == []
    assert {url for url, status in statuses.items() if status not in (404, 405)} == EVERYONE_ROUTES

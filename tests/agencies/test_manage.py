"""The system administrator manages agencies and users in Simpul's own pages."""

import pytest

from agencies.models import Agency
from core.models import AuditEvent
from tests.conftest import PASSWORD, assert_hidden, client_for

ADMIN_URLS = ["/lembaga/kelola/", "/lembaga/kelola/baru/", "/lembaga/pengguna/", "/lembaga/pengguna/baru/",
]


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "police_officer", "official", "outsider"])
def test_admin_pages_are_404_for_other_roles(personas, persona, url):
    assert_hidden(client_for(personas[persona]).get(url))


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_pages_redirect_the_anonymous_to_login(db, url):
    assert_hidden(client_for(None).get(url))


def test_object_admin_pages_are_404_for_other_roles(personas):
    target = personas["caseworker"]
    for persona in ["caseworker", "supervisor", "official", "outsider"]:
        client = client_for(personas[persona])
        assert_hidden(client.get(f"/lembaga/pengguna/{target.pk}/"))
        assert_hidden(client.post(f"/lembaga/pengguna/{target.pk}/tautan-sandi/"))
        assert_hidden(client.get(f"/lembaga/kelola/{target.agency_id}/"))


def test_admin_creates_an_agency_with_services_and_coverage(sysadmin, regions):
    response = client_for(sysadmin).post("/lembaga/kelola/baru/", {
        "name": "LBH Uji", "agency_type": "lbh", "services": ["bantuan_hukum"], "kecamatan": ["73.22.03"],
        "is_active": "on"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="LBH Uji")
    assert list(agency.services.values_list("service", flat=True)) == ["bantuan_hukum"]
    assert [k.code for k in agency.kecamatan_covered.all()] == ["73.22.03"]
    assert AuditEvent.objects.filter(action="agency.create", object_id=str(agency.pk), actor=sysadmin).exists()


def test_admin_changes_a_role_and_deactivates_a_user(sysadmin, caseworker, uptd):
    # Closing an account applies at once (its reopening as a supervisor waits for approval: test_access.py).
    client_for(sysadmin).post(f"/lembaga/pengguna/{caseworker.pk}/", {
        "first_name": "X", "last_name": "Y", "role": "supervisor", "agency": uptd.pk, "version": caseworker.version})
    caseworker.refresh_from_db()
    assert caseworker.role == "supervisor" and not caseworker.is_active
    event = AuditEvent.objects.get(action="user.update", object_id=str(caseworker.pk))
    assert set(event.details["changed"]) >= {"role", "is_active"}
    assert not client_for(None).login(username=caseworker.username, password=PASSWORD)

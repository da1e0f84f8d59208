import pytest

from core.codes import AgencyType, Service
from tests.conftest import assert_hidden, client_for, make_agency


@pytest.fixture
def network(regions, uptd, police_agency):
    make_agency("Puskesmas Sabbang Uji", AgencyType.PUSKESMAS, [Service.HEALTH], kecamatan=["73.22.04"])
    make_agency("Puskesmas Bone-Bone Uji", AgencyType.PUSKESMAS, [Service.HEALTH], kecamatan=["73.22.02"])


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "police_officer", "official", "sysadmin", "outsider"])
def test_every_staff_member_can_search_the_directory(personas, network, persona, police_agency):
    page = client_for(personas[persona]).get("/lembaga/", {"service": "kesehatan", "kecamatan": "73.22.04"})
    text = page.content.decode()
    assert "Puskesmas Sabbang Uji" in text
    assert "Puskesmas Bone-Bone Uji" not in text
    assert f'href="/lembaga/{police_agency.pk}/"' not in text


def test_directory_search_by_name(caseworker, network):
    text = client_for(caseworker).get("/lembaga/", {"q": "polres"}).content.decode()
    assert "Unit PPA Polres Uji" in text and "Puskesmas Sabbang Uji" not in text


def test_directory_is_hidden_from_the_anonymous(network):
    assert_hidden(client_for(None).get("/lembaga/"))


def test_agency_page_shows_contacts_and_coverage(caseworker, network):
    from agencies.models import Agency

    agency = Agency.objects.get(name="Puskesmas Sabbang Uji")
    text = client_for(caseworker).get(f"/lembaga/{agency.pk}/").content.decode()
    assert "Sabbang" in text and "Kesehatan" in text


def test_inactive_or_missing_agency_is_404(caseworker, network):
    from agencies.models import Agency

    agency = Agency.objects.get(name="Puskesmas Sabbang Uji")
    agency.is_active = False
    agency.save()
    assert client_for(caseworker).get(f"/lembaga/{agency.pk}/").status_code == 404
    assert client_for(caseworker).get("/lembaga/999999/").status_code == 404


def test_directory_query_budget_is_independent_of_size(caseworker, regions, django_assert_max_num_queries):
    for i in range(30):
        make_agency(f"Sekolah Uji {i}", AgencyType.SCHOOL, [Service.REINTEGRATION], kecamatan=["73.22.03"])
    client = client_for(caseworker)
    with django_assert_max_num_queries(10):  # +1: the second factor's device (django-otp)
        assert client.get("/lembaga/").status_code == 200


def test_kecamatan_filter_keeps_agencies_that_serve_the_whole_district(caseworker, network, police_agency):
    text = client_for(caseworker).get("/lembaga/", {"kecamatan": "73.22.04"}).content.decode()
    assert f'href="/lembaga/{police_agency.pk}/"' in text  # lists no kecamatan: serves all of them
    assert "Puskesmas Sabbang Uji" in text and "Puskesmas Bone-Bone Uji" not in text

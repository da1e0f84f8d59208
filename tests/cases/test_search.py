"""Search for the case team (issue 10): by NIK, name or birth date, in the user's scope only; the reason is
asked every search and audited; what is searched never enters the URL, the audit log or the page's links."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from core.models import AuditEvent
from tests.conftest import assert_hidden, client_for, register_case

NIK = "7322010101120001"
NAME = "Melati Rahasiawati"
BIRTH = date(2012, 1, 1)
SEARCH_BUDGET = 8  # +1: the second factor's device (django-otp)


def victim(name=NAME, nik=NIK, birth=BIRTH):
    return services.VictimData(name=name, sex="P", nik=nik, birth_date=birth, violence_types=["fisik"])


def search(user, **data):
    return client_for(user).post(reverse("cases:search"), {"reason": "korban_kembali"} | data)


@pytest.fixture
def melati_case(caseworker, regions):
    return register_case(caseworker, victims=[victim()])


@pytest.mark.parametrize("criteria", [{"nik": NIK}, {"name": "melati"}, {"birth_date": BIRTH.isoformat()},
                                      {"name": "  RAHASIAWATI ", "birth_date": BIRTH.isoformat()},
                                      {"nik": NIK, "name": "Melati"}],
                         ids=["nik", "part-of-name", "birth-date", "name-and-birth-date", "nik-and-name"])
def test_the_case_team_finds_a_victim_by_case_number_and_code_never_by_name(caseworker, melati_case, criteria):
    register_case(caseworker, victims=[victim(name="Orang Lain", nik="7322010101120002", birth=date(2010, 5, 5))])
    page = search(caseworker, **criteria).content.decode()
    code = melati_case.victims.get().survivor_code
    assert f"Kasus {melati_case.number}, korban {code}" in page
    assert page.count("korban KRB-") == 1  # the other case does not match
    assert NAME not in page and NIK not in page and "Melati" not in page  # nothing typed is sent back


def test_a_supervisor_finds_a_colleagues_case_and_a_caseworker_does_not(caseworker, supervisor, melati_case):
    colleague_case = register_case(supervisor, victims=[victim(nik="7322010101120003")])  # unassigned
    assert colleague_case.number in search(supervisor, nik="7322010101120003").content.decode()
    page = search(caseworker, nik="7322010101120003").content.decode()
    assert colleague_case.number not in page and "Tidak ada korban yang cocok" in page


def test_another_agency_never_finds_the_case(outsider, melati_case):
    for criteria in ({"nik": NIK}, {"name": "Melati"}, {"birth_date": BIRTH.isoformat()}):
        page = search(outsider, **criteria).content.decode()
        assert melati_case.number not in page and "Tidak ada korban yang cocok" in page


def test_the_reason_is_required_and_nothing_is_searched_without_it(caseworker, melati_case):
    response = client_for(caseworker).post(reverse("cases:search"), {"nik": NIK})
    page = response.content.decode()
    assert "Pilih alasan pencarian" in page and melati_case.number not in page
    assert not AuditEvent.objects.filter(action="case.search").exists()
    assert "Isi NIK, nama, atau tanggal lahir" in search(caseworker).content.decode()


def test_each_search_is_audited_with_its_reason_and_never_the_value(caseworker, melati_case):
    search(caseworker, nik=NIK, name="Melati")
    event = AuditEvent.objects.get(action="case.search")
    assert event.details["reason"] == "korban_kembali" and event.details["criteria"] == ["nik", "name"]
    assert event.details["cases"] == [melati_case.pk]
    everything = " ".join(str(value) for value in AuditEvent.objects.values_list())
    assert NIK not in everything and "Melati" not in everything and "MELATI" not in everything
    search(caseworker, nik=NIK)
    assert AuditEvent.objects.filter(action="case.search").count() == 2  # asked and recorded every time


def test_the_value_never_enters_a_url(caseworker, melati_case):
    client = client_for(caseworker)
    form_page = client.get(reverse("cases:search")).content.decode()
    assert 'method="post"' in form_page
    # A search put in the URL by hand finds nothing and is not audited.
    page = client.get(reverse("cases:search"), {"reason": "korban_kembali", "nik": NIK}).content.decode()
    assert melati_case.number not in page and not AuditEvent.objects.filter(action="case.search").exists()


def test_roles_without_cases_do_not_see_the_search(personas, regions):
    for persona in ("police_officer", "official", "sysadmin"):
        assert_hidden(client_for(personas[persona]).get(reverse("cases:search")))
        assert_hidden(search(personas[persona], nik=NIK))
    assert_hidden(client_for(None).post(reverse("cases:search"), {"reason": "korban_kembali", "nik": NIK}))


def test_bad_input_says_why_in_indonesian(caseworker, regions):
    assert "NIK harus 16 angka." in search(caseworker, nik="123").content.decode()
    assert "Ketik setidaknya 3 huruf nama." in search(caseworker, name="Me").content.decode()


@pytest.mark.parametrize("criteria", [{"nik": NIK}, {"name": "Korban"}], ids=["nik", "name"])
def test_search_queries_do_not_grow_with_the_caseload(supervisor, regions, criteria, django_assert_max_num_queries):
    """Budget 7 (measured): the session and user (2), the scope's victims with their cases (1), the audit chain's
    head and row (2), the navbar's agency and bell (2); the same with 1 case as with 31."""
    client = client_for(supervisor)
    register_case(supervisor, victims=[victim(name="Korban 0")])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("cases:search"), {"reason": "periksa_data"} | criteria)
        assert response.status_code == 200
        return len(queries)

    few = count()
    for i in range(30):
        register_case(supervisor, victims=[victim(name=f"Korban {i + 1}", nik=f"73220101011200{i + 10}")])
    with django_assert_max_num_queries(SEARCH_BUDGET):
        client.post(reverse("cases:search"), {"reason": "periksa_data"} | criteria)
    assert count() == few

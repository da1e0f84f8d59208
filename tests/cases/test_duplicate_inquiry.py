"""A possible duplicate in another agency (issue 10): the intake names that agency, never its case number; a
supervisor asks it, and its supervisors get a notice that carries no identifying data, audited."""

import pytest
from django.urls import reverse

from agencies.models import Role
from cases import services
from core.models import AuditEvent
from inbox.models import Notification
from tests.cases.test_intake_views import intake_data, post_intake
from tests.conftest import assert_hidden, client_for, make_user, register_case

NIK = "9999990101010001"  # the NIK intake_data types for its first victim
NAME = "Orang Lain Sintetis"


@pytest.fixture
def elsewhere(outsider, other_agency, regions):
    """A case of another district's UPTD PPA with the same NIK, and that agency's supervisor."""
    case = register_case(outsider, victims=[services.VictimData(name=NAME, sex="P", age=12, nik=NIK,
                                                                violence_types=["fisik"])])
    boss = make_user("koordinator_luar", Role.SUPERVISOR, other_agency)
    return case, boss


def ask(user, agency_id):
    return client_for(user).post(reverse("cases:duplicate_inquiry"), {
        "lembaga": str(agency_id), "korban-0-nik": NIK, "korban-0-name": "Siapa Saja", "korban-0-birth_date": ""})


def test_intake_names_the_other_agency_never_its_case(supervisor, caseworker, elsewhere, other_agency):
    case, _boss = elsewhere
    for user, button in ((supervisor, True), (caseworker, False)):
        page = post_intake(user, intake_data()).content.decode()
        assert f"Ada kemungkinan kasus yang sama di {other_agency.name}" in page
        assert case.number not in page and case.victims.get().survivor_code not in page and NAME not in page
        assert (f"Tanyakan ke {other_agency.name}" in page) is button, user


def test_a_supervisor_asks_the_other_agency_without_identifying_data(supervisor, uptd, elsewhere, other_agency):
    case, boss = elsewhere
    response = ask(supervisor, other_agency.pk)
    assert response.status_code == 200
    assert f"Pertanyaan terkirim kepada koordinator {other_agency.name}." in response.content.decode()
    notice = Notification.objects.get()
    assert notice.recipient == boss and notice.link == reverse("cases:detail", args=[case.pk])
    assert notice.text == (f"Koordinator {uptd.name} menanyakan apakah kasus {case.number} menyangkut korban yang "
                           f"sama dengan pengaduan yang sedang mereka daftarkan. Hubungi koordinator {uptd.name}.")
    assert NIK not in str(notice.params) and "Siapa" not in str(notice.params)
    event = AuditEvent.objects.get(action="case.duplicate_inquiry")
    assert event.details == {"agency": other_agency.pk, "cases": [case.pk]} and event.actor == supervisor
    assert NIK not in " ".join(str(v) for v in AuditEvent.objects.values_list())
    # The other agency's supervisor opens their own case from the notice.
    assert client_for(boss).get(notice.link).status_code == 200


def test_only_a_supervisor_asks_and_only_an_agency_holding_a_match(supervisor, caseworker, uptd, police_agency,
                                                                     elsewhere, other_agency, personas):
    for persona in ("caseworker", "police_officer", "official", "sysadmin", "outsider"):
        assert_hidden(ask(personas[persona], other_agency.pk))
    assert_hidden(ask(supervisor, police_agency.pk))  # no match there: as if never named
    assert_hidden(client_for(supervisor).post(reverse("cases:duplicate_inquiry"), {
        "lembaga": str(other_agency.pk), "korban-0-nik": "1111110101010001"}))
    assert_hidden(client_for(supervisor).post(reverse("cases:duplicate_inquiry"), {"lembaga": "x"}))
    assert client_for(supervisor).get(reverse("cases:duplicate_inquiry")).status_code == 405
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="case.duplicate_inquiry").exists()

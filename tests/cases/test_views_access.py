"""Access: every case URL for every persona. A caseworker reaches the cases assigned to them, a supervisor
every case of their agency; partner staff, officials, the administrator and outsiders get 404 everywhere.
Every read of a case page is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from cases import services
from core.models import AuditEvent
from inbox import services as inbox_services
from tests.cases.test_records import PDF
from tests.conftest import assert_hidden, client_for, register_case

CASE_PAGES = ["detail", "identify", "assess", "plan", "intervention", "deliver", "monitoring", "closure_request",
              "reopen", "accompany", "mediation", "consent", "police", "note", "attach"]
SUPERVISOR_PAGES = ["assign", "closure_decide"]
LIST_PAGES = ["cases:list", "cases:create", "cases:deadlines", "cases:intake_queue"]
NOBODY = ["police_officer", "official", "sysadmin", "outsider"]


@pytest.fixture
def world(personas, regions):
    caseworker = personas["caseworker"]
    case = register_case(caseworker, victim_age=9)
    consent = services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["layanan"],
                                      given_by="wali", given_by_name="Wali", form_version="IC-1",
                                      parent_is_perpetrator=True)
    attachment = services.attachment_add(case=case, actor=caseworker, document_type="visum",
                                         upload=SimpleUploadedFile("v.pdf", PDF))
    patbm = Agency.objects.create(name="PATBM Akses", agency_type="patbm")
    intake = inbox_services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Ringkasan rahasia",
                                                  target_agency=caseworker.agency)
    return {"case": case, "consent": consent, "attachment": attachment, "intake": intake}


def case_urls(world) -> dict[str, str]:
    case = world["case"]
    urls = {name: reverse(f"cases:{name}", args=[case.pk]) for name in CASE_PAGES + SUPERVISOR_PAGES}
    urls["consent_approve"] = reverse("cases:consent_approve", args=[case.pk, world["consent"].pk])
    urls["consent_withdraw"] = reverse("cases:consent_withdraw", args=[case.pk, world["consent"].pk])
    urls["attachment"] = reverse("cases:attachment", args=[case.pk, world["attachment"].pk])
    urls["intake_detail"] = reverse("cases:intake_detail", args=[world["intake"].pk])
    urls["create_from_intake"] = reverse("cases:create") + f"?rujukan={world['intake'].pk}"
    return urls


def test_caseworker_opens_every_page_of_an_assigned_case_except_the_supervisors(personas, world):
    client = client_for(personas["caseworker"])
    for name, url in case_urls(world).items():
        response = client.get(url)
        if name in SUPERVISOR_PAGES + ["consent_approve"]:
            assert response.status_code == 404, name
        else:
            assert response.status_code == 200, name


def test_supervisor_opens_every_page_of_an_agency_case(personas, world):
    client = client_for(personas["supervisor"])
    for name, url in case_urls(world).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("persona", NOBODY)
def test_everyone_else_gets_404_on_every_case_url(personas, world, persona):
    client = client_for(personas[persona])
    for name, url in case_urls(world).items():
        assert client.get(url).status_code == 404, (persona, name)
        assert client.post(url, {"reason": "x", "text": "x"}).status_code == 404, (persona, name)
    for url_name in LIST_PAGES:
        response = client.get(reverse(url_name))
        if persona == "outsider":  # a caseworker elsewhere has their own (empty) lists, never ours
            assert response.status_code == 200 and world["case"].number not in response.content.decode()
        else:
            assert response.status_code == 404, (persona, url_name)
    assert not AuditEvent.objects.filter(action="case.read", actor=personas[persona]).exists()


def test_the_anonymous_are_sent_to_the_login_page(db, world):
    client = client_for(None)
    for url in list(case_urls(world).values()) + [reverse(name) for name in LIST_PAGES]:
        assert_hidden(client.get(url))


def test_a_caseworker_does_not_reach_a_colleagues_case(personas, world, uptd):
    from agencies.models import Role
    from tests.conftest import make_user

    colleague = make_user("pendamping_lain", Role.CASEWORKER, uptd)
    client = client_for(colleague)
    for name, url in case_urls(world).items():
        if name in ("intake_detail", "create_from_intake"):
            continue  # the intake queue belongs to the whole UPTD
        assert client.get(url).status_code == 404, name


def test_reading_the_case_page_and_downloading_an_attachment_are_audited(personas, world):
    client = client_for(personas["supervisor"])
    case = world["case"]
    client.get(reverse("cases:detail", args=[case.pk]))
    response = client.get(reverse("cases:attachment", args=[case.pk, world["attachment"].pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "v.pdf" not in response["Content-Disposition"]  # the uploaded name is never echoed
    actions = list(AuditEvent.objects.filter(actor=personas["supervisor"], object_id=str(case.pk))
                   .values_list("action", flat=True))
    assert actions.count("case.read") == 1 and actions.count("case.attachment_read") == 1


def test_writes_through_pages_are_audited(personas, world):
    client = client_for(personas["caseworker"])
    case = world["case"]
    response = client.post(reverse("cases:note", args=[case.pk]), {"text": "Catatan sintetis"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="case.note", actor=personas["caseworker"], object_id=str(case.pk)).exists()


def test_the_supervisor_sees_who_read_the_case_and_the_caseworker_does_not(personas, world):
    case = world["case"]
    client_for(personas["caseworker"]).get(reverse("cases:detail", args=[case.pk]))
    supervisor_page = client_for(personas["supervisor"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Jejak baca kasus ini" in supervisor_page and "pendamping_uji" in supervisor_page
    caseworker_page = client_for(personas["caseworker"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Jejak baca kasus ini" not in caseworker_page

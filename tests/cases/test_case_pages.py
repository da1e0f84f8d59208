"""The case page and its action forms, as a caseworker and a supervisor use them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Attachment, Case, Mediation
from tests.cases.test_records import PDF, PNG
from tests.conftest import client_for, register_case


def url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


def test_the_case_page_shows_stage_next_step_and_deadlines(caseworker, regions):
    case = register_case(caseworker, violence_types=["seksual"], received_at=timezone.now() - timedelta(hours=80))
    page = client_for(caseworker).get(url("detail", case)).content.decode()
    assert 'aria-current="step"' in page and "Pengaduan" in page
    assert "Identifikasi kasus" in page  # what comes next
    assert "Catat laporan ke kepolisian" in page and "UU 12/2022 Pasal 41" in page
    assert "Lewat tenggat" in page  # 80 hours without a police report
    assert '{% case_referrals_panel' not in page and 'id="rujukan"' in page


def test_lists_never_show_names_nik_or_addresses(caseworker, supervisor, regions):
    victim = services.VictimData(name="Nama Rahasia Sintetis", sex="P", age=14, nik="9999991234567890",
                                 violence_types=["fisik"], address_detail="Jalan Rahasia 7", phone="0800-1111")
    register_case(caseworker, victims=[victim], reporter_name="Pelapor Rahasia")
    for user, name in [(caseworker, "cases:list"), (supervisor, "cases:list"), (caseworker, "cases:deadlines"),
                       (supervisor, "cases:deadlines"), (caseworker, "core:home"), (supervisor, "core:home")]:
        page = client_for(user).get(reverse(name)).content.decode()
        for secret in ("Nama Rahasia", "9999991234567890", "Jalan Rahasia", "0800-1111", "Pelapor Rahasia"):
            assert secret not in page, (name, secret)


def test_list_search_filters_and_sort(supervisor, caseworker, regions):
    sexual = register_case(caseworker, violence_types=["seksual"], village_code="73.22.09.2001")
    physical = register_case(caseworker, violence_types=["fisik"], village_code="73.22.03.2004")
    services.case_identify(case=physical, actor=caseworker, case_type="ktp", risk_level="tinggi",
                           responsibility="kabupaten")
    client = client_for(supervisor)

    def numbers(**params):
        page = client.get(reverse("cases:list"), params).content.decode()
        return [n for n in (sexual.number, physical.number) if n in page]

    assert numbers() == [sexual.number, physical.number]
    assert numbers(q=sexual.victims.get().survivor_code.lower()) == [sexual.number]
    assert numbers(q=physical.number) == [physical.number]
    assert numbers(violence_type="seksual") == [sexual.number]
    assert numbers(kecamatan="73.22.09") == [sexual.number]
    assert numbers(stage="identifikasi") == [physical.number]
    assert numbers(risk_level="tinggi", case_type="ktp") == [physical.number]
    assert numbers(worker=str(caseworker.pk)) == [sexual.number, physical.number]
    page = client.get(reverse("cases:list"), {"sort": "risiko"}).content.decode()
    assert page.index(physical.number) < page.index(sexual.number)


def test_the_overdue_filter(supervisor, caseworker, regions):
    late = register_case(caseworker, received_at=timezone.now() - timedelta(days=9))
    fresh = register_case(caseworker)
    page = client_for(supervisor).get(reverse("cases:list"), {"overdue": "on"}).content.decode()
    assert late.number in page and fresh.number not in page


def test_attachment_upload_refuses_wrong_type_and_size_and_keeps_the_choice(caseworker, regions, settings):
    settings.CASE_ATTACHMENT_MAX_MB = 1
    case = register_case(caseworker)
    client = client_for(caseworker)
    response = client.post(url("attach", case), {"document_type": "visum",
                                                 "file": SimpleUploadedFile("x.docx", b"PK\x03\x04 zip")})
    page = response.content.decode()
    assert "Jenis berkas tidak diterima. Unggah PDF, JPEG atau PNG." in page
    assert '<option value="visum" selected>' in page
    response = client.post(url("attach", case), {"document_type": "foto",
                                                 "file": SimpleUploadedFile("b.png", PNG + b"0" * 1024 * 1024)})
    page = response.content.decode()
    assert "Berkas terlalu besar" in page and "Batasnya 1 MB." in page
    assert '<option value="foto" selected>' in page
    assert not Attachment.objects.exists()
    response = client.post(url("attach", case), {"document_type": "visum", "file": SimpleUploadedFile("v.pdf", PDF)})
    assert response.status_code == 302 and Attachment.objects.count() == 1


def test_closure_through_the_pages(caseworker, supervisor, regions):
    case = register_case(caseworker)
    worker, boss = client_for(caseworker), client_for(supervisor)
    response = worker.post(url("closure_request", case), {"reason": ""})
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    worker.post(url("closure_request", case), {"reason": "Korban pindah domisili ke provinsi lain"})
    page = boss.get(url("detail", case)).content.decode()
    assert "Putuskan terminasi" in page
    response = boss.post(url("closure_decide", case), {"reason": "", "reject": "1"})
    assert "Tuliskan alasan penolakan terminasi." in response.content.decode()
    boss.post(url("closure_decide", case), {"reason": "Hubungi dulu keluarga", "reject": "1"})
    assert "Hubungi dulu keluarga" in worker.get(url("detail", case)).content.decode()
    worker.post(url("closure_request", case), {"reason": "Keluarga sudah dihubungi"})
    boss.post(url("closure_decide", case), {"approve": "1"})
    case.refresh_from_db()
    assert case.stage == "terminasi"
    assert "Kasus ditutup (terminasi)." in worker.get(url("detail", case)).content.decode()
    response = worker.post(url("reopen", case), {"reason": "Kekerasan berulang"})
    case.refresh_from_db()
    assert response.status_code == 302 and case.stage == "pengaduan"  # never identified: back to intake


@pytest.mark.parametrize(("kwargs", "shown"), [
    (dict(violence_types=["seksual"]), "UU 12/2022 tentang TPKS Pasal 23"),
    (dict(violence_types=["tppo"]), "UU 21/2007"),
    (dict(violence_types=["seksual"], perpetrator_is_child=True), "UU 11/2012"),
])
def test_the_mediation_page_explains_the_law_instead_of_a_form(caseworker, regions, kwargs, shown):
    case = register_case(caseworker, **kwargs)
    client = client_for(caseworker)
    page = client.get(url("mediation", case)).content.decode()
    assert shown in page and 'name="mediator"' not in page
    client.post(url("mediation", case), {"mediator": "M", "parties": "P", "held_on": timezone.localdate()})
    assert not Mediation.objects.exists()


def test_an_allowed_mediation_through_the_page(caseworker, regions):
    case = register_case(caseworker, victim_age=30, violence_types=["penelantaran"])
    client = client_for(caseworker)
    form = {"mediator": "Mediator Demo", "parties": "Korban dan suami", "held_on": timezone.localdate().isoformat(),
            "agreement": "Nafkah bulanan"}
    page = client.post(url("mediation", case), form).content.decode()
    assert "Mediasi memerlukan asesmen" in page and 'value="Mediator Demo"' in page
    services.case_identify(case=case, actor=caseworker, case_type="ktp", risk_level="rendah",
                           responsibility="kabupaten")
    services.assessment_record(case=case, actor=caseworker, risk_level="rendah")
    client.post(url("consent", case), {"victim": case.victims.get().pk, "scopes": ["mediasi", "layanan"],
                                       "given_by": "korban", "form_version": "IC-1"})
    response = client.post(url("mediation", case), form)
    assert response.status_code == 302 and Mediation.objects.get().agreement == "Nafkah bulanan"


def test_supervisor_assigns_from_the_case_page(supervisor, caseworker, regions):
    case = register_case(supervisor)
    assert Case.objects.get().assigned_worker is None
    client_for(supervisor).post(url("assign", case), {"worker": caseworker.pk, "version": case.version})
    assert Case.objects.get().assigned_worker == caseworker
    assert client_for(caseworker).get(url("detail", case)).status_code == 200


def test_consent_approval_and_withdrawal_through_the_pages(caseworker, supervisor, regions):
    case = register_case(caseworker, victim_age=8)
    worker, boss = client_for(caseworker), client_for(supervisor)
    worker.post(url("consent", case), {"victim": case.victims.get().pk, "scopes": ["layanan"], "given_by": "wali",
                                       "given_by_name": "Nenek", "parent_is_perpetrator": "on",
                                       "form_version": "IC-1"})
    consent = case.consents.get()
    assert "Menunggu persetujuan koordinator" in worker.get(url("detail", case)).content.decode()
    boss.post(url("consent_approve", case, consent.pk))
    consent.refresh_from_db()
    assert consent.is_effective
    worker.post(url("consent_withdraw", case, consent.pk), {"reason": "Wali mencabut"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_every_action_form_records_through_its_page(caseworker, regions):
    case = register_case(caseworker, violence_types=["seksual"])
    client = client_for(caseworker)
    today = timezone.localdate().isoformat()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    steps = [
        ("identify", {"case_type": "ampk", "risk_level": "tinggi", "responsibility": "kabupaten"}),
        ("police", {"reference": "LP/1"}),
        ("accompany", {"occurred_at": now, "kind": "kepolisian", "accompanied_by": caseworker.pk}),
        ("assess", {"risk_level": "tinggi", "needs": ["need_health", "need_legal"]}),
        ("plan", {"service": "kesehatan", "provider_user": caseworker.pk, "due_on": today}),
        ("intervention", {}),
        ("deliver", {"victim": case.victims.get().pk, "service": "kesehatan", "delivered_on": today}),
        ("monitoring", {"notes": "Membaik"}),
        ("note", {"text": "Catatan"}),
    ]
    for name, data in steps:
        # The edit forms (identification, police report) carry the version of the case they were read at.
        response = client.post(url(name, case), {**data, "version": Case.objects.get(pk=case.pk).version})
        assert response.status_code == 302, (name, response.content.decode()[-3000:])
    case.refresh_from_db()
    assert case.stage == "pemantauan" and case.police_reported_at and case.first_service_at
    assert case.planned_services.get().deliveries.count() == 0 and case.service_deliveries.count() == 1


def test_supervisor_finds_unassigned_cases_and_closures_awaiting_a_decision(supervisor, caseworker, regions):
    unassigned = register_case(supervisor)
    waiting = register_case(caseworker)
    services.closure_request(case=waiting, actor=caseworker, reason="Selesai")
    client = client_for(supervisor)
    home = client.get(reverse("core:home")).content.decode()
    assert "1 kasus belum ditugaskan" in home and "?worker=belum" in home and "?closure_pending=on" in home
    page = client.get(reverse("cases:list"), {"worker": "belum"}).content.decode()
    assert unassigned.number in page and waiting.number not in page
    page = client.get(reverse("cases:list"), {"closure_pending": "on"}).content.decode()
    assert waiting.number in page and unassigned.number not in page

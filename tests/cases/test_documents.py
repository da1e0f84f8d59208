"""Printed case documents (cases.documents): each one a PDF in Indonesian for the case team, read back with pypdf;
no more than the reader sees on the case page (identity only with identity rights); reached only through the
case scope; audited per print; named by case number only.

PDFs take about a second each: each test renders only what it looks at, and the richest case is made once per
test that needs it through the real services.
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import Role
from cases import services
from cases.models import Case
from core import policy
from core.models import AuditEvent
from core.policy import Capability, RolePolicy, allow
from tests.cases.test_queries import _calendar_cached, count_queries  # noqa: F401 (autouse: the calendar warm)
from tests.conftest import assert_hidden, client_for, make_user, register_case

VICTIM_NAMES = ("Siti Sintetis Ibu", "Nur Sintetis Anak")
NIK = "7322014101900001"
PERPETRATOR_NAME = "Budi Pelaku Sintetis"
REPORTER_NAME = "Pelapor Sintetis"
CHRONOLOGY = "Kronologi sintetis: kejadian di rumah."
PARTIES = "Para pihak sintetis: ibu dan suami"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def household_case(actor, *, mediated=True) -> Case:
    """A KDRT case with a wife and a daughter, identified, assessed, planned, consented, mediated, closure asked."""
    victims = [
        services.VictimData(name=VICTIM_NAMES[0], sex="P", age=34, nik=NIK, violence_types=["fisik", "psikis"],
                            phone="081200000001", address_detail="Jl. Sintetis 1"),
        services.VictimData(name=VICTIM_NAMES[1], sex="P", age=12, violence_types=["psikis"],
                            education="sd", occupation="pelajar"),
    ]
    perpetrators = [services.PerpetratorData(sex="L", age=38, name=PERPETRATOR_NAME,
                                             relationships={0: "suami_istri", 1: "orang_tua"})]
    case = register_case(actor, victims=victims, perpetrators=perpetrators, reporter_name=REPORTER_NAME,
                         reporter_relation="tetangga")
    case.incident.chronology = CHRONOLOGY
    case.incident.save(update_fields=["chronology"])
    services.case_identify(case=case, actor=actor, case_type="ktp", risk_level="sedang", responsibility="kabupaten")
    services.assessment_record(case=case, actor=actor, risk_level="sedang", needs=["need_psychological", "need_legal"],
                               notes="Catatan asesmen sintetis")
    services.planned_service_add(case=case, actor=actor, service="rehabilitasi_sosial",
                                 due_on=timezone.localdate() + timedelta(days=14), provider_user=actor)
    if mediated:
        wife, daughter = case.victims.all()
        services.consent_record(case=case, victim=wife, actor=actor, scopes=["layanan", "mediasi"], given_by="korban",
                                form_version="IC-2026-1")
        services.consent_record(case=case, victim=daughter, actor=actor, scopes=["layanan", "mediasi"],
                                given_by="wali", given_by_name="Wali Sintetis", form_version="IC-2026-1")
        services.mediation_record(case=case, actor=actor, mediator="Mediator Terlatih Sintetis", parties=PARTIES,
                                  held_on=timezone.localdate(), record="Berita acara sintetis",
                                  agreement="Nafkah anak dibayar tiap bulan")
        services.closure_request(case=case, actor=actor, reason="Tujuan intervensi tercapai (sintetis).")
    return case


ALL_KINDS = ["formulir-pengaduan", "persetujuan", "asesmen", "rencana-intervensi", "berita-acara-mediasi",
             "laporan-terminasi", "berkas-kasus"]
# What each document says at its head, and one thing of its own it must hold.
HEADINGS = {"formulir-pengaduan": ("FORMULIR PENGADUAN", "Kejadian"),
            "persetujuan": ("PERSETUJUAN (INFORMED CONSENT)", "UU 27/2022 Pasal 22"),
            "asesmen": ("LEMBAR ASESMEN", "Catatan asesmen sintetis"),
            "rencana-intervensi": ("RENCANA INTERVENSI", "Rehabilitasi Sosial"),
            "berita-acara-mediasi": ("BERITA ACARA MEDIASI", "Nafkah anak dibayar tiap bulan"),
            "laporan-terminasi": ("LAPORAN TERMINASI", "Tujuan intervensi tercapai (sintetis)."),
            "berkas-kasus": ("BERKAS KASUS LENGKAP", "Pengaduan")}
# The whole case file holds every section of the case.
CASE_FILE_SECTIONS = ("Pengaduan", "Korban", "Pelaku", "Kejadian", "Data identitas (rahasia)", "Persetujuan",
                      "Asesmen biopsikososial", "Rencana intervensi", "Layanan yang diberikan", "Pendampingan",
                      "Berita acara mediasi", "Laporan ke kepolisian", "Catatan kasus", "Lampiran", "Terminasi")
IDENTIFYING = (*VICTIM_NAMES, NIK, "081200000001", "Jl. Sintetis 1", PERPETRATOR_NAME, REPORTER_NAME, CHRONOLOGY,
               PARTIES, "Wali Sintetis")


def url(case: Case, kind: str) -> str:
    return f"/kasus/{case.pk}/cetak/{kind}.pdf"


def test_the_case_team_prints_every_document_the_case_has_audited_and_named_by_number(caseworker, regions):
    case = household_case(caseworker)
    client = client_for(caseworker)
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert "bi-printer" in page  # the "Cetak" menu
    for kind in ALL_KINDS:  # the "Cetak" menu offers each document this case has
        assert url(case, kind) in page, kind

    texts = {}
    for kind in ALL_KINDS:
        response = client.get(url(case, kind))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", kind
        assert "no-store" in response["Cache-Control"]
        number = case.number.replace("/", "-")
        assert response["Content-Disposition"] == f'inline; filename="{kind}-{number}.pdf"'
        texts[kind] = text = _text(response.content)
        heading, own = HEADINGS[kind]
        assert heading in text and own in text, kind
        for always in (case.number, "UPTD PPA Uji", "RAHASIA", "Halaman 1 dari", "WITA",
                       *(victim.survivor_code for victim in case.victims.all())):
            assert always in text, (kind, always)

    # The case team sees the identity section on the page, so its documents carry the names.
    assert VICTIM_NAMES[0] in texts["formulir-pengaduan"] and NIK in texts["formulir-pengaduan"]
    assert REPORTER_NAME in texts["formulir-pengaduan"] and CHRONOLOGY in texts["formulir-pengaduan"]
    assert PARTIES in texts["berita-acara-mediasi"] and "Wali Sintetis" in texts["persetujuan"]
    for section in CASE_FILE_SECTIONS:
        assert section in texts["berkas-kasus"], section
    for identifying in IDENTIFYING:
        assert identifying in texts["berkas-kasus"], identifying

    prints = AuditEvent.objects.filter(action="case.print", actor=caseworker)
    assert sorted(event.details["document"] for event in prints) == sorted(ALL_KINDS)
    for event in prints:  # the case number, never a name, in the audit trail
        assert event.object_label == case.number and event.object_id == str(case.pk)
        assert not any(name in str(event.details) + event.object_label for name in IDENTIFYING)
    # The supervisor's read trail of the case shows the prints.
    supervisor_page = client_for(make_user("koordinator_jejak", Role.SUPERVISOR, case.agency)).get(
        f"/kasus/{case.pk}/").content.decode()
    assert "cetak: Berita acara mediasi" in supervisor_page


@pytest.fixture
def data_officer(monkeypatch, uptd):
    """A reader of the unit's cases without identity rights (domain.md section 7: the data officer who enters
    cases into SIMFONI-PPA needs the facts, not the names). Not a role of Simpul yet: added to the policy here."""
    monkeypatch.setitem(policy.POLICY, "petugas_data",
                        RolePolicy(grants=allow(Capability.CASE_WORK, Capability.CASE_VIEW_UNIT)))
    from agencies.models import User

    return User.objects.create_user("petugas_data_uji", role="petugas_data", agency=uptd)


def test_a_reader_without_identity_rights_gets_documents_without_names(caseworker, data_officer, regions):
    case = household_case(caseworker)
    client = client_for(data_officer)
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    # The case page's own decision: no identity section for this reader, and the prints follow it.
    assert "Data identitas (rahasia)" not in page and VICTIM_NAMES[0] not in page
    for kind in ("formulir-pengaduan", "berkas-kasus"):
        text = _text(client.get(url(case, kind)).content)
        assert case.number in text and case.victims.first().survivor_code in text
        assert "data identitas tidak dimuat" in text
        for identifying in IDENTIFYING:
            assert identifying not in text, (kind, identifying)
    assert AuditEvent.objects.filter(action="case.print", actor=data_officer).count() == 2
    # Nor the subject-access print of one person's data (UU 27/2022 Pasal 7), which is all identity.
    victim = case.victims.first()
    subject_print = f"/kasus/{case.pk}/subjek-data/{victim.pk}/cetak/"
    assert subject_print not in page
    assert client.get(subject_print).status_code == 404
    assert client_for(caseworker).get(subject_print).status_code == 200


def test_before_consent_the_consent_form_is_blank_and_absent_documents_are_not_offered(caseworker, regions):
    case = register_case(caseworker)
    client = client_for(caseworker)
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    offered = [kind for kind in ALL_KINDS if url(case, kind) in page]
    assert offered == ["formulir-pengaduan", "persetujuan", "berkas-kasus"]
    for kind in ("asesmen", "rencana-intervensi", "berita-acara-mediasi", "laporan-terminasi", "no-such-kind"):
        assert client.get(url(case, kind)).status_code == 404, kind

    text = _text(client.get(url(case, "persetujuan")).content)
    assert "PERSETUJUAN (INFORMED CONSENT)" in text and case.number in text
    # Blank for signing: every choice unticked, the giver's name left to write, nothing recorded as given.
    for label in ("Menerima layanan", "Mediasi", "Korban sendiri", "Orang tua", "Wali", "Nama pemberi persetujuan",
                  "nama dan tanda tangan", "IC-2026-1"):
        assert label in text, label
    assert "Berlaku" not in text and "Waktu · formulir" not in text and "dasar hukum" not in text


@pytest.mark.parametrize("persona", ["outsider", "police_officer", "official", "sysadmin", None])
def test_outside_the_case_scope_every_document_is_404_and_nothing_is_printed(persona, caseworker, regions, request):
    case = register_case(caseworker)
    user = request.getfixturevalue(persona) if persona else None
    for kind in ("formulir-pengaduan", "berkas-kasus"):
        assert_hidden(client_for(user).get(url(case, kind)))
        assert_hidden(client_for(user).post(url(case, kind)))
    assert not AuditEvent.objects.filter(action="case.print").exists()


def test_a_document_is_indonesian_whatever_the_readers_language(caseworker, regions):
    case = register_case(caseworker)
    client = client_for(caseworker)
    client.cookies["django_language"] = "en"
    text = _text(client.get(url(case, "formulir-pengaduan")).content)
    assert "Perempuan" in text and "Datang langsung" in text and "Female" not in text


# The whole case file reads what the case page reads (its prefetch), then writes the print's audit row.
PRINT_BUDGET = 20  # +1: the agenda items of the case page's prefetch; +1: the second factor's device


def test_the_whole_case_file_prints_in_a_fixed_number_of_queries(caseworker, regions,
                                                                  django_assert_max_num_queries):
    client = client_for(caseworker)
    plain, busy = register_case(caseworker), household_case(caseworker)
    assert count_queries(client, url(plain, "berkas-kasus")) == count_queries(client, url(busy, "berkas-kasus"))
    with django_assert_max_num_queries(PRINT_BUDGET):
        client.get(url(busy, "berkas-kasus"))

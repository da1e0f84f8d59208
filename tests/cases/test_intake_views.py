"""The intake form (penerimaan pengaduan) and the intake queue, through the pages: what a caseworker
types is registered, bad input is refused with a clear Indonesian message and nothing typed is lost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from cases import services
from cases.models import Case, VictimPerpetrator
from core.models import AuditEvent
from inbox import services as inbox_services
from inbox.models import IntakeRequest
from tests.conftest import client_for, register_case


def intake_data(victims=1, perpetrators=1, **overrides) -> dict:
    received = timezone.localtime() - timedelta(hours=2)
    data = {
        "received_at": received.strftime("%Y-%m-%dT%H:%M"), "intake_channel": "langsung",
        "reporter_name": "Pelapor Sintetis", "occurred_on": (received.date() - timedelta(days=1)).isoformat(),
        "place": "rumah_tangga", "kecamatan": "73.22.03", "village": "73.22.03.2004", "chronology": "Kronologi",
        "korban-TOTAL_FORMS": str(victims), "korban-INITIAL_FORMS": "0", "korban-MIN_NUM_FORMS": "1",
        "korban-MAX_NUM_FORMS": "20",
        "pelaku-TOTAL_FORMS": str(perpetrators), "pelaku-INITIAL_FORMS": "0", "pelaku-MIN_NUM_FORMS": "0",
        "pelaku-MAX_NUM_FORMS": "20",
    }
    for i in range(victims):
        data |= {f"korban-{i}-name": f"Korban Sintetis {i + 1}", f"korban-{i}-sex": "P", f"korban-{i}-age": "12",
                 f"korban-{i}-violence_types": ["fisik", "psikis"], f"korban-{i}-education": "sd",
                 f"korban-{i}-occupation": "pelajar", f"korban-{i}-nik": f"999999010101000{i + 1}"}
    for j in range(perpetrators):
        data |= {f"pelaku-{j}-sex": "L", f"pelaku-{j}-age": "40", f"pelaku-{j}-name": "Pelaku Sintetis"}
        for i in range(victims):
            data[f"pelaku-{j}-relationship_{i}"] = "orang_tua" if i == 0 else "keluarga"
    return data | overrides


def post_intake(user, data, query=""):
    return client_for(user).post(reverse("cases:create") + query, data)


def test_a_caseworker_registers_a_case_with_two_victims_and_a_perpetrator(caseworker, regions):
    response = post_intake(caseworker, intake_data(victims=2))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.assigned_worker == caseworker and case.victims.count() == 2
    assert case.incident.village_id == "73.22.03.2004" and case.incident.kecamatan_id == "73.22.03"
    pairs = VictimPerpetrator.objects.filter(perpetrator__case=case).order_by("victim_id")
    assert [p.relationship for p in pairs] == ["orang_tua", "keluarga"]
    page = client_for(caseworker).get(response["Location"]).content.decode()
    assert "Korban Sintetis 1" in page  # in the marked identity section of the case page itself
    assert "Data identitas (rahasia)" in page


def test_adding_a_victim_row_keeps_what_was_typed_without_errors(caseworker, regions):
    data = intake_data(victims=1, perpetrators=0) | {"tambah_korban": "1", "received_at": ""}
    response = post_intake(caseworker, data)
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert 'name="korban-1-name"' in page and 'value="Korban Sintetis 1"' in page
    assert "Korban 2" in page and "invalid-feedback" not in page


def test_a_removed_victim_row_is_not_registered(caseworker, regions):
    data = intake_data(victims=2) | {"korban-1-DELETE": "on"}
    post_intake(caseworker, data)
    case = Case.objects.get()
    assert [v.name for v in case.victims.all()] == ["Korban Sintetis 1"]


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()
IN_FIVE_DAYS = (timezone.localdate() + timedelta(days=5)).isoformat()


@pytest.mark.parametrize(("overrides", "message", "kept"), [
    ({"korban-0-nik": "12345"}, "NIK harus 16 angka.", 'value="12345"'),
    ({"korban-0-birth_date": IN_FIVE_DAYS, "korban-0-age": ""}, "Tanggal lahir tidak boleh di masa depan.",
     IN_FIVE_DAYS),
    ({"occurred_on": TOMORROW}, "Tanggal kejadian tidak boleh sesudah pengaduan diterima.", TOMORROW),
    ({"korban-0-violence_types": []}, "Pilih setidaknya satu jenis kekerasan.", 'value="Korban Sintetis 1"'),
    ({"korban-0-age": ""}, "Isi tanggal lahir atau usia korban.", 'value="Korban Sintetis 1"'),
    ({"kecamatan": "", "village": ""}, "Pilih kecamatan kejadian, atau centang luar daerah.", "Pelapor Sintetis"),
    ({"village": "73.22.04.2002"}, "Desa yang dipilih tidak berada di kecamatan itu.", "Pelapor Sintetis"),
], ids=["nik", "birth-date-future", "incident-after-complaint", "no-violence", "no-age", "no-kecamatan",
        "desa-of-another-kecamatan"])
def test_bad_intake_is_refused_with_a_message_and_keeps_what_was_typed(caseworker, regions, overrides, message,
                                                                       kept):
    response = post_intake(caseworker, intake_data() | overrides)
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert message in page, message
    assert kept in page
    assert "Kasus belum tersimpan" in page and 'value="Pelapor Sintetis"' in page


def test_a_complaint_received_in_the_future_is_refused(caseworker, regions):
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = post_intake(caseworker, intake_data(received_at=later))
    assert "Waktu pengaduan tidak boleh di masa depan." in response.content.decode()
    assert not Case.objects.exists()


def test_possible_duplicates_are_shown_by_case_number_and_need_a_confirmation(caseworker, supervisor, regions):
    earlier = register_case(supervisor, assigned_worker=caseworker, victims=[services.VictimData(
        name="Orang Lain Sintetis", sex="P", age=12, nik="9999990101010001", violence_types=["fisik"])])
    response = post_intake(caseworker, intake_data())
    page = response.content.decode()
    assert Case.objects.count() == 1
    assert earlier.number in page and earlier.victims.get().survivor_code in page
    assert "Orang Lain Sintetis" not in page  # the other case's names never leave it
    assert "Kemungkinan duplikat" in page
    assert AuditEvent.objects.filter(action="case.duplicate_check").exists()
    response = post_intake(caseworker, intake_data(confirm_duplicates="on"))
    assert response.status_code == 302 and Case.objects.count() == 2


def test_the_desa_list_follows_the_kecamatan(caseworker, regions):
    response = client_for(caseworker).get(reverse("cases:villages"), {"korban-0-address_kecamatan": "73.22.09"},
                                          HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<option value=\"73.22.09.") == 6  # Rampi has six desa
    assert "73.22.03." not in page


def test_a_supervisor_registers_and_assigns_a_worker(supervisor, caseworker, regions):
    response = post_intake(supervisor, intake_data(assigned_worker=str(caseworker.pk)))
    assert response.status_code == 302
    assert Case.objects.get().assigned_worker == caseworker


@pytest.fixture
def referral_in(caseworker, regions) -> IntakeRequest:
    patbm = Agency.objects.create(name="PATBM Antrean", agency_type="patbm")
    return inbox_services.intake_request_create(actor=caseworker, source_agency=patbm, target_agency=caseworker.agency,
                                                summary="Ringkasan rujukan sintetis", urgency="darurat")


def test_the_intake_queue_lists_referrals_without_their_summary(caseworker, referral_in):
    page = client_for(caseworker).get(reverse("cases:intake_queue")).content.decode()
    assert referral_in.audit_label in page and "PATBM Antrean" in page
    assert "Ringkasan rujukan sintetis" not in page
    detail = client_for(caseworker).get(reverse("cases:intake_detail", args=[referral_in.pk])).content.decode()
    assert "Ringkasan rujukan sintetis" in detail
    assert AuditEvent.objects.filter(action="intake.read", object_id=str(referral_in.pk)).exists()


def test_a_referral_in_is_registered_as_a_case(caseworker, referral_in):
    query = f"?rujukan={referral_in.pk}"
    form_page = client_for(caseworker).get(reverse("cases:create") + query).content.decode()
    assert 'value="rujukan" selected' in form_page  # the channel is known already
    response = post_intake(caseworker, intake_data(intake_channel="rujukan", rujukan=str(referral_in.pk)))
    assert response.status_code == 302
    referral_in.refresh_from_db()
    assert referral_in.status == "terdaftar" and referral_in.case == Case.objects.get()


def test_a_referral_in_is_declined_with_a_reason(caseworker, referral_in):
    url = reverse("cases:intake_detail", args=[referral_in.pk])
    response = client_for(caseworker).post(url, {"reason": ""})
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    response = client_for(caseworker).post(url, {"reason": "Bukan kasus kekerasan; dirujuk ke PUSPAGA"})
    assert response.status_code == 302
    referral_in.refresh_from_db()
    assert referral_in.status == "ditolak"
    assert client_for(caseworker).get(reverse("cases:create") + f"?rujukan={referral_in.pk}").status_code == 404


def test_possible_duplicates_show_while_typing_without_the_nik_in_any_url(caseworker, supervisor, regions):
    earlier = register_case(supervisor, assigned_worker=caseworker, victims=[services.VictimData(
        name="Orang Lain Sintetis", sex="P", age=12, nik="9999990101010001", violence_types=["fisik"])])
    url = reverse("cases:duplicates")
    assert "9999" not in url
    response = client_for(caseworker).post(url, {"korban-0-nik": "9999990101010001", "korban-0-name": "",
                                                 "korban-0-birth_date": ""}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert earlier.number in page and "Orang Lain Sintetis" not in page
    nothing = client_for(caseworker).post(url, {"korban-0-nik": "123", "korban-0-name": "Tidak Ada"}).content
    assert earlier.number.encode() not in nothing
    assert client_for(caseworker).get(url).status_code == 405


def test_a_match_outside_the_caseload_names_the_agency_never_the_case(caseworker, supervisor, outsider, regions):
    """Issue 12: a caseworker learns only that a possible match exists in the agency; the coordinator, whose
    scope is the whole unit, sees the case number. Issue 10: a caseworker of another agency learns that a
    possible match exists there, never its case number, code or names."""
    colleague_case = register_case(supervisor, victims=[services.VictimData(
        name="Orang Lain Sintetis", sex="P", age=12, nik="9999990101010001", violence_types=["fisik"])])
    number, code = colleague_case.number, colleague_case.victims.get().survivor_code
    typed = {"korban-0-nik": "9999990101010001", "korban-0-name": "", "korban-0-birth_date": ""}
    url = reverse("cases:duplicates")

    page = client_for(caseworker).post(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert "ada kemungkinan kasus yang sama di UPTD PPA Uji" in page
    assert number not in page and code not in page and "Orang Lain Sintetis" not in page
    intake = post_intake(caseworker, intake_data()).content.decode()
    assert "Ada kemungkinan kasus yang sama di UPTD PPA Uji" in intake and "Kemungkinan duplikat" in intake
    assert number not in intake and code not in intake

    coordinator = client_for(supervisor).post(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert number in coordinator and code in coordinator and "kasus yang sama di" not in coordinator

    elsewhere = client_for(outsider).post(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert "ada kemungkinan kasus yang sama di UPTD PPA Uji" in elsewhere
    assert number not in elsewhere and code not in elsewhere and "Orang Lain Sintetis" not in elsewhere
    # The check is audited by case id (no case number or personal data leaves the scope through the audit).
    assert AuditEvent.objects.filter(action="case.duplicate_check", actor=caseworker).exists()


def test_the_duplicate_check_is_hidden_from_other_roles(personas, regions):
    for persona in ("police_officer", "official", "sysadmin"):
        response = client_for(personas[persona]).post(reverse("cases:duplicates"), {"korban-0-nik": "1" * 16})
        assert response.status_code == 404, persona


def test_the_perpetrator_row_may_stay_empty_when_the_perpetrator_is_unknown(caseworker, regions):
    client = client_for(caseworker)
    form_page = client.get(reverse("cases:create")).content.decode()
    assert 'name="pelaku-TOTAL_FORMS" value="1"' in form_page and 'name="pelaku-INITIAL_FORMS" value="0"' in form_page
    # An untouched row posts its empty choices (every choice of a row starts at "— pilih —").
    data = intake_data(perpetrators=0) | {"pelaku-TOTAL_FORMS": "1", "pelaku-0-relationship_0": "",
                                          "pelaku-0-sex": "", "pelaku-0-name": "", "pelaku-0-age": ""}
    response = post_intake(caseworker, data)
    assert response.status_code == 302
    assert Case.objects.get().perpetrators.count() == 0

"""Each hostile request of issue 16, one test each: it answers 4xx or a form error in Indonesian, within bounded
work, and leaves the database and the audit log as they were."""

import resource
import time
import tracemalloc
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from cases import services as case_services
from core import bounds
from core.audit import audit_record
from core.models import AuditEvent
from prevention import services as prevention_services
from reports import services as report_services
from reports.periods import Period, PeriodError
from tests.cases.test_intake_views import intake_data
from tests.conftest import client_for, register_case

BAD_REQUEST = "Permintaan tidak dapat diproses"


def database_state() -> dict[str, int]:
    """Rows of every table (audit log included), to show a refused request changed nothing. Sessions are
    the login's, not records."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.label != "sessions.Session"}


@pytest.fixture
def unchanged(db):
    """Asserts, at the end of the test, that the database holds the rows it held when the test's requests began."""
    states = []

    def start():
        states.append(database_state())

    yield start
    assert states, "call unchanged() before the hostile requests"
    assert database_state() == states[0]


# --- Memory exhaustion and row counts at intake ------------------------------------------------------------

@pytest.mark.parametrize("count", ["1000", "100000"])
def test_a_forged_victim_count_answers_within_a_second_in_bounded_memory(caseworker, regions, unchanged, count):
    """A forged korban-TOTAL_FORMS took the web process to 4.1 GB. Ceiling: one second of CPU, and 50 MB of
    Python allocations at the peak of the request (the page as a person sees it takes about 10 MB)."""
    client = client_for(caseworker)
    client.get("/kasus/baru/")  # the first page of a process loads templates and translations: not the request's work
    data = intake_data() | {"korban-TOTAL_FORMS": count, "pelaku-TOTAL_FORMS": count}
    unchanged()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    response = client.post("/kasus/baru/", data)
    cpu = time.process_time() - cpu
    tracemalloc.start()
    try:
        client.post("/kasus/baru/", data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = response.content.decode()
    assert response.status_code == 200
    assert "Paling banyak 20 korban dalam satu pengaduan." in page
    assert "Paling banyak 20 pelaku dalam satu pengaduan." in page
    assert 'value="Korban Sintetis 1"' in page and 'name="korban-1-name"' not in page  # what was typed, nothing more
    assert cpu < 1.0, f"{cpu:.2f} s of CPU"
    assert peak < 50 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100 * 1024  # kB: process RSS peak


@pytest.mark.parametrize("button", ["tambah_korban", "tambah_pelaku"])
def test_a_row_count_that_is_not_a_number_with_add_a_row_keeps_the_form(caseworker, regions, unchanged, button):
    client = client_for(caseworker)
    unchanged()
    data = intake_data() | {"korban-TOTAL_FORMS": "abc", "pelaku-TOTAL_FORMS": "x1", button: "1"}
    response = client.post("/kasus/baru/", data)
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Korban Sintetis 1"' in page


def test_adding_a_victim_beyond_twenty_says_so(caseworker, regions, unchanged):
    client = client_for(caseworker)
    unchanged()
    page = client.post("/kasus/baru/", intake_data(victims=20) | {"tambah_korban": "1"}).content.decode()
    assert "Paling banyak 20 korban dalam satu pengaduan." in page
    assert 'name="korban-19-name"' in page and 'name="korban-20-name"' not in page


def test_the_fullest_intake_fits_in_the_request_field_limit(caseworker, regions, settings):
    """20 victims and 20 perpetrators with every box ticked still pass DATA_UPLOAD_MAX_NUMBER_FIELDS."""
    from cases.forms import MAX_PERPETRATORS, MAX_VICTIMS
    from core import codes

    data = intake_data(victims=MAX_VICTIMS, perpetrators=MAX_PERPETRATORS,
                       tpks_forms=codes.TpksForm.values, tppo_elements=codes.TppoElement.values)
    for i in range(MAX_VICTIMS):
        data |= {f"korban-{i}-violence_types": codes.ViolenceType.values, f"korban-{i}-has_disability": "on",
                 f"korban-{i}-disability_kinds": codes.DisabilityKind.values, f"korban-{i}-nik": f"999999010101{i:04d}"}
    fields = sum(len(value) if isinstance(value, list) else 1 for value in data.values())
    assert fields < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert client_for(caseworker).post("/kasus/baru/", data).status_code == 302


# --- Ids that cannot be ids ---------------------------------------------------------------------------------

def test_a_referral_in_that_is_not_a_number_is_not_found(caseworker, regions, unchanged):
    client = client_for(caseworker)
    unchanged()
    assert client.get("/kasus/baru/?rujukan=abc").status_code == 404
    assert client.post("/kasus/baru/", intake_data() | {"rujukan": "1 OR 1=1"}).status_code == 404


# --- NUL and other control characters ---------------------------------------------------------------------

def test_nul_in_the_intake_kecamatan_is_refused(caseworker, regions, unchanged):
    client = client_for(caseworker)
    unchanged()
    for field in ("kecamatan", "korban-0-address_kecamatan"):
        response = client.post("/kasus/baru/", intake_data() | {field: "73.22\x00"})
        assert response.status_code == 400 and BAD_REQUEST in response.content.decode()


@pytest.mark.parametrize(("who", "url"), [
    ("caseworker", "/kasus/wilayah/desa/?kecamatan=%00"),
    ("sysadmin", "/lembaga/kelola/?q=%00"),
    ("official", "/laporan/ekspor/%00/"),
    ("official", "/laporan/?kind=bulanan&period=2026-1%00"),
    ("caseworker", "/kasus/?q%00=1"),
    ("caseworker", "/kasus/?q=%1B%5B31m"),
])
def test_nul_and_control_characters_in_addresses_and_queries_are_refused(personas, regions, unchanged, who, url):
    client = client_for(personas[who])
    unchanged()
    response = client.get(url)
    assert response.status_code == 400 and BAD_REQUEST in response.content.decode()


def test_a_note_keeps_its_line_breaks_but_not_a_control_character(caseworker, regions):
    case = register_case(caseworker, assigned_worker=caseworker)
    client = client_for(caseworker)
    before = database_state()
    assert client.post(f"/kasus/{case.pk}/catatan/", {"text": "Baris satu\x07"}).status_code == 400
    assert database_state() == before
    assert client.post(f"/kasus/{case.pk}/catatan/", {"text": "Baris satu\r\n\tBaris dua"}).status_code == 302
    assert case.notes.get().text == "Baris satu\r\n\tBaris dua"


def test_the_audit_log_keeps_no_control_characters_and_no_forged_address(caseworker, rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="bukan-alamat\x00, 10.0.0.1", REMOTE_ADDR="192.0.2.7")
    event = audit_record(actor=caseworker, action="uji.\x00aksi", object_label="KRB-\x00ABC\x1b", reason="a\x00b",
                         request=request, details={"format": "\x00", "list": ["x\x7fy"]})
    event.refresh_from_db()
    assert (event.action, event.object_label, event.reason) == ("uji.aksi", "KRB-ABC", "ab")
    assert event.details == {"format": "", "list": ["xy"]} and event.ip_address == "192.0.2.7"


# --- Report periods -----------------------------------------------------------------------------------------

PERIODS = [("bulanan", "0000-01"), ("triwulan", "0000-Q1"), ("tahunan", "0000"), ("bulanan", "9999-12"),
           ("triwulan", "9999-Q4"), ("bulanan", "0001-01")]


@pytest.mark.parametrize(("kind", "period"), PERIODS)
def test_periods_outside_the_years_simpul_holds_get_a_clear_message(official, unchanged, kind, period):
    client = client_for(official)
    unchanged()
    message = "Periode ini belum dimulai." if period.startswith("9999") else "Simpul memuat data sejak tahun 2000"
    dashboard = client.get("/laporan/", {"kind": kind, "period": period})
    assert dashboard.status_code == 200 and message in dashboard.content.decode()
    request = client.post("/laporan/berkas/", {"kind": kind, "period": period, "edition": "publikasi"})
    assert request.status_code == 200 and message in request.content.decode()
    for fmt in ("csv", "xlsx", "gbvims"):
        assert client.get(f"/laporan/ekspor/{fmt}/", {"kind": kind, "period": period}).status_code == 404
    with pytest.raises(report_services.ReportError, match=message):
        report_services.report_request(actor=official, kind=kind, period_code=period, queue=False)


def test_the_earliest_and_latest_periods_have_neighbours():
    first = Period.parse("bulanan", f"{bounds.EARLIEST_RECORD.year}-01")
    assert (first.previous().code, first.year_before().code) == ("1999-12", "1999-01")
    next_year = timezone.localdate().year + 1
    assert Period.parse("triwulan", f"{next_year}-Q4").end == date(next_year, 12, 31)
    with pytest.raises(PeriodError):
        Period.parse("tahunan", str(next_year + 1))


# --- Numbers and dates Simpul must refuse --------------------------------------------------------------------

def _activity(**overrides) -> dict:
    return {"kind": "sosialisasi", "title": "Sosialisasi uji", "held_on": timezone.localdate().isoformat(),
            "topics": ["kdrt"], "area": "", "target_group": "umum", "participants_male_child": "0",
            "participants_female_child": "0", "participants_male_adult": "0", "participants_female_adult": "5",
            "platform": "", "reach": "", "engagement": "", "budget_line": "", "notes": ""} | overrides


@pytest.mark.parametrize("field", ["participants_male_child", "participants_female_adult", "reach", "engagement"])
def test_participant_counts_of_ten_to_the_twentieth_are_refused(supervisor, regions, unchanged, field):
    client = client_for(supervisor)
    unchanged()
    campaign = {"kind": "kampanye_medsos", "platform": "tiktok", "reach": "10"} if field in ("reach", "engagement") \
        else {}
    response = client.post("/pencegahan/kegiatan/baru/", _activity(**campaign | {field: str(10**20)}))
    assert response.status_code == 200
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan" in response.content.decode()


def test_the_prevention_services_refuse_counts_out_of_range(supervisor, regions, unchanged):
    unchanged()
    for participants, extra in ((prevention_services.Participants(male_child=10**20), {}),
                                (prevention_services.Participants(female_adult=-5), {}),
                                (prevention_services.Participants(), {"kind": "kampanye_medsos", "platform": "tiktok",
                                                                      "reach": 10**20})):
        arguments = {"kind": "sosialisasi", "title": "Uji", "held_on": timezone.localdate(), "topics": ["kdrt"],
                     "target_group": "umum", "participants": participants} | extra
        with pytest.raises(prevention_services.PreventionError, match="tidak boleh"):
            prevention_services.prevention_activity_record(actor=supervisor, **arguments)


@pytest.fixture
def assessed_case(caseworker, regions):
    case = register_case(caseworker, assigned_worker=caseworker)
    case_services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="sedang",
                                responsibility="kabupaten")
    case_services.assessment_record(case=case, actor=caseworker, risk_level="sedang")
    return case


def test_a_plan_due_on_31_december_9999_is_refused(assessed_case, caseworker, unchanged):
    client = client_for(caseworker)
    unchanged()
    response = client.post(f"/kasus/{assessed_case.pk}/rencana/", {
        "service": "kesehatan", "provider_user": caseworker.pk, "due_on": "9999-12-31", "notes": ""})
    latest = (timezone.localdate() + timedelta(days=bounds.PLAN_HORIZON_DAYS)).strftime("%d-%m-%Y")
    assert response.status_code == 200 and f"Tanggal paling lambat {latest}." in response.content.decode()
    with pytest.raises(case_services.CaseError, match="Target tanggal paling lambat"):
        case_services.planned_service_add(case=assessed_case, actor=caseworker, service="kesehatan",
                                          provider_user=caseworker, due_on=date(9999, 12, 31))


def test_a_service_delivered_on_1_january_0001_is_refused(assessed_case, caseworker, unchanged):
    client = client_for(caseworker)
    unchanged()
    victim = assessed_case.victims.get()
    response = client.post(f"/kasus/{assessed_case.pk}/layanan/", {
        "victim": victim.pk, "service": "pengaduan", "delivered_on": "0001-01-01", "provider_agency": "",
        "notes": ""})
    assert response.status_code == 200 and "Tanggal tidak boleh sebelum 01-01-2000." in response.content.decode()
    with pytest.raises(case_services.CaseError, match="Tanggal layanan tidak boleh sebelum 01-01-2000."):
        case_services.service_delivery_record(case=assessed_case, victim=victim, actor=caseworker,
                                              service="pengaduan", delivered_on=date(1, 1, 1))


def test_a_puspaga_session_on_1_january_0001_is_refused(puspaga_staff, unchanged):
    client = client_for(puspaga_staff)
    unchanged()
    response = client.post("/pencegahan/puspaga/baru/", {
        "held_on": "0001-01-01", "service": "konseling", "channel": "telepon", "issue": "remaja",
        "counsellor": puspaga_staff.pk, "notes": "Catatan yang diketik"})
    page = response.content.decode()
    assert response.status_code == 200 and "Tanggal tidak boleh sebelum 01-01-2000." in page
    assert "Catatan yang diketik" in page
    with pytest.raises(prevention_services.PreventionError, match="Tanggal tidak boleh sebelum 01-01-2000."):
        prevention_services.puspaga_session_record(actor=puspaga_staff, held_on=date(1, 1, 1), service="konseling",
                                                   channel="telepon", issue="remaja", counsellor=puspaga_staff)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("received_at", "0001-01-01T00:00", "Waktu pengaduan tidak boleh sebelum 01-01-2000."),
    ("occurred_on", "1899-12-31", "Tanggal tidak boleh sebelum 01-01-1900."),
    ("korban-0-birth_date", "0001-01-01", "Tanggal lahir tidak boleh sebelum 01-01-1900."),
    ("korban-0-age", "100000000000000000000", "Pastikan nilai ini lebih kecil dari atau sama dengan 120."),
])
def test_intake_dates_and_ages_are_bounded(caseworker, regions, unchanged, field, value, message):
    client = client_for(caseworker)
    unchanged()
    response = client.post("/kasus/baru/", intake_data() | {field: value})
    assert response.status_code == 200 and message in response.content.decode()


def test_the_registration_service_refuses_what_the_intake_form_refuses(caseworker, regions, unchanged):
    unchanged()
    with pytest.raises(case_services.CaseError, match="Waktu pengaduan tidak boleh sebelum 01-01-2000."):
        register_case(caseworker, received_at=datetime(1999, 12, 31, tzinfo=timezone.get_default_timezone()))
    with pytest.raises(case_services.CaseError, match="Tanggal lahir korban 1 tidak boleh sebelum 01-01-1900."):
        register_case(caseworker, victims=[case_services.VictimData(
            name="Korban Sintetis", sex="P", birth_date=date(1, 1, 1), violence_types=["fisik"])])
    with pytest.raises(case_services.CaseError, match="Usia tidak boleh lebih dari 120."):
        register_case(caseworker, victim_age=10**20)
    assert not AuditEvent.objects.filter(action="case.register").exists()

"""Issue 10 in a browser: a KDRT case (physical violence against a wife and her daughter) learns a week after the
complaint that the daughter was sexually abused. The caseworker records it on the case page, by visible labels;
then the mediation the case allowed is refused naming UU 12/2022 Pasal 23, the police-report deadline runs from the
moment of the change, November's statistics count the daughter under sexual violence, and the report published
before the change keeps its numbers. The change is on the case's Riwayat page."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Region, User
from agencies.regions import regions_load
from cases import services
from cases.models import Case
from demo.foundation import DEMO_PASSWORD, seed_foundation
from reports.models import Report
from reports.periods import Period
from reports.services import report_generate, report_request
from reports.statistics import compute_statistics
from tests.e2e.conftest import log_in


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()


def kdrt_case_a_week_old(worker: User) -> Case:
    village = Region.objects.get(code="73.22.03.2004")
    received = timezone.now() - timedelta(days=7)
    case = services.case_register(
        actor=worker, agency=worker.agency, received_at=received, intake_channel="langsung",
        incident=services.IncidentData(occurred_on=timezone.localdate(received) - timedelta(days=1),
                                       place="rumah_tangga", is_kdrt=True, village=village, kecamatan=village.parent),
        victims=[services.VictimData(name="Istri Sintetis", sex="P", age=35, violence_types=["fisik"]),
                 services.VictimData(name="Anak Sintetis", sex="P", age=14, violence_types=["fisik"])],
        perpetrators=[services.PerpetratorData(sex="L", age=40, relationships={0: "suami_istri", 1: "orang_tua"})],
        assigned_worker=worker)
    services.case_identify(case=case, actor=worker, case_type="ktp", risk_level="rendah", responsibility="kabupaten")
    services.assessment_record(case=case, actor=worker, risk_level="rendah", needs=["need_economic"])
    for victim in case.victims.all():
        services.consent_record(case=case, victim=victim, actor=worker, scopes=["layanan", "mediasi"],
                                given_by="orang_tua" if victim.is_child else "korban", form_version="IC-2026-1")
    return case


def girls_under_sexual_violence(period: Period) -> int:
    table = compute_statistics(period).table("violence")
    return next(counts for label, counts in table.rows if label == "Seksual")[1]  # the "Anak P" column


def test_sexual_abuse_disclosed_a_week_later_is_recorded_and_the_law_follows(page, live_server, demo):
    worker = User.objects.get(username="pendamping")
    case = kdrt_case_a_week_old(worker)
    daughter = case.victims.get(age_at_incident=14)
    month = Period.containing("bulanan", timezone.localdate(case.received_at))
    report = report_generate(report_id=report_request(actor=None, kind="bulanan", period_code=month.code,
                                                      queue=False).pk)
    published = (report.sha256, report.summary)
    assert girls_under_sexual_violence(month) == 0

    log_in(page, live_server, "pendamping", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    victims = page.locator("#korban")
    expect(page.locator("#mediasi").get_by_role("link", name="Mediasi")).to_be_visible()  # allowed before
    victims.get_by_role("link", name=f"Jenis kekerasan · {daughter.survivor_code}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jenis kekerasan korban")
    page.get_by_label("Seksual").check()
    page.get_by_role("button", name="Simpan jenis kekerasan").click()

    expect(page.get_by_text("Jenis kekerasan diperbarui.")).to_be_visible()
    case.refresh_from_db()
    assert case.tpks_known_at is not None and case.tpks_known_at > case.received_at + timedelta(days=6)
    # The police-report deadline: 3x24 hours from the change, not from the complaint a week ago.
    due = timezone.localtime(case.tpks_known_at + timedelta(hours=72)).strftime("%d-%m-%Y %H:%M")
    row = page.get_by_role("row", name=re.compile("Lapor ke kepolisian"))
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("Jatuh tempo")
    # Mediation is no longer offered, and the page says why, naming the law.
    mediation = page.locator("#mediasi")
    expect(mediation.get_by_role("link", name="Mediasi")).to_have_count(0)
    expect(mediation).to_contain_text("UU 12/2022 tentang TPKS Pasal 23")
    page.goto(f"{live_server.url}/kasus/{case.pk}/mediasi/")
    expect(page.get_by_role("alert")).to_contain_text("UU 12/2022 tentang TPKS Pasal 23")

    # The Riwayat page shows who changed what.
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    page.get_by_role("link", name="Riwayat perubahan").click()
    history = page.get_by_role("table")
    expect(history).to_contain_text(f"Korban 2 ({daughter.survivor_code})")
    expect(history).to_contain_text("Fisik → Fisik, Seksual")
    expect(history).to_contain_text("Kekerasan seksual (UU 12/2022)")

    # The month's statistics follow the corrected facts; the report published before keeps its numbers.
    assert girls_under_sexual_violence(month) == 1
    report = Report.objects.get(pk=report.pk)
    assert (report.sha256, report.summary) == published
    assert report.sha256 == hashlib.sha256(report.file.open("rb").read()).hexdigest()


def test_the_correction_form_works_on_a_phone(browser, live_server, demo):
    worker = User.objects.get(username="pendamping")
    case = kdrt_case_a_week_old(worker)
    daughter = case.victims.get(age_at_incident=14)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID",
                                  timezone_id="Asia/Makassar")
    page = context.new_page()
    try:
        log_in(page, live_server, "pendamping", DEMO_PASSWORD)
        page.goto(f"{live_server.url}/kasus/{case.pk}/korban/{daughter.pk}/ubah/")
        page.get_by_label("Pendidikan").select_option(label="SD")
        page.get_by_label("Alasan koreksi").fill("Keliru saat penerimaan")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.get_by_role("button", name="Simpan perubahan").click()
        expect(page.get_by_text("Data korban diperbarui.")).to_be_visible()
        daughter.refresh_from_db()
        assert daughter.education == "sd"
    finally:
        context.close()

"""The agenda on a phone (360 px wide), by visible labels: the caseworker adds a monitoring visit from the case
page, finds it on the Agenda page next to an overdue court date (said in words, not colour alone), and ticks the
visit off; the page never scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import User
from agencies.regions import regions_load
from cases import agenda
from cases.models import AgendaItem
from core import codes
from demo.foundation import DEMO_PASSWORD, seed_foundation
from tests.conftest import register_case
from tests.e2e.conftest import log_in


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID",
                                  timezone_id="Asia/Makassar", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def case(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()
    worker = User.objects.get(username="pendamping")
    case = register_case(worker, assigned_worker=worker)
    court = agenda.agenda_item_add(case=case, actor=worker, kind=codes.AgendaKind.COURT,
                                   due_on=timezone.localdate() + timedelta(days=1))
    AgendaItem.objects.filter(pk=court.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    return case


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_caseworker_plans_a_visit_and_ticks_it_off_on_a_phone(phone, live_server, case):
    page = phone
    log_in(page, live_server, "pendamping", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    page.get_by_role("link", name="Tambah agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah agenda kasus")
    page.get_by_label("Jenis agenda").select_option(label="Kunjungan pemantauan")
    visit_day = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Tanggal").fill(visit_day.isoformat())
    page.get_by_label("Jam (WITA, bila ada)").fill("09:30")
    page.get_by_role("button", name="Tambahkan ke agenda").click()
    expect(page.get_by_text("Agenda ditambahkan.")).to_be_visible()
    agenda_section = page.locator("#agenda")
    expect(agenda_section.get_by_text("Kunjungan pemantauan", exact=True)).to_be_visible()
    expect(agenda_section.get_by_text("09:30 WITA")).to_be_visible()

    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Agenda", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    rows = page.locator(".agenda-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Sidang")
    expect(rows.nth(0)).to_contain_text("Terlambat 1 hari")
    expect(rows.nth(1)).to_contain_text("Kunjungan pemantauan")
    expect(rows.nth(1)).to_contain_text("Akan datang")
    expect(page.get_by_role("status")).to_have_text("1 agenda terlambat.")
    assert no_sideways_scroll(page)

    page.get_by_label("Tampilkan").select_option(label="Terlambat")
    page.get_by_role("button", name="Terapkan").click()
    expect(rows).to_have_count(1)

    rows.nth(0).get_by_role("link", name=case.number).click()
    page.locator("#agenda").get_by_role("button", name="Tandai selesai Kunjungan pemantauan").click()
    expect(page.get_by_text("Agenda ditandai selesai.")).to_be_visible()
    assert no_sideways_scroll(page)
    assert AgendaItem.objects.get(kind=codes.AgendaKind.MONITORING_VISIT).done_at is not None

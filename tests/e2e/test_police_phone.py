"""The police journey on a phone (issue 14, must-show 4): at 390 px the Unit PPA officer sees the inbox ordered by
deadline with urgency and deadline on screen, accepts the most urgent referral, records a service, completes it,
and still downloads the Surat Rujukan afterwards (their official record of what they received)."""

import os
from pathlib import Path

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from agencies.models import Role
from agencies.regions import regions_load
from core.codes import AgencyType, Service
from referrals.models import Referral
from tests.conftest import PASSWORD, make_agency, make_user
from tests.e2e.conftest import log_in
from tests.referrals.conftest import new_case, record_sharing_consent, send

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("SIMPUL_SHOTS_DIR")  # set it to keep screenshots of each step for a human to look at


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/police-phone-{name}.png", full_page=True)


def _on_screen(page, locator) -> None:
    """The element lies inside the phone's width, and the page does not scroll sideways to get there."""
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def referrals(transactional_db):
    """Two referrals to the police: a "darurat" one, then a "segera" one sent later but due after it (newest
    first, the old order, put the "segera" one on top)."""
    regions_load(district_code="73.22")
    uptd = make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT, Service.SOCIAL_REHAB])
    police = make_agency("Unit PPA Polres Uji", AgencyType.POLICE, [Service.LAW_ENFORCEMENT])
    caseworker = make_user("pendamping_uji", Role.CASEWORKER, uptd)
    make_user("polisi_uji", Role.PARTNER, police)
    sent = []
    for urgency in ("darurat", "segera"):
        case = new_case(caseworker)
        record_sharing_consent(case, caseworker, [AgencyType.POLICE])
        sent.append(send(caseworker, case, police, urgency=urgency))
    emergency, soon = sent
    assert emergency.due_at < soon.due_at and emergency.sent_at < soon.sent_at
    return {"soon": soon, "emergency": emergency}


def test_police_officer_works_a_referral_on_a_phone_and_keeps_the_letter(page, live_server, referrals):
    soon, emergency = referrals["soon"], referrals["emergency"]
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "polisi_uji", PASSWORD)
    page.goto(f"{live_server.url}/rujukan/masuk/")
    _shot(page, "1-inbox")

    # The inbox: the "darurat" referral, due first, above the "segera" one that arrived after it; its urgency and
    # answer deadline are the first things on its row, on screen.
    rows = page.get_by_role("region", name="Daftar rujukan masuk").get_by_role("row")
    expect(rows.nth(1)).to_contain_text(emergency.number)
    expect(rows.nth(2)).to_contain_text(soon.number)
    first = rows.nth(1).get_by_role("cell")
    expect(first.nth(0)).to_have_text("Darurat")
    with translation.override("id"):
        deadline = dateformat.format(timezone.localtime(emergency.due_at), "j M H:i")
    expect(first.nth(1)).to_have_text(deadline)
    for cell in (first.nth(0), first.nth(1)):
        _on_screen(page, cell)
    _on_screen(page, page.get_by_role("button", name="Saring"))
    # The filters are readable: side by side they were cut to "Sem" (for "Semua").
    for name in ("Urgensi", "Layanan"):
        assert page.get_by_label(name).bounding_box()["width"] > PHONE["width"] / 2

    # Accept, record a service, complete: each action on screen when the officer reaches it.
    page.get_by_role("link", name=emergency.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rujukan {emergency.number}")
    accept = page.get_by_role("button", name="Terima rujukan")
    accept.scroll_into_view_if_needed()
    _on_screen(page, accept)
    accept.click()
    expect(page.get_by_role("alert")).to_contain_text("Rujukan diterima")
    page.get_by_label("Layanan yang diberikan").select_option(label="Penegakan Hukum")
    page.get_by_label("Catatan").fill("Laporan polisi dibuat; korban didampingi saat BAP.")
    record = page.get_by_role("button", name="Catat layanan")
    record.scroll_into_view_if_needed()
    _on_screen(page, record)
    record.click()
    expect(page.get_by_text("Laporan polisi dibuat; korban didampingi saat BAP.")).to_be_visible()
    _shot(page, "2-in-progress")
    page.get_by_label("Hasil tindak lanjut").fill("Berkas perkara dilimpahkan ke kejaksaan.")
    complete = page.get_by_role("button", name="Selesaikan rujukan")
    complete.scroll_into_view_if_needed()
    _on_screen(page, complete)
    complete.click()
    expect(page.get_by_role("status")).to_contain_text("Surat Rujukan tetap dapat diunduh")
    _shot(page, "3-done")
    assert Referral.objects.get(pk=emergency.pk).status == Referral.Status.DONE

    # Afterwards the letter is still theirs: the link is on the page, on screen, and gives the PDF.
    letter = page.get_by_role("link", name="Surat rujukan (PDF)")
    _on_screen(page, letter)
    response = page.request.get(live_server.url + letter.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


"""Submits at the same instant, against a real server on PostgreSQL: five copies of one referral form and of
one intake form, sent at once with the same one-time key, each from its own logged-in session, make one
referral (with one notice to the receiving agency) and one case, and all five are sent to it. Two people
saving one prevention activity at the same instant: one is saved, the other is shown the conflict.

SQLite serialises every write, so the race cannot happen there: these tests need PostgreSQL and fail when
skipped in CI (SIMPUL_REQUIRE_SERVICES=1)."""

from __future__ import annotations

import os
import secrets
import threading
from datetime import date
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from agencies.models import Role
from cases.models import BreachRecord, Case
from core.idempotency import KEY_FIELD, new_key
from core.models import SubmissionKey
from inbox.models import Notification
from prevention.models import PreventionActivity
from referrals.models import Referral
from tests.cases.test_intake_views import intake_data
from tests.conftest import client_for, make_user
from tests.prevention.conftest import record_activity
from tests.referrals.conftest import new_case, record_sharing_consent

pytestmark = pytest.mark.django_db(transaction=True)
AT_ONCE = 5


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL (DATABASE_URL): SQLite serialises writes, so submits never race there"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


class Browser:
    """One logged-in browser session talking HTTP to the live server; it does not follow redirects."""

    def __init__(self, server_url: str, user) -> None:
        client = client_for(user)  # signed in with the second factor, as every test's sessions are
        self.address = urlsplit(server_url)
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={self.csrf}"

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        connection_ = HTTPConnection(self.address.hostname, self.address.port, timeout=60)
        body = urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True)
        connection_.request("POST", path, body=body, headers={
            "Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "id"})
        response = connection_.getresponse()
        result = response.status, response.getheader("Location", ""), response.read().decode()
        connection_.close()
        return result


def at_once(calls: list) -> list:
    """Run the calls in threads released together; their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_five_simultaneous_referral_submits_make_one_referral_and_one_notice(
        live_server, caseworker, police_agency, police_officer, regions):
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker)
    path = reverse("referrals:send", args=[case.pk])
    form = {"victim": case.victims.get().pk, "receiving_agency": police_agency.pk, "services": ["penegakan_hukum"],
            "urgency": "segera", "reason": "Mohon pemeriksaan.", "action": "send", KEY_FIELD: new_key()}
    browsers = [Browser(live_server.url, caseworker) for _ in range(AT_ONCE)]

    results = at_once([lambda b=browser: b.post(path, form) for browser in browsers])

    referral = Referral.objects.get(case=case)  # exactly one
    assert [(status, location) for status, location, _body in results] == [
        (302, reverse("referrals:detail", args=[referral.pk]))] * AT_ONCE
    assert Notification.objects.filter(recipient=police_officer).count() == 1
    assert SubmissionKey.objects.count() == 1


def test_five_simultaneous_intake_submits_register_one_case(live_server, caseworker, regions):
    form = intake_data() | {KEY_FIELD: new_key()}
    browsers = [Browser(live_server.url, caseworker) for _ in range(AT_ONCE)]

    results = at_once([lambda b=browser: b.post(reverse("cases:create"), form) for browser in browsers])

    case = Case.objects.get()  # exactly one, with one number taken from the sequence
    assert [(status, location) for status, location, _body in results] == [
        (302, reverse("cases:detail", args=[case.pk]))] * AT_ONCE
    assert case.victims.count() == 1 and case.number.endswith("/0001")


def test_five_simultaneous_breach_submits_record_one_incident(live_server, supervisor):
    form = {"discovered_at": "2026-12-01T08:00", "description": "Laptop kantor hilang.", "affected_count": "4",
            KEY_FIELD: new_key()}
    browsers = [Browser(live_server.url, supervisor) for _ in range(AT_ONCE)]

    results = at_once([lambda b=browser: b.post(reverse("cases:breaches"), form) for browser in browsers])

    assert BreachRecord.objects.count() == 1
    assert [(status, location) for status, location, _body in results] == [(302, reverse("cases:breaches"))] * AT_ONCE


def test_two_simultaneous_edits_save_one_and_show_the_other_the_conflict(live_server, patbm_staff, regions):
    colleague = make_user("patbm_uji_2", Role.PARTNER, patbm_staff.agency)
    activity = record_activity(patbm_staff, date.today(), title="Sosialisasi")
    path = reverse("prevention:activity_edit", args=[activity.pk])
    form = {"kind": "sosialisasi", "held_on": date.today().isoformat(), "topics": ["kdrt"], "target_group": "umum",
            "participants_female_adult": "20", "version": activity.version}
    titles = ["Sosialisasi pagi", "Sosialisasi sore"]
    browsers = [Browser(live_server.url, patbm_staff), Browser(live_server.url, colleague)]

    results = at_once([lambda b=browser, t=title: b.post(path, form | {"title": t})
                       for browser, title in zip(browsers, titles, strict=True)])

    statuses = sorted(status for status, _location, _body in results)
    assert statuses == [200, 302]
    saved = titles[[status for status, *_ in results].index(302)]
    refused_page = next(body for status, _location, body in results if status == 200)
    activity.refresh_from_db()
    assert activity.title == saved and activity.version == 2
    assert "orang lain menyimpan perubahan" in refused_page and all(title in refused_page for title in titles)
    assert PreventionActivity.objects.count() == 1

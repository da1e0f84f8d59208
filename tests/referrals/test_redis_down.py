"""Fault test (issue 11, must-show 1): Redis is down while a caseworker sends a referral. The page answers as for
any saved referral (never a 500), and once Redis is back the receiving officer gets exactly one e-mail.

Real parts only: the test database on PostgreSQL, a Redis of the test's own on port 6385 (stopped and started
here, never the machine's shared one), a Celery worker with its beat (prefork, as in production) relaying the
outbox every second, and the form posted by a separate Django process, as a web worker would.
"""

import json
import time

import pytest

from core.models import OutboxMessage
from inbox.models import Notification
from referrals.models import Referral
from tests.referrals.conftest import new_case, record_sharing_consent, with_email
from tests.reports import faults

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS_PORT = 6385  # this test's own; the report fault tests use 6381
POLICE_ADDRESS = "polisi@contoh.simpul.test"

# The web process: the caseworker sends the referral through the real form and follows the redirect.
POST_REFERRAL = """
import json, time
from agencies.models import User
from tests.conftest import client_for  # signed in with the second factor, as the caseworker would be
client = client_for(User.objects.get(username={username!r}))
started = time.monotonic()
response = client.post({url!r}, {data!r}, follow=True)
print(json.dumps({{"seconds": time.monotonic() - started, "status": response.status_code,
                   "chain": [status for _url, status in response.redirect_chain]}}))
"""


@pytest.fixture
def redis(tmp_path):
    faults.require(test_database=True)
    server = faults.Redis(tmp_path / "redis", port=REDIS_PORT)
    server.start()
    yield server
    server.crash()


@pytest.fixture
def worker(tmp_path, redis):
    env = faults.worker_env(directory=tmp_path, database_url=faults.tests_database_url(), redis_url=redis.url,
                            OUTBOX_RELAY_SECONDS="1",
                            # Nothing else on this worker: no scheduled reports, deadline checks rarely.
                            REPORT_SCHEDULE_KINDS="", REFERRAL_DEADLINE_CHECK_SECONDS="3600")
    process = faults.Worker(tmp_path, env, name="outbox")
    process.start()
    faults.wait_for(lambda: " ready." in process.text(), seconds=90, what=process.tail)
    yield process, env
    process.stop()


def test_referral_sent_while_redis_is_down_is_saved_and_emailed_once_when_it_returns(
        worker, redis, tmp_path, caseworker, police_agency, police_officer, regions):
    process, env = worker
    with_email(caseworker, "pendamping@contoh.simpul.test")
    with_email(police_officer, POLICE_ADDRESS)
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker)

    redis.crash()
    data = {"victim": case.victims.get().pk, "receiving_agency": police_agency.pk, "services": ["penegakan_hukum"],
            "urgency": "segera", "reason": "Ancaman berulang dari pelaku.", "action": "send"}
    answer = json.loads(faults.django(POST_REFERRAL.format(username=caseworker.username,
                                                           url=f"/rujukan/kirim/{case.pk}/", data=data), env))

    # The caseworker is taken to the referral's page, as on any day, and without a long wait.
    assert answer["chain"] == [302] and answer["status"] == 200, answer
    assert answer["seconds"] < 15, answer
    referral = Referral.objects.get()
    notice = Notification.objects.get(kind="baru", recipient=police_officer)
    message = OutboxMessage.objects.get(kind="inbox.notification_email")
    assert message.payload == {"notification_id": notice.pk} and message.status == OutboxMessage.Status.PENDING
    time.sleep(3)  # three relay ticks' worth: none can run while Redis is down
    assert faults.emails(tmp_path) == []

    redis.start()
    faults.wait_for(lambda: faults.emails(tmp_path), seconds=120, what=process.tail)
    time.sleep(5)  # five more relay ticks: a second e-mail, if any, would be written by now
    emails = faults.emails(tmp_path)
    assert len(emails) == 1, emails
    assert f"To: {POLICE_ADDRESS}" in emails[0] and referral.number in emails[0]
    assert referral.victim.survivor_code not in emails[0]
    message.refresh_from_db()
    notice.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and notice.emailed_at is not None
    assert process.alive()

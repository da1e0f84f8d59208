"""The bell and the notifications page: a person sees only their own notices, opening one marks it read and
follows its link, and the page's queries do not grow with the notices."""

import pytest

from inbox import services
from inbox.models import Notification
from tests.conftest import assert_hidden, client_for
from tests.referrals.conftest import new_case, record_sharing_consent, send


@pytest.fixture
def referral(caseworker, police_officer, regions):
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker)
    return send(caseworker, case, police_officer.agency)


def test_bell_counts_unread_and_opening_marks_read(referral, police_officer):
    client = client_for(police_officer)
    home = client.get("/").content.decode()
    assert 'data-testid="unread-count">1<' in home and 'href="/pemberitahuan/"' in home
    notification = Notification.objects.get(recipient=police_officer)
    listing = client.get("/pemberitahuan/").content.decode()
    assert f"Rujukan baru {referral.number} dari UPTD PPA Uji" in listing
    response = client.post(f"/pemberitahuan/{notification.pk}/buka/")
    assert response["Location"] == f"/rujukan/{referral.pk}/"
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_someone_elses_notification_is_404(referral, police_officer, caseworker):
    notification = Notification.objects.get(recipient=police_officer)
    assert client_for(caseworker).post(f"/pemberitahuan/{notification.pk}/buka/").status_code == 404
    assert f"Rujukan baru {referral.number}" not in client_for(caseworker).get("/pemberitahuan/").content.decode()
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read(referral, caseworker, police_officer):
    from referrals import services as referral_services

    referral_services.referral_accept(referral=referral, actor=police_officer)
    referral_services.referral_message(referral=referral, actor=police_officer, text="Jadwal besok.")
    assert Notification.objects.filter(recipient=caseworker, read_at__isnull=True).count() == 2
    response = client_for(caseworker).post("/pemberitahuan/dibaca/")
    assert response["Location"] == "/pemberitahuan/"
    assert not Notification.objects.filter(recipient=caseworker, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=police_officer, read_at__isnull=True).exists()  # only one's own


def test_a_notice_without_a_link_opens_the_notifications_page(caseworker):
    notice, = services.notify(recipients=[caseworker], kind=services.Kind.REPORT_READY, params={"report": "uji"})
    assert client_for(caseworker).post(f"/pemberitahuan/{notice.pk}/buka/")["Location"] == "/pemberitahuan/"


def test_the_anonymous_are_sent_to_login_and_get_is_refused_on_actions(caseworker):
    assert_hidden(client_for(None).get("/pemberitahuan/"))
    for url in ("/pemberitahuan/1/buka/", "/pemberitahuan/dibaca/"):
        assert_hidden(client_for(None).post(url))
    assert client_for(caseworker).get("/pemberitahuan/dibaca/").status_code == 405


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_queries_do_not_grow_with_notices(caseworker, count, django_assert_max_num_queries):
    for _ in range(count):
        services.notify(recipients=[caseworker], kind=services.Kind.REPORT_READY, params={"report": "uji"})
    client = client_for(caseworker)
    with django_assert_max_num_queries(8):
        assert client.get("/pemberitahuan/").status_code == 200


def test_officials_have_their_page_and_patbm_staff_none(patbm_staff, official):
    # PATBM and PUSPAGA staff take no part in case hand-offs, so core.policy gives them no bell and no page.
    page = client_for(official).get("/pemberitahuan/").content.decode()
    assert "Belum ada pemberitahuan." in page
    assert client_for(patbm_staff).get("/pemberitahuan/").status_code == 404

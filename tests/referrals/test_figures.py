"""Network figures per receiving agency, computed in the database for the reports: time to accept (median),
decline rate, completion rate, overdue count."""

from datetime import timedelta

from django.utils import timezone

from referrals import services
from referrals.models import Referral
from referrals.selectors import network_figures
from tests.referrals.conftest import new_case, record_sharing_consent, send


def _referral(caseworker, agency, *, accepted_after=None, sent_hours_ago=48):
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker, [agency.agency_type])
    referral = send(caseworker, case, agency)
    # Time passes: the referral was sent `sent_hours_ago` hours ago (deadlines move with it).
    shift = timedelta(hours=sent_hours_ago)
    Referral.objects.filter(pk=referral.pk).update(sent_at=referral.sent_at - shift, due_at=referral.due_at - shift,
                                                   escalate_at=referral.escalate_at - shift)
    referral.refresh_from_db()
    if accepted_after is not None:
        Referral.objects.filter(pk=referral.pk).update(status="diterima", answered_at=referral.sent_at + accepted_after)
        referral.refresh_from_db()
    return referral


def test_figures_per_agency(caseworker, police_agency, police_officer, hospital, nurse, regions,
                            django_assert_max_num_queries):
    # Police: accepted after 1 h, 3 h and 30 h (late: segera allows 24 h), one declined, one still new and overdue.
    quick = _referral(caseworker, police_agency, accepted_after=timedelta(hours=1))
    _referral(caseworker, police_agency, accepted_after=timedelta(hours=3))
    _referral(caseworker, police_agency, accepted_after=timedelta(hours=30))
    declined = _referral(caseworker, police_agency)
    services.referral_decline(referral=declined, actor=police_officer, reason="Bukan kewenangan.")
    _referral(caseworker, police_agency)
    services.referral_complete(referral=quick, actor=police_officer, outcome="Selesai diproses.")
    # Hospital: two accepted after 2 h and 4 h (median of an even count: 3 h), sent recently.
    _referral(caseworker, hospital, accepted_after=timedelta(hours=2), sent_hours_ago=5)
    _referral(caseworker, hospital, accepted_after=timedelta(hours=4), sent_hours_ago=5)

    today = timezone.localdate()
    with django_assert_max_num_queries(2):
        figures = {f.agency_name: f for f in network_figures(start=today - timedelta(days=7), end=today)}
    police, rsud = figures["Unit PPA Polres Uji"], figures["RSUD Uji"]
    assert (police.received, police.accepted, police.declined, police.done) == (5, 3, 1, 1)
    assert police.median_time_to_accept == timedelta(hours=3)
    assert police.decline_rate == 0.25 and police.completion_rate == 1 / 3
    # Answered late: accepted after 30 h, declined two days after sending; and the one never answered.
    assert police.overdue == 3
    assert rsud.median_time_to_accept == timedelta(hours=3) and rsud.overdue == 0
    assert rsud.decline_rate == 0.0


def test_figures_count_by_the_sent_date(caseworker, police_agency, police_officer, regions):
    _referral(caseworker, police_agency, accepted_after=timedelta(hours=1), sent_hours_ago=24 * 40)
    today = timezone.localdate()
    assert network_figures(start=today - timedelta(days=7), end=today) == []
    [police] = network_figures(start=today - timedelta(days=60), end=today)
    assert police.received == 1 and police.completion_rate == 0.0

"""seed_demo adds synthetic prevention records once: a second run adds nothing."""

from django.core.management import call_command

from agencies.regions import regions_load
from demo.prevention import LAST_NAMES
from inbox.models import IntakeRequest
from prevention.models import PatbmActivist, PatbmActivity, PatbmGroup, PreventionActivity, PuspagaSession


def _counts() -> tuple[int, ...]:
    return (PatbmGroup.objects.count(), PatbmActivist.objects.count(), PatbmActivity.objects.count(),
            PuspagaSession.objects.count(), PreventionActivity.objects.count(),
            IntakeRequest.objects.filter(puspaga_session__isnull=False).count())


def test_seed_demo_adds_prevention_records_across_the_district_once(db, settings):
    settings.DEBUG = True
    regions_load(district_code="73.22")
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    groups, activists, activities, sessions, prevention, referred = first
    assert groups == 12 and activities > 12 and sessions == 18 and prevention == 10 and referred == 1
    assert PatbmGroup.objects.values("village__parent").distinct().count() == 5
    assert PatbmGroup.objects.filter(is_active=False).count() == 2
    # Every activist is invented: their surname says so.
    assert all(name.split()[-1] in LAST_NAMES for name in PatbmActivist.objects.values_list("name", flat=True))
    assert activists >= 4 * groups
    # The demo PATBM account runs groups in Masamba; the PUSPAGA account holds the sessions.
    assert PatbmGroup.objects.filter(agency__staff__username="patbm", village__parent_id="73.22.03").count() == 5
    assert PuspagaSession.objects.filter(agency__staff__username="puspaga").count() == 18
    # Kinds and places: campaigns, a meeting, training, village and kecamatan sosialisasi.
    assert set(PreventionActivity.objects.values_list("kind", flat=True)) == {
        "kampanye_medsos", "rakor", "pelatihan", "sosialisasi"}
    assert PreventionActivity.objects.filter(kecamatan__isnull=True).count() == 3
    assert PreventionActivity.objects.filter(village__isnull=False).count() == 4

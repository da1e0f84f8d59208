"""Prevention activities: sosialisasi, social-media campaigns, training and coordination meetings."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from prevention.models import PreventionActivity, PreventionActivityTopic
from prevention.services import PreventionError
from tests.conftest import assert_hidden, client_for
from tests.prevention.conftest import MASAMBA_VILLAGE, record_activity

pytestmark = pytest.mark.usefixtures("regions")


def test_an_activity_in_a_village_carries_its_kecamatan_and_several_topics(patbm_staff):
    activity = record_activity(patbm_staff, date.today(), village_code=MASAMBA_VILLAGE,
                               topics=["tpks", "kbgo", "tpks"])
    assert (activity.village_id, activity.kecamatan_id, activity.agency) == (MASAMBA_VILLAGE, "73.22.03",
                                                                             patbm_staff.agency)
    assert sorted(PreventionActivityTopic.objects.filter(activity=activity).values_list("topic", flat=True)) == [
        "kbgo", "tpks"]


def test_an_activity_can_be_for_a_kecamatan_or_the_whole_district(supervisor):
    kecamatan_wide = record_activity(supervisor, date.today(), kecamatan_code="73.22.07", title="Sosialisasi Seko")
    district_wide = record_activity(supervisor, date.today(), title="Rakor kabupaten", kind="rakor")
    assert (kecamatan_wide.kecamatan_id, kecamatan_wide.village_id) == ("73.22.07", None)
    assert (district_wide.kecamatan_id, district_wide.village_id) == (None, None)
    assert str(district_wide.area_label) == "Seluruh kabupaten" and kecamatan_wide.area_label == "Kec. Seko"


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(kind="kampanye_medsos", platform="", reach=100), "Kampanye media sosial: pilih platformnya."),
    (dict(kind="kampanye_medsos", platform="tiktok", reach=None), "Kampanye media sosial: isi jangkauannya"),
    (dict(people=0), "Isi jumlah peserta: setidaknya satu peserta."),
    (dict(topics=[]), "Pilih setidaknya satu topik."),
    (dict(village_code=MASAMBA_VILLAGE, kecamatan_code="73.22.07"), "Desa yang dipilih tidak berada di kecamatan itu."),
    (dict(title=" "), "Tuliskan nama kegiatan."),
])
def test_activity_rules_are_explained(supervisor, kwargs, message):
    with pytest.raises(PreventionError, match=message):
        record_activity(supervisor, date.today(), **kwargs)
    assert not PreventionActivity.objects.exists()


def test_a_campaign_records_platform_reach_and_engagement_and_nothing_else_does(supervisor):
    campaign = record_activity(supervisor, date.today(), kind="kampanye_medsos", platform="instagram", reach=5400,
                               engagement=320)
    assert (campaign.platform, campaign.reach, campaign.engagement, campaign.participants_total) == (
        "instagram", 5400, 320, 0)
    meeting = record_activity(supervisor, date.today(), kind="rakor", platform="instagram", reach=10)
    assert (meeting.platform, meeting.reach, meeting.engagement) == ("", None, None)


def test_police_caseworkers_and_administrators_do_not_record_activities(personas):
    for key in ("police_officer", "caseworker", "sysadmin", "official"):
        with pytest.raises(PreventionError, match="Peran Anda tidak mencatat kegiatan pencegahan."):
            record_activity(personas[key], date.today())


def test_the_form_records_a_village_activity_by_its_area_choice(puspaga_staff):
    client = client_for(puspaga_staff)
    form = client.get("/pencegahan/kegiatan/baru/").content.decode()
    assert "Seluruh Kec. Masamba" in form and "Pincara" in form
    response = client.post("/pencegahan/kegiatan/baru/", {
        "kind": "sosialisasi", "title": "Sosialisasi parenting", "held_on": timezone.localdate().isoformat(),
        "topics": ["kdrt", "perkawinan_anak"], "area": MASAMBA_VILLAGE, "target_group": "orang_tua",
        "participants_male_child": "", "participants_female_child": "", "participants_male_adult": "6",
        "participants_female_adult": "14", "platform": "", "reach": "", "engagement": "", "budget_line": "",
        "notes": ""})
    activity = PreventionActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pencegahan/kegiatan/{activity.pk}/"
    assert (activity.village_id, activity.kecamatan_id, activity.participants_total) == (MASAMBA_VILLAGE, "73.22.03",
                                                                                         20)
    page = client.get(response["Location"]).content.decode()
    assert "Pincara" in page and "KDRT" in page and "Perkawinan anak" in page


def test_the_form_keeps_what_was_typed_when_a_campaign_lacks_its_reach(supervisor):
    response = client_for(supervisor).post("/pencegahan/kegiatan/baru/", {
        "kind": "kampanye_medsos", "title": "Kampanye cegah KBGO", "held_on": timezone.localdate().isoformat(),
        "topics": ["kbgo"], "area": "", "target_group": "remaja", "platform": "tiktok", "reach": "",
        "engagement": "", "budget_line": "APBD", "notes": ""})
    page = response.content.decode()
    assert "Kampanye media sosial: isi jangkauannya (jumlah akun yang melihat)." in page
    assert 'value="Kampanye cegah KBGO"' in page and 'value="APBD"' in page
    assert not PreventionActivity.objects.exists()


def test_staff_see_their_own_agency_activities_overseers_see_all(patbm_staff, puspaga_staff, supervisor, official):
    own = record_activity(patbm_staff, date.today(), title="Kegiatan PATBM sendiri")
    theirs = record_activity(puspaga_staff, date.today(), title="Kegiatan PUSPAGA")
    patbm_page = client_for(patbm_staff).get("/pencegahan/kegiatan/").content.decode()
    assert "Kegiatan PATBM sendiri" in patbm_page and "Kegiatan PUSPAGA" not in patbm_page
    assert_hidden(client_for(patbm_staff).get(f"/pencegahan/kegiatan/{theirs.pk}/"))
    assert_hidden(client_for(puspaga_staff).get(f"/pencegahan/kegiatan/{own.pk}/ubah/"))
    for overseer in (supervisor, official):
        page = client_for(overseer).get("/pencegahan/kegiatan/").content.decode()
        assert "Kegiatan PATBM sendiri" in page and "Kegiatan PUSPAGA" in page
        assert_hidden(client_for(overseer).get(f"/pencegahan/kegiatan/{own.pk}/ubah/"))


def test_police_caseworkers_and_outsiders_get_404_on_activity_pages(patbm_staff, personas):
    activity = record_activity(patbm_staff, date.today())
    for key in ("police_officer", "caseworker", "outsider", "sysadmin"):
        client = client_for(personas[key])
        for url in ("/pencegahan/kegiatan/", "/pencegahan/kegiatan/baru/", f"/pencegahan/kegiatan/{activity.pk}/",
                    f"/pencegahan/kegiatan/{activity.pk}/ubah/"):
            assert_hidden(client.get(url))


def test_filters_and_query_budget_of_the_activity_list(supervisor, django_assert_max_num_queries):
    for n in range(15):
        record_activity(supervisor, date.today() - timedelta(days=n), village_code=MASAMBA_VILLAGE if n % 2 else None,
                        kecamatan_code=None, topics=["kdrt", "tppo"] if n % 3 else ["perundungan"],
                        title=f"Kegiatan {n:02d}")
    client = client_for(supervisor)
    with django_assert_max_num_queries(9):  # +1: the second factor's device (django-otp)
        page = client.get("/pencegahan/kegiatan/").content.decode()
    assert page.count("Kegiatan 0") + page.count("Kegiatan 1") == 15
    filtered = client.get("/pencegahan/kegiatan/", {"topic": "perundungan", "kecamatan": "73.22.03"}).content.decode()
    # n % 3 == 0 is bullying; of those, odd n are in Masamba: 3 and 9.
    assert "Kegiatan 03" in filtered and "Kegiatan 09" in filtered and "Kegiatan 06" not in filtered
    assert "Kegiatan 01" not in filtered

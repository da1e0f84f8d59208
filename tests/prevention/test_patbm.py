"""PATBM groups, their activists and activities: the rules, the pages and who may open them."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agencies.models import Region
from core.models import AuditEvent
from prevention import services
from prevention.models import PatbmActivist, PatbmActivity, PatbmActivityPhoto, PatbmGroup
from prevention.services import Participants, PreventionError
from tests.conftest import assert_hidden, client_for
from tests.prevention.conftest import MASAMBA_VILLAGE, make_group, record_patbm_activity

pytestmark = pytest.mark.usefixtures("regions")


def _jpeg(width: int = 64, height: int = 48, *, gps: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera Uji"  # Make
    if gps:
        exif[0x8825] = {1: "S", 2: (2.0, 34.0, 0.0), 3: "E", 4: (120.0, 19.0, 0.0)}  # GPSInfo near Masamba
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "kegiatan.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Services --------------------------------------------------------------------------------------

def test_patbm_staff_registers_the_group_of_a_village_for_their_agency(patbm_staff):
    group = make_group(patbm_staff, facilitator="Fasilitator Sintetis")
    assert (group.village_id, group.agency, group.is_active) == (MASAMBA_VILLAGE, patbm_staff.agency, True)
    event = AuditEvent.objects.get(action="prevention.patbm_group.create")
    assert event.object_label == f"PATBM {MASAMBA_VILLAGE}"


def test_a_village_has_one_patbm_group(patbm_staff, other_patbm_staff):
    make_group(patbm_staff)
    with pytest.raises(PreventionError, match="Desa Pincara sudah memiliki kelompok PATBM."):
        make_group(other_patbm_staff)


@pytest.mark.parametrize(("fields", "message"), [
    (dict(sk_number="188/1", sk_date=None), "Nomor SK dan tanggal SK diisi bersama"),
    (dict(sk_number="", sk_date=date(2024, 1, 1)), "Nomor SK dan tanggal SK diisi bersama"),
    (dict(sk_date=date.today() + timedelta(days=2)), "Tanggal tidak boleh di masa depan."),
])
def test_group_decree_rules_are_explained(patbm_staff, fields, message):
    with pytest.raises(PreventionError, match=message):
        make_group(patbm_staff, **fields)
    assert not PatbmGroup.objects.exists()


def test_a_group_belongs_to_a_desa_or_kelurahan_not_a_kecamatan(patbm_staff):
    with pytest.raises(PreventionError, match="Pilih sebuah desa atau kelurahan."):
        make_group(patbm_staff, village_code="73.22.03")


def test_only_patbm_staff_record_patbm_groups(supervisor, police_officer, puspaga_staff, patbm_staff,
                                              other_patbm_staff):
    for actor in (supervisor, police_officer, puspaga_staff):
        with pytest.raises(PreventionError, match="Hanya petugas PATBM"):
            make_group(actor)
    group = make_group(patbm_staff)
    with pytest.raises(PreventionError, match="Hanya petugas PATBM"):
        record_patbm_activity(group, other_patbm_staff, date.today())


def test_activists_keep_only_what_is_needed_and_their_names_stay_out_of_the_audit(patbm_staff):
    group = make_group(patbm_staff)
    activist = services.patbm_activist_add(group=group, actor=patbm_staff, name="Aktivis Sintetis", sex="P",
                                           age_group="25-44", role="ketua", training="Pelatihan Aktivis PATBM")
    services.patbm_activist_update(activist=activist, actor=patbm_staff, name="Aktivis Sintetis", sex="P",
                                   age_group="25-44", role="anggota", training="", is_active=False)
    activist.refresh_from_db()
    assert (activist.role, activist.is_active) == ("anggota", False)
    events = AuditEvent.objects.filter(action__startswith="prevention.patbm_activist")
    assert events.count() == 2
    assert all("Sintetis" not in str(e.details) + e.object_label for e in events)
    assert list(events.filter(action="prevention.patbm_activist.update").values_list("details", flat=True)) == [
        {"changed": ["role", "training", "is_active"]}]


def test_activity_records_participants_by_sex_and_child_adult(patbm_staff):
    group = make_group(patbm_staff)
    activity = services.patbm_activity_record(
        group=group, actor=patbm_staff, held_on=date.today(), level="anak", topic="Forum Anak",
        participants=Participants(male_child=7, female_child=9, male_adult=1, female_adult=2))
    assert (activity.participants_male_child, activity.participants_female_child, activity.participants_male_adult,
            activity.participants_female_adult, activity.participants_total) == (7, 9, 1, 2, 19)


@pytest.mark.parametrize(("change", "message"), [
    (dict(held_on=date.today() + timedelta(days=1)), "Tanggal tidak boleh di masa depan."),
    (dict(participants=Participants()), "Isi jumlah peserta: setidaknya satu peserta."),
    (dict(topic="  "), "Tuliskan topik kegiatan."),
])
def test_activity_rules_are_explained(patbm_staff, change, message):
    group = make_group(patbm_staff)
    values = dict(held_on=date.today(), level="keluarga", topic="Kelas pengasuhan",
                  participants=Participants(female_adult=4)) | change
    with pytest.raises(PreventionError, match=message):
        services.patbm_activity_record(group=group, actor=patbm_staff, **values)
    assert not PatbmActivity.objects.exists()


def test_photos_are_stored_privately_without_their_location(patbm_staff, private_media):
    group = make_group(patbm_staff)
    activity = record_patbm_activity(group, patbm_staff, date.today(),
                                     photos=[_upload(_jpeg(gps=True), name="Foto Ani di rumah.jpg")])
    photo = activity.photos.get()
    path = private_media / photo.image.name
    assert path.exists() and str(path).startswith(str(private_media))
    assert "Ani" not in photo.image.name  # the uploaded file's own name is not kept
    assert path.read_bytes()[:3] != b"\xff\xd8\xff"  # on disk only ciphertext (core.crypto), not a JPEG
    with photo.image.open("rb") as opened, Image.open(opened) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert dict(stored.getexif()) == {}  # no camera, no GPS position


def test_a_photo_that_is_not_a_jpg_or_png_is_refused_and_nothing_is_saved(patbm_staff, private_media):
    group = make_group(patbm_staff)
    bad = _upload(b"%PDF-1.4 bukan foto", name="surat.jpg")
    with pytest.raises(PreventionError, match="Foto ke-2 bukan foto JPG atau PNG yang dapat dibuka."):
        record_patbm_activity(group, patbm_staff, date.today(), photos=[_upload(_jpeg()), bad])
    assert not PatbmActivity.objects.exists() and not PatbmActivityPhoto.objects.exists()
    assert not any(p.is_file() for p in private_media.rglob("*")) if private_media.exists() else True


def test_a_photo_larger_than_5_mb_is_refused_with_its_size(patbm_staff, settings):
    group = make_group(patbm_staff)
    activity = record_patbm_activity(group, patbm_staff, date.today())
    big = _upload(_jpeg() + b"\0" * (6 * 1024 * 1024))
    with pytest.raises(PreventionError, match=r"Foto ke-1 terlalu besar \(6\.0 MB\)\. Ukuran foto paling besar 5 MB\."):
        services.patbm_photos_add(activity=activity, actor=patbm_staff, photos=[big])


def test_an_activity_has_at_most_six_photos(patbm_staff):
    group = make_group(patbm_staff)
    activity = record_patbm_activity(group, patbm_staff, date.today(), photos=[_upload(_jpeg()) for _ in range(5)])
    with pytest.raises(PreventionError, match="Paling banyak 6 foto untuk satu kegiatan."):
        services.patbm_photos_add(activity=activity, actor=patbm_staff, photos=[_upload(_jpeg()), _upload(_jpeg())])
    assert activity.photos.count() == 5


# --- Pages -----------------------------------------------------------------------------------------

def test_patbm_staff_record_an_activity_through_the_form(patbm_staff):
    group = make_group(patbm_staff)
    client = client_for(patbm_staff)
    response = client.post(f"/pencegahan/patbm/{group.pk}/kegiatan/baru/", {
        "held_on": timezone.localdate().isoformat(), "level": "komunitas", "topic": "Pertemuan warga",
        "participants_male_child": "0", "participants_female_child": "3", "participants_male_adult": "8",
        "participants_female_adult": "11", "notes": "", "photos": [_upload(_jpeg())]})
    activity = PatbmActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pencegahan/patbm/kegiatan/{activity.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Pertemuan warga" in page and "Komunitas" in page and "Pincara" in page
    photo = activity.photos.get()
    assert f"/pencegahan/patbm/foto/{photo.pk}/" in page
    served = client.get(f"/pencegahan/patbm/foto/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_the_form_keeps_what_was_typed_and_explains_the_refusal(patbm_staff):
    group = make_group(patbm_staff)
    response = client_for(patbm_staff).post(f"/pencegahan/patbm/{group.pk}/kegiatan/baru/", {
        "held_on": timezone.localdate().isoformat(), "level": "anak", "topic": "Forum Anak desa",
        "participants_male_child": "0", "participants_female_child": "0", "participants_male_adult": "0",
        "participants_female_adult": "0", "notes": "Catatan yang diketik"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Isi jumlah peserta: setidaknya satu peserta." in page
    assert 'value="Forum Anak desa"' in page and "Catatan yang diketik" in page
    assert not PatbmActivity.objects.exists()


def test_a_bad_photo_in_the_form_gets_a_message_in_indonesian(patbm_staff):
    group = make_group(patbm_staff)
    response = client_for(patbm_staff).post(f"/pencegahan/patbm/{group.pk}/kegiatan/baru/", {
        "held_on": timezone.localdate().isoformat(), "level": "anak", "topic": "Forum Anak",
        "participants_male_child": "4", "participants_female_child": "0", "participants_male_adult": "0",
        "participants_female_adult": "0", "photos": [_upload(b"GIF89a...", name="a.gif", content_type="image/gif")]})
    page = response.content.decode()
    assert "Foto ke-1 bukan foto JPG atau PNG yang dapat dibuka. Unggah foto berformat JPG atau PNG." in page
    assert "Pilih ulang fotonya" in page
    assert 'value="Forum Anak"' in page


def test_group_page_names_activists_but_the_list_does_not(patbm_staff, supervisor):
    group = make_group(patbm_staff)
    services.patbm_activist_add(group=group, actor=patbm_staff, name="Nama Aktivis Sintetis", sex="L",
                                age_group="18-24", role="anggota")
    for user in (patbm_staff, supervisor):
        client = client_for(user)
        listing = client.get("/pencegahan/patbm/").content.decode()
        assert "Pincara" in listing and "Nama Aktivis Sintetis" not in listing
        detail = client.get(f"/pencegahan/patbm/{group.pk}/").content.decode()
        assert "Nama Aktivis Sintetis" in detail


def test_supervisors_and_officials_see_groups_but_do_not_change_them(patbm_staff, supervisor, official):
    group = make_group(patbm_staff)
    activity = record_patbm_activity(group, patbm_staff, date.today())
    for user in (supervisor, official):
        client = client_for(user)
        assert client.get(f"/pencegahan/patbm/{group.pk}/").status_code == 200
        assert client.get(f"/pencegahan/patbm/kegiatan/{activity.pk}/").status_code == 200
        for url in (f"/pencegahan/patbm/{group.pk}/ubah/", f"/pencegahan/patbm/{group.pk}/kegiatan/baru/",
                    f"/pencegahan/patbm/kegiatan/{activity.pk}/ubah/", "/pencegahan/patbm/baru/"):
            assert_hidden(client.get(url))


def test_another_patbm_agency_and_everyone_else_get_404(patbm_staff, other_patbm_staff, personas, puspaga_staff):
    group = make_group(patbm_staff)
    activist = services.patbm_activist_add(group=group, actor=patbm_staff, name="Aktivis", sex="P",
                                           age_group="25-44", role="anggota")
    activity = record_patbm_activity(group, patbm_staff, date.today(), photos=[_upload(_jpeg())])
    photo = activity.photos.get()
    urls = [f"/pencegahan/patbm/{group.pk}/", f"/pencegahan/patbm/{group.pk}/ubah/",
            f"/pencegahan/patbm/{group.pk}/aktivis/baru/", f"/pencegahan/patbm/aktivis/{activist.pk}/ubah/",
            f"/pencegahan/patbm/{group.pk}/kegiatan/baru/", f"/pencegahan/patbm/kegiatan/{activity.pk}/",
            f"/pencegahan/patbm/kegiatan/{activity.pk}/ubah/", f"/pencegahan/patbm/foto/{photo.pk}/"]
    outsiders = [other_patbm_staff, puspaga_staff, personas["outsider"], personas["police_officer"],
                 personas["caseworker"], personas["sysadmin"], None]
    for user in outsiders:
        client = client_for(user)
        for url in urls:
            assert_hidden(client.get(url))
        assert_hidden(client.post(f"/pencegahan/patbm/kegiatan/{activity.pk}/foto/", {}))
    assert client_for(other_patbm_staff).get("/pencegahan/patbm/").content.decode().count("Pincara") == 0


def test_group_list_and_page_have_a_fixed_query_budget(patbm_staff, supervisor, django_assert_max_num_queries):
    villages = Region.objects.filter(parent_id="73.22.03", level__in=["desa", "kelurahan"]).order_by("code")[:8]
    for village in villages:
        group = make_group(patbm_staff, village_code=village.code)
        for n in range(3):
            services.patbm_activist_add(group=group, actor=patbm_staff, name=f"Aktivis {n}", sex="P",
                                        age_group="25-44", role="anggota")
            record_patbm_activity(group, patbm_staff, date.today() - timedelta(days=n))
    client = client_for(supervisor)
    with django_assert_max_num_queries(8):  # +1: the second factor's device (django-otp)
        response = client.get("/pencegahan/patbm/")
    assert response.content.decode().count("/pencegahan/patbm/") >= 8
    with django_assert_max_num_queries(9):  # +1: the second factor's device (django-otp)
        assert client.get(f"/pencegahan/patbm/{group.pk}/").status_code == 200
    assert PatbmActivist.objects.count() == 24


def test_photos_are_added_from_the_activity_page(patbm_staff, supervisor):
    group = make_group(patbm_staff)
    activity = record_patbm_activity(group, patbm_staff, date.today())
    client = client_for(patbm_staff)
    assert "Unggah foto" in client.get(f"/pencegahan/patbm/kegiatan/{activity.pk}/").content.decode()
    overseer_page = client_for(supervisor).get(f"/pencegahan/patbm/kegiatan/{activity.pk}/").content.decode()
    assert "Unggah foto" not in overseer_page
    refused = client.post(f"/pencegahan/patbm/kegiatan/{activity.pk}/foto/",
                          {"photos": [_upload(b"bukan foto", name="x.png", content_type="image/png")]})
    assert "Foto ke-1 bukan foto JPG atau PNG" in refused.content.decode() and not activity.photos.exists()
    response = client.post(f"/pencegahan/patbm/kegiatan/{activity.pk}/foto/",
                           {"photos": [_upload(_jpeg()), _upload(_jpeg(30, 30))]})
    assert response.status_code == 302 and activity.photos.count() == 2
    assert "2 foto diunggah." in client.get(response["Location"]).content.decode()

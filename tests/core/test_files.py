"""Files written whole (core/files.py) and bounded uploads (issue 11).

A real full disk (a 1 MB tmpfs) and a real read-only one (the same remounted ro): the form says in Indonesian
that the file was not stored and keeps what was typed; no record, no audit row, no file (whole or partial) is
left. A request larger than SIMPUL_MAX_REQUEST_MB gets the 413 page. Six large photos in one request stay
under the memory ceiling stated in the README.
"""

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.models import Attachment
from core.models import AuditEvent
from prevention.models import PatbmActivity, PatbmActivityPhoto
from tests.cases.test_records import PDF
from tests.conftest import client_for, register_case
from tests.prevention.conftest import make_group

# The ceiling stated in the README ("Memory ceiling of a web process"): the peak growth of a web process's
# resident memory while it takes six 35-megapixel photos in one request.
PHOTO_REQUEST_PEAK_GROWTH_MB = 150


def _mount(directory: Path, *options: str) -> None:
    done = subprocess.run(["mount", *options, str(directory)], capture_output=True, text=True)
    if done.returncode != 0:
        reason = f"needs to mount a small tmpfs (root, mount permitted): {done.stderr.strip()}"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path, settings):
    """A real 1 MB filesystem as the private file store."""
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount(disk, "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "core.files.WholeFileSystemStorage", "OPTIONS": {"location": str(disk)}}}
    settings.MEDIA_ROOT = disk
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _files(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*") if path.is_file())


def test_an_attachment_on_a_full_disk_is_refused_with_a_message_and_leaves_nothing(small_disk, caseworker, regions):
    case = register_case(caseworker)
    client = client_for(caseworker)
    audit_before = AuditEvent.objects.count()
    too_big_for_the_disk = PDF + b"%" * (2 * 1024 * 1024)  # 2 MB: within the 10 MB limit, beyond the disk
    response = client.post(reverse("cases:attach", args=[case.pk]), {
        "document_type": "visum", "file": SimpleUploadedFile("visum.pdf", too_big_for_the_disk)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas tidak tersimpan: ruang penyimpanan server penuh." in page
    assert '<option value="visum" selected>' in page  # the form keeps the choice made
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == audit_before  # nothing recorded: the upload did not happen
    assert _files(small_disk) == []  # no truncated file, no temporary one
    # The disk is not broken for what fits: a small file is stored whole, under its final name.
    response = client_for(caseworker).post(reverse("cases:attach", args=[case.pk]), {
        "document_type": "visum", "file": SimpleUploadedFile("visum.pdf", PDF)})
    assert response.status_code == 302
    assert _files(small_disk) == [Attachment.objects.get().file.name]


def test_a_read_only_disk_is_refused_with_a_message_and_leaves_nothing(small_disk, caseworker, regions):
    case = register_case(caseworker)
    client = client_for(caseworker)
    _mount(small_disk, "-o", "remount,ro")
    audit_before = AuditEvent.objects.count()
    response = client.post(reverse("cases:attach", args=[case.pk]), {
        "document_type": "foto", "file": SimpleUploadedFile("v.pdf", PDF)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas tidak tersimpan: penyimpanan server sedang tidak dapat ditulisi." in page
    assert '<option value="foto" selected>' in page
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == audit_before
    assert _files(small_disk) == []


def _photo(width: int, height: int, *, seed: int = 40) -> bytes:
    """A camera-sized JPEG under 5 MB: noise blown up, so it decodes to width x height x 3 bytes."""
    image = Image.effect_noise((width // 12, height // 12), seed).convert("RGB").resize((width, height))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _activity_form(photos: list[bytes]) -> dict:
    return {"held_on": timezone.localdate().isoformat(), "level": "komunitas", "topic": "Pertemuan warga",
            "participants_male_child": "0", "participants_female_child": "3", "participants_male_adult": "8",
            "participants_female_adult": "11", "notes": "Catatan yang diketik",
            "photos": [SimpleUploadedFile(f"kegiatan-{n}.jpg", data, content_type="image/jpeg")
                       for n, data in enumerate(photos, start=1)]}


def test_photos_on_a_disk_that_fills_midway_leave_no_photo_and_no_activity(small_disk, patbm_staff, regions):
    group = make_group(patbm_staff)
    (small_disk / "filler").write_bytes(b"\0" * 700 * 1024)  # the disk is mostly full already
    photos = [_photo(1800, 1200, seed=seed) for seed in (20, 30, 40)]  # each stored photo is a few hundred KB
    client = client_for(patbm_staff)
    audit_before = AuditEvent.objects.count()
    response = client.post(f"/pencegahan/patbm/{group.pk}/kegiatan/baru/", _activity_form(photos))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas tidak tersimpan: ruang penyimpanan server penuh." in page
    assert 'value="Pertemuan warga"' in page and "Catatan yang diketik" in page
    assert not PatbmActivity.objects.exists() and not PatbmActivityPhoto.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    assert _files(small_disk) == ["filler"]  # the photos written before the one that failed are gone too


def test_a_request_larger_than_the_limit_gets_the_413_page(caseworker, regions, settings):
    settings.SIMPUL_MAX_REQUEST_MB = 1
    case = register_case(caseworker)
    response = client_for(caseworker).post(reverse("cases:attach", args=[case.pk]), {
        "document_type": "visum", "file": SimpleUploadedFile("v.pdf", PDF + b"%" * (1024 * 1024))})
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode() and "lebih dari 1 MB" in response.content.decode()
    assert "Content-Security-Policy" in response  # answered inside the security headers, like any page
    assert not Attachment.objects.exists()


# --- The memory ceiling -------------------------------------------------------------------------------------

def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise LookupError(field)


def test_six_large_photos_in_one_request_stay_under_the_memory_ceiling(patbm_staff, regions, tmp_path, settings):
    """The whole request through the test client (multipart parsing, checks, decoding, re-encoding, encryption,
    storing), its peak resident memory measured with Linux's VmHWM, reset just before the request."""
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux's /proc/self/clear_refs to measure the process's peak memory")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "core.files.WholeFileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}}}
    group = make_group(patbm_staff)
    client = client_for(patbm_staff)
    photos = [_photo(7200, 4800, seed=20 + seed) for seed in range(6)]  # 34.6 megapixels: 100 MB decoded
    assert all(len(photo) < 5 * 1024 * 1024 for photo in photos)
    form = _activity_form(photos)
    before = _kib("VmRSS:")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    response = client.post(f"/pencegahan/patbm/{group.pk}/kegiatan/baru/", form)
    growth_mb = (_kib("VmHWM:") - before) / 1024
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert sorted(PatbmActivityPhoto.objects.values_list("width", flat=True)) == [2000] * 6
    print(f"peak RSS growth for six 34.6-megapixel photos in one request: {growth_mb:.0f} MB")
    assert growth_mb < PHOTO_REQUEST_PEAK_GROWTH_MB

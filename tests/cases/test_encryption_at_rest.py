"""Encryption at rest (issue 12, UU 27/2022): after an intake with known values, neither the raw database rows
(read with SQL, not the ORM) nor the files on disk hold any of them in plain; the people who may see the case
still read them, the duplicate check still finds the case by NIK, and a key rotation keeps everything readable.
Runs on SQLite locally and on PostgreSQL in CI."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases.models import Case, Victim
from cases.selectors import possible_duplicates
from core import crypto
from tests.cases.test_intake_views import intake_data, post_intake
from tests.conftest import client_for

NAME = "Melati Rahasiani"
NIK = "7322014509120003"
PHONE = "081234567891"
ADDRESS = "Jalan Anggrek Nomor 17 Masamba"
CHRONOLOGY = "Kronologi rahasia: kejadian di kebun belakang sekolah"
REPORTER = "Pelapor Rahasiawati"
BIRTH = date(2012, 9, 5)
PDF = b"%PDF-1.4\n% ISI-LAMPIRAN-RAHASIA visum Melati\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRETS = [NAME, NIK, PHONE, ADDRESS, CHRONOLOGY, REPORTER, "ISI-LAMPIRAN-RAHASIA", BIRTH.isoformat(), "Melati"]


def _register(caseworker) -> Case:
    data = intake_data(perpetrators=0) | {
        "reporter_name": REPORTER, "reporter_contact": PHONE, "chronology": CHRONOLOGY,
        "korban-0-name": NAME, "korban-0-nik": NIK, "korban-0-birth_date": BIRTH.isoformat(), "korban-0-age": "",
        "korban-0-phone": PHONE, "korban-0-address_detail": ADDRESS}
    response = post_intake(caseworker, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    upload = SimpleUploadedFile(f"visum {NAME}.pdf", PDF, content_type="application/pdf")
    response = client_for(caseworker).post(reverse("cases:attach", args=[case.pk]),
                                           {"document_type": "visum", "file": upload})
    assert response.status_code == 302 and case.attachments.count() == 1
    return case


def _raw_database_text() -> str:
    """Every value of every table, read with SQL (what a stolen dump or backup would show)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the schema
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def _raw_files(root: Path) -> bytes:
    return b"\n".join(path.read_bytes() + path.name.encode() for path in root.rglob("*") if path.is_file())


def test_after_an_intake_no_known_value_is_in_plain_in_the_database_or_on_disk(caseworker, supervisor, regions,
                                                                                private_media):
    case = _register(caseworker)

    dump = _raw_database_text().lower()
    found = [value for value in SECRETS if value.lower() in dump]
    assert found == [], f"in plain in the database: {found}"
    files = _raw_files(private_media)
    assert files and b"ISI-LAMPIRAN-RAHASIA" not in files and b"Melati" not in files and b"%PDF" not in files

    # The team still reads them: the identity section of the case page, and the attachment through its view.
    victim = Victim.objects.get(case=case)
    assert (victim.name, victim.nik, victim.birth_date, victim.phone) == (NAME, NIK, BIRTH, PHONE)
    assert case.attachments.get().original_name == f"visum {NAME}.pdf"
    page = client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert NAME in page and NIK in page
    attachment = case.attachments.get()
    download = client_for(caseworker).get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF

    # The duplicate check at intake still finds the case by NIK, and by name with birth date.
    by_nik = possible_duplicates(user=supervisor, victims=[(NIK, "Nama Lain", None)])
    assert [(m.case_number, m.reason) for m in by_nik] == [(case.number, "nik")]
    by_name = possible_duplicates(user=caseworker, victims=[("", "melati  rahasiani", BIRTH)])
    assert [m.case_number for m in by_name] == [case.number]
    page = client_for(caseworker).post(reverse("cases:duplicates"), {"korban-0-nik": NIK}).content.decode()
    assert case.number in page


def test_rotating_keys_re_encrypts_rows_and_files_and_the_old_key_can_then_go(caseworker, regions, private_media,
                                                                              settings):
    case = _register(caseworker)
    old = settings.FIELD_KEYS[0]
    new = crypto.generate_key()
    settings.FIELD_KEYS = [new, old]  # the new key first: it encrypts; the old one still decrypts
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    new_id = crypto.current_key_id().hex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, nik FROM cases_victim")
        name, nik = cursor.fetchone()
    assert name.startswith(f"sv1${new_id}$") and nik.startswith(f"sv1${new_id}$")

    settings.FIELD_KEYS = [new]  # the old key removed: everything still opens
    victim = Victim.objects.get(case=case)
    assert (victim.name, victim.nik) == (NAME, NIK)
    attachment = case.attachments.get()
    download = client_for(caseworker).get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_a_value_under_an_unknown_key_is_refused_not_shown_as_ciphertext(caseworker, regions, settings):
    case = _register(caseworker)
    settings.FIELD_KEYS = [crypto.generate_key()]
    with pytest.raises(crypto.DecryptionError):
        Victim.objects.get(case=case).name  # noqa: B018


def test_encrypted_columns_refuse_lookups_that_would_silently_match_nothing(db):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="blind index"):
        list(Victim.objects.filter(name__icontains="Melati"))
    with pytest.raises(FieldError, match="encrypted"):
        list(Victim.objects.exclude(name="Melati Rahasiani"))
    assert not Victim.objects.filter(nik="").exists()  # "blank or not" still works

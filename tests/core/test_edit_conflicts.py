"""Edit forms carry the version they were read at. When two people open the same record and both save, the
first is saved and the second is refused: nothing of the first is overwritten, and the second sees the other
person's values beside their own, field by field, with their own typing kept, so that saving again is a
choice made knowing the other change. (Two edits at the same instant, on PostgreSQL:
test_concurrent_submits.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from agencies.models import Role, User
from cases.models import Case
from core.models import AuditEvent
from core.versioning import CONFLICT_MESSAGE, INCOMPLETE_MESSAGE, version_claim
from prevention import services as prevention_services
from prevention.models import PreventionActivity
from tests.conftest import client_for, make_agency, make_user, register_case
from tests.html_forms import PageForm, post_forms
from tests.prevention.conftest import MASAMBA_VILLAGE, make_group, record_activity, record_patbm_activity


def _edit_form(client, url: str) -> PageForm:
    forms = [form for form in post_forms(client.get(url).content.decode()) if "version" in form.fields]
    assert len(forms) == 1
    return forms[0]


def conflicts(response) -> dict[str, tuple[str, str]]:
    """The conflict table as the person reads it: field label -> (stored now, typed by them)."""
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="conflict-stored">(.*?)</td>'
                      r'<td class="conflict-typed">(.*?)</td></tr>', response.content.decode(), re.S)
    return {label: (stored, typed) for label, stored, typed in rows}


def _html(text) -> str:
    return str(text).replace('"', "&quot;").replace("'", "&#x27;")


# --- The two named in the issue -----------------------------------------------------------------------

@pytest.fixture
def second_patbm_staff(patbm_agency) -> User:
    return make_user("patbm_uji_2", Role.PARTNER, patbm_agency)


def test_two_stale_edits_of_a_prevention_activity(patbm_staff, second_patbm_staff, regions):
    activity = record_activity(patbm_staff, date.today(), title="Sosialisasi KDRT", village_code=MASAMBA_VILLAGE)
    url = reverse("prevention:activity_edit", args=[activity.pk])
    ani, budi = client_for(patbm_staff), client_for(second_patbm_staff)
    ani_form, budi_form = _edit_form(ani, url), _edit_form(budi, url)  # both read version 1
    assert ani_form.hidden["version"] == budi_form.hidden["version"] == "1"

    saved = ani.post(url, ani_form.data({"title": "Sosialisasi KDRT di sekolah", "participants_female_adult": "35"}))
    assert saved.status_code == 302
    refused = budi.post(url, budi_form.data({"title": "Sosialisasi KDRT di balai desa", "notes": "Dua sesi"}))

    assert refused.status_code == 200
    assert _html(CONFLICT_MESSAGE) in refused.content.decode()
    assert conflicts(refused) == {
        "Nama kegiatan": ("Sosialisasi KDRT di sekolah", "Sosialisasi KDRT di balai desa"),
        "Perempuan dewasa": ("35", "20"),  # Ani changed it; Budi's form still holds what he read
        "Catatan": ("(kosong)", "Dua sesi"),
    }
    activity.refresh_from_db()
    assert (activity.title, activity.participants_female_adult, activity.notes) == (
        "Sosialisasi KDRT di sekolah", 35, "")
    assert activity.version == 2
    assert AuditEvent.objects.filter(action="prevention.activity.update").count() == 1

    # Budi's typing is kept, and his form now carries the version he has seen: saving again is his choice.
    again = [form for form in post_forms(refused.content.decode()) if "version" in form.fields][0]
    assert again.fields["title"] == ["Sosialisasi KDRT di balai desa"] and again.hidden["version"] == "2"
    assert budi.post(url, again.data()).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.notes, activity.version) == ("Sosialisasi KDRT di balai desa", "Dua sesi", 3)


def test_two_stale_identifications_of_a_case(caseworker, supervisor, regions):
    case = register_case(caseworker)
    url = reverse("cases:identify", args=[case.pk])
    worker, boss = client_for(caseworker), client_for(supervisor)
    worker_form, boss_form = _edit_form(worker, url), _edit_form(boss, url)

    saved = worker.post(url, worker_form.data({"case_type": "ampk", "risk_level": "tinggi",
                                               "responsibility": "kabupaten"}))
    assert saved.status_code == 302
    refused = boss.post(url, boss_form.data({"case_type": "ktp", "risk_level": "rendah",
                                             "responsibility": "provinsi"}))

    assert refused.status_code == 200 and _html(CONFLICT_MESSAGE) in refused.content.decode()
    table = conflicts(refused)
    assert table["Jenis kasus"] == ("AMPK (anak memerlukan perlindungan khusus)",
                                    "KtP (kekerasan terhadap perempuan)")
    assert table["Tingkat risiko"] == ("Tinggi", "Rendah")
    assert table["Kewenangan"] == ("Kabupaten", "Provinsi")
    case.refresh_from_db()
    assert (case.case_type, case.risk_level, case.responsibility, case.stage) == (
        "ampk", "tinggi", "kabupaten", "identifikasi")
    assert AuditEvent.objects.filter(action="case.identify").count() == 1


def test_a_double_click_on_an_edit_form_is_saved_once_without_a_conflict(patbm_staff, regions):
    activity = record_activity(patbm_staff, date.today(), title="Rakor")
    url = reverse("prevention:activity_edit", args=[activity.pk])
    client = client_for(patbm_staff)
    typed = _edit_form(client, url).data({"title": "Rakor lintas sektor"})
    assert client.post(url, typed).status_code == 302
    second = client.post(url, typed)  # stale, but what it says is what is stored: nothing to decide
    assert second.status_code == 302
    assert AuditEvent.objects.filter(action="prevention.activity.update").count() == 1


def test_an_edit_form_without_its_version_saves_nothing(patbm_staff, regions):
    activity = record_activity(patbm_staff, date.today(), title="Rakor")
    url = reverse("prevention:activity_edit", args=[activity.pk])
    client = client_for(patbm_staff)
    typed = _edit_form(client, url).data({"title": "Diubah tanpa versi"})
    del typed["version"]
    response = client.post(url, typed)
    assert response.status_code == 200 and _html(INCOMPLETE_MESSAGE) in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Rakor"


def test_a_service_moves_the_version_only_from_the_version_it_was_read_at(patbm_staff, regions):
    activity = record_activity(patbm_staff, date.today())
    version_claim(activity, read_version=1)
    assert activity.version == 2 and PreventionActivity.objects.get().version == 2
    version_claim(activity, read_version=None)  # callers without a form (the demo data) move it anyway
    assert PreventionActivity.objects.get().version == 3


# --- Every edit form: the same two stale edits --------------------------------------------------------

@dataclass
class EditPage:
    first: User
    second: User
    url: str
    record: Callable[[], object]  # the record as stored now
    stored_as: dict[str, str] | None = None  # form field -> model field, where the names differ


def _prevention(request) -> tuple[User, User]:
    request.getfixturevalue("regions")
    return request.getfixturevalue("patbm_staff"), request.getfixturevalue("second_patbm_staff")


def _group(request) -> EditPage:
    first, second = _prevention(request)
    group = make_group(first)
    return EditPage(first, second, reverse("prevention:group_edit", args=[group.pk]), lambda: type(group).objects.get())


def _activist(request) -> EditPage:
    first, second = _prevention(request)
    activist = prevention_services.patbm_activist_add(group=make_group(first), actor=first, name="Aktivis",
                                                      sex="P", age_group="25-44", role="anggota")
    return EditPage(first, second, reverse("prevention:activist_edit", args=[activist.pk]),
                    lambda: type(activist).objects.get())


def _patbm_activity(request) -> EditPage:
    first, second = _prevention(request)
    activity = record_patbm_activity(make_group(first), first, date.today())
    return EditPage(first, second, reverse("prevention:patbm_activity_edit", args=[activity.pk]),
                    lambda: type(activity).objects.get())


def _session(request) -> EditPage:
    first = request.getfixturevalue("puspaga_staff")
    second = make_user("puspaga_uji_2", Role.PARTNER, first.agency)
    session = prevention_services.puspaga_session_record(actor=first, held_on=date.today(), service="konseling",
                                                         channel="tatap_muka", issue="pengasuhan", counsellor=first)
    return EditPage(first, second, reverse("prevention:session_edit", args=[session.pk]),
                    lambda: type(session).objects.get())


def _prevention_activity(request) -> EditPage:
    first, second = _prevention(request)
    activity = record_activity(first, date.today())
    return EditPage(first, second, reverse("prevention:activity_edit", args=[activity.pk]),
                    lambda: type(activity).objects.get())


def _admins(request) -> tuple[User, User]:
    first = request.getfixturevalue("sysadmin")
    return first, make_user("admin_uji_2", Role.ADMIN, first.agency)


def _agency(request) -> EditPage:
    first, second = _admins(request)
    agency = make_agency("Yayasan Uji", "ngo")
    return EditPage(first, second, reverse("agencies:edit", args=[agency.pk]), lambda: type(agency).objects.get(
        pk=agency.pk))


def _user(request) -> EditPage:
    first, second = _admins(request)
    staff = request.getfixturevalue("caseworker")
    return EditPage(first, second, reverse("agencies:user_edit", args=[staff.pk]), lambda: User.objects.get(
        pk=staff.pk))


def _police_report(request) -> EditPage:
    request.getfixturevalue("regions")
    first, second = request.getfixturevalue("caseworker"), request.getfixturevalue("supervisor")
    case = register_case(first)
    return EditPage(first, second, reverse("cases:police", args=[case.pk]), lambda: Case.objects.get(pk=case.pk),
                    stored_as={"reference": "police_report_reference"})


EDIT_PAGES = {"PATBM group": _group, "PATBM activist": _activist, "PATBM activity": _patbm_activity,
              "PUSPAGA session": _session, "prevention activity": _prevention_activity, "agency": _agency,
              "user": _user, "police report": _police_report}


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_every_edit_form_refuses_a_stale_submit_and_shows_both_values(request, name):
    page = EDIT_PAGES[name](request)
    first, second = client_for(page.first), client_for(page.second)
    first_form, second_form = _edit_form(first, page.url), _edit_form(second, page.url)
    assert first_form.hidden["version"] == second_form.hidden["version"] == str(page.record().version)
    field = first_form.text_fields[0]  # the first thing a person types into

    assert first.post(page.url, first_form.data({field: "Isian orang pertama"})).status_code == 302
    refused = second.post(page.url, second_form.data({field: "Isian orang kedua"}))

    assert refused.status_code == 200 and _html(CONFLICT_MESSAGE) in refused.content.decode()
    assert ("Isian orang pertama", "Isian orang kedua") in conflicts(refused).values()
    assert getattr(page.record(), (page.stored_as or {}).get(field, field)) == "Isian orang pertama"

"""Creating forms carry a one-time key: a form sent twice (a double click, a resend on a slow connection)
creates one record, and the second submit is shown what the first one made. Every creating page is walked
the way a person uses it: the form is read from the page, filled in, and sent twice with the key it carried.
(Five submits at once, on PostgreSQL: test_concurrent_submits.py.)"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agencies.models import Agency, User
from cases import services as case_services
from cases.models import Accompaniment, Assessment, Attachment, Case, CaseNote, Consent, PlannedService, ServiceDelivery
from config.schedule import BEAT_SCHEDULE
from core import workdays
from core.idempotency import KEY_FIELD, submission_keys_expire
from core.models import CalendarOverride, SubmissionKey
from core.tasks import submission_keys_expire_task
from inbox.models import IntakeRequest
from prevention import services as prevention_services
from prevention.models import (
    PatbmActivist,
    PatbmActivity,
    PatbmActivityPhoto,
    PatbmGroup,
    PreventionActivity,
    PuspagaSession,
)
from referrals.models import Referral, ReferralMessage
from reports.models import Report
from tests.conftest import client_for, register_case
from tests.html_forms import PageForm, post_forms
from tests.prevention.conftest import MASAMBA_VILLAGE, make_group, record_patbm_activity
from tests.referrals.conftest import new_case, record_sharing_consent, send

REPEATED = "Formulir ini sudah terkirim sebelumnya."
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "p")}}}
    settings.MEDIA_ROOT = tmp_path / "p"


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


@dataclass
class Scenario:
    user: User
    url: str
    typed: Callable[[], dict]  # what the person types (a fresh upload each time)
    made: Callable[[], int]  # how many records of the kind the form creates exist
    action: str = ""  # on a page with several forms: the value of the form's hidden "action"


def _today() -> str:
    return timezone.localdate().isoformat()


def _case(request, **extra) -> Case:
    return register_case(request.getfixturevalue("caseworker"), **extra)


def _case_action(name: str, typed: Callable[[Case, User], dict], model, prepare=None):
    def scenario(request) -> Scenario:
        request.getfixturevalue("regions")
        worker = request.getfixturevalue("caseworker")
        case = _case(request)
        if prepare:
            prepare(case, worker)
        return Scenario(worker, reverse(f"cases:{name}", args=[case.pk]), lambda: typed(case, worker),
                        model.objects.count)
    return scenario


def _identified_and_assessed(case, worker):
    case_services.case_identify(case=case, actor=worker, case_type="ampk", risk_level="sedang",
                                responsibility="kabupaten")
    case_services.assessment_record(case=case, actor=worker, risk_level="sedang")


def _intake(request) -> Scenario:
    from tests.cases.test_intake_views import intake_data

    request.getfixturevalue("regions")
    return Scenario(request.getfixturevalue("caseworker"), reverse("cases:create"), intake_data, Case.objects.count)


def _referral(request) -> Scenario:
    request.getfixturevalue("regions")
    worker, police = request.getfixturevalue("caseworker"), request.getfixturevalue("police_agency")
    request.getfixturevalue("police_officer")
    case = new_case(worker)
    record_sharing_consent(case, worker)
    return Scenario(worker, reverse("referrals:send", args=[case.pk]), lambda: {
        "receiving_agency": police.pk, "services": ["penegakan_hukum"], "urgency": "segera",
        "reason": "Mohon pemeriksaan.", "action": "send"}, Referral.objects.count)


def _referral_message(request) -> Scenario:
    request.getfixturevalue("regions")
    worker, police = request.getfixturevalue("caseworker"), request.getfixturevalue("police_agency")
    officer = request.getfixturevalue("police_officer")
    case = new_case(worker)
    record_sharing_consent(case, worker)
    referral = send(worker, case, police)
    return Scenario(officer, reverse("referrals:detail", args=[referral.pk]),
                    lambda: {"message-text": "Korban sudah kami hubungi."}, ReferralMessage.objects.count,
                    action="message")


def _refer_in(request) -> Scenario:
    request.getfixturevalue("caseworker")  # the UPTD PPA's intake staff, whom the referral in goes to
    return Scenario(request.getfixturevalue("patbm_staff"), reverse("referrals:refer_in"),
                    lambda: {"urgency": "segera", "summary": "Anak perlu pendampingan."}, IntakeRequest.objects.count)


def _patbm_group(request) -> Scenario:
    request.getfixturevalue("regions")
    return Scenario(request.getfixturevalue("patbm_staff"), reverse("prevention:group_create"),
                    lambda: {"village": MASAMBA_VILLAGE, "facilitator": "Fasilitator"}, PatbmGroup.objects.count)


def _patbm_activist(request) -> Scenario:
    request.getfixturevalue("regions")
    staff = request.getfixturevalue("patbm_staff")
    group = make_group(staff)
    return Scenario(staff, reverse("prevention:activist_create", args=[group.pk]),
                    lambda: {"name": "Aktivis Sintetis", "sex": "P", "age_group": "25-44"},
                    PatbmActivist.objects.count)


def _patbm_activity(request) -> Scenario:
    request.getfixturevalue("regions")
    staff = request.getfixturevalue("patbm_staff")
    group = make_group(staff)
    return Scenario(staff, reverse("prevention:patbm_activity_create", args=[group.pk]), lambda: {
        "held_on": _today(), "level": "keluarga", "topic": "Pengasuhan positif", "participants_female_adult": "6",
        "photos": _jpeg()}, PatbmActivity.objects.count)


def _patbm_photos(request) -> Scenario:
    request.getfixturevalue("regions")
    staff = request.getfixturevalue("patbm_staff")
    activity = record_patbm_activity(make_group(staff), staff, date.today())
    return Scenario(staff, reverse("prevention:patbm_activity_detail", args=[activity.pk]),
                    lambda: {"photos": _jpeg()}, PatbmActivityPhoto.objects.count)


def _puspaga_session(request) -> Scenario:
    return Scenario(request.getfixturevalue("puspaga_staff"), reverse("prevention:session_create"),
                    lambda: {"held_on": _today(), "notes": "Konseling keluarga."}, PuspagaSession.objects.count)


def _puspaga_refer(request) -> Scenario:
    request.getfixturevalue("caseworker")
    staff = request.getfixturevalue("puspaga_staff")
    session = prevention_services.puspaga_session_record(actor=staff, held_on=date.today(), service="konseling",
                                                         channel="tatap_muka", issue="pengasuhan", counsellor=staff)
    return Scenario(staff, reverse("prevention:session_refer", args=[session.pk]),
                    lambda: {"summary": "Keluarga perlu pendampingan UPTD PPA."}, IntakeRequest.objects.count)


def _prevention_activity(request) -> Scenario:
    request.getfixturevalue("regions")
    return Scenario(request.getfixturevalue("patbm_staff"), reverse("prevention:activity_create"), lambda: {
        "kind": "sosialisasi", "title": "Sosialisasi TPKS", "held_on": _today(), "topics": ["tpks"],
        "target_group": "umum", "participants_female_adult": "12"}, PreventionActivity.objects.count)


def _report(request) -> Scenario:
    return Scenario(request.getfixturevalue("official"), reverse("reports:list"), dict, Report.objects.count)


def _agency(request) -> Scenario:
    return Scenario(request.getfixturevalue("sysadmin"), reverse("agencies:create"),
                    lambda: {"name": "Yayasan Sintetis", "agency_type": "ngo"}, Agency.objects.count)


def _user(request) -> Scenario:
    uptd = request.getfixturevalue("uptd")
    return Scenario(request.getfixturevalue("sysadmin"), reverse("agencies:user_create"), lambda: {
        "username": "pendamping_baru", "email": "baru@contoh.simpul.test", "role": "pendamping",
        "agency": uptd.pk}, User.objects.count)


def _calendar(request) -> Scenario:
    day = timezone.localdate() + timedelta(days=30)
    while day.weekday() >= 5 or day in workdays.library_holidays(day.year):
        day += timedelta(days=1)
    return Scenario(request.getfixturevalue("sysadmin"), reverse("core:workday_calendar") + f"?tahun={day.year}",
                    lambda: {"day": day.isoformat(), "kind": "libur", "reason": "Cuti bersama (SKB)"},
                    CalendarOverride.objects.count)


SCENARIOS: dict[str, Callable[..., Scenario]] = {
    "intake": _intake,
    "note": _case_action("note", lambda case, worker: {"text": "Korban dihubungi."}, CaseNote),
    "service delivery": _case_action("deliver", lambda case, worker: {
        "victim": case.victims.get().pk, "service": "kesehatan", "delivered_on": _today()}, ServiceDelivery),
    "accompaniment": _case_action("accompany", lambda case, worker: {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "kind": "kepolisian",
        "accompanied_by": worker.pk}, Accompaniment),
    "consent": _case_action("consent", lambda case, worker: {
        "victim": case.victims.get().pk, "scopes": ["layanan"], "given_by": "orang_tua",
        "given_by_name": "Orang Tua Sintetis"}, Consent),
    "attachment": _case_action("attach", lambda case, worker: {
        "document_type": "formulir_pengaduan", "file": SimpleUploadedFile("pengaduan.pdf", PDF)}, Attachment),
    "assessment": _case_action("assess", lambda case, worker: {"risk_level": "tinggi"}, Assessment,
                               prepare=lambda case, worker: case_services.case_identify(
                                   case=case, actor=worker, case_type="ampk", risk_level="sedang",
                                   responsibility="kabupaten")),
    "plan": _case_action("plan", lambda case, worker: {"service": "kesehatan", "provider_user": worker.pk,
                                                       "due_on": _today()}, PlannedService,
                         prepare=_identified_and_assessed),
    "referral": _referral,
    "referral message": _referral_message,
    "referral in": _refer_in,
    "PATBM group": _patbm_group,
    "PATBM activist": _patbm_activist,
    "PATBM activity": _patbm_activity,
    "PATBM photos": _patbm_photos,
    "PUSPAGA session": _puspaga_session,
    "PUSPAGA referral": _puspaga_refer,
    "prevention activity": _prevention_activity,
    "report request": _report,
    "agency": _agency,
    "user": _user,
    "calendar correction": _calendar,
}


def _creating_form(html: str, action: str) -> PageForm:
    forms = [form for form in post_forms(html) if form.named(KEY_FIELD)]
    if action:
        forms = [form for form in forms if form.hidden.get("action") == action]
    assert len(forms) == 1, [form.fields.keys() for form in post_forms(html)]
    return forms[0]


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_creating_form_sent_twice_creates_once_and_shows_the_first_result(db, request, name):
    scenario = SCENARIOS[name](request)
    client = client_for(scenario.user)
    form = _creating_form(client.get(scenario.url).content.decode(), scenario.action)
    target = form.action or scenario.url
    before = scenario.made()

    first = client.post(target, form.data(scenario.typed()))
    assert first.status_code == 302, first.content.decode()[-2500:]
    assert scenario.made() == before + 1
    second = client.post(target, form.data(scenario.typed()))  # the same page's form, sent again

    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert scenario.made() == before + 1
    assert REPEATED in client.get(second["Location"]).content.decode()


def test_each_drawing_of_a_creating_form_carries_a_new_key(patbm_staff):
    client = client_for(patbm_staff)
    keys = {_creating_form(client.get(reverse("prevention:activity_create")).content.decode(), "").hidden[KEY_FIELD]
            for _ in range(3)}
    assert len(keys) == 3 and all(len(key) >= 16 for key in keys)


def test_a_refused_submit_frees_its_key_so_the_corrected_form_is_saved(patbm_staff, regions):
    client = client_for(patbm_staff)
    url = reverse("prevention:activity_create")
    form = _creating_form(client.get(url).content.decode(), "")
    typed = {"kind": "kampanye_medsos", "title": "Kampanye TPKS", "held_on": _today(), "topics": ["tpks"],
             "target_group": "umum", "reach": "900"}
    refused = client.post(url, form.data(typed))  # the service wants the platform of a campaign
    assert refused.status_code == 200 and "Kampanye media sosial: pilih platformnya." in refused.content.decode()
    assert not SubmissionKey.objects.exists() and not PreventionActivity.objects.exists()

    corrected = client.post(url, form.data(typed | {"platform": "instagram"}))
    assert corrected.status_code == 302 and PreventionActivity.objects.count() == 1
    assert SubmissionKey.objects.get().result_url == corrected["Location"]


def test_a_key_sent_by_another_user_is_refused(patbm_staff, puspaga_staff, regions):
    form = _creating_form(client_for(patbm_staff).get(reverse("prevention:activity_create")).content.decode(), "")
    typed = {"kind": "rakor", "title": "Rakor", "held_on": _today(), "topics": ["kdrt"],
             "target_group": "umum", "participants_female_adult": "3"}
    assert client_for(patbm_staff).post(reverse("prevention:activity_create"), form.data(typed)).status_code == 302
    stolen = client_for(puspaga_staff).post(reverse("prevention:activity_create"), form.data(typed))
    assert stolen.status_code == 400 and PreventionActivity.objects.count() == 1


def test_keys_are_forgotten_after_a_day_by_the_beat_job(caseworker):
    old = SubmissionKey.objects.create(key="a" * 32, user=caseworker, result_url="/kasus/1/")
    SubmissionKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    SubmissionKey.objects.create(key="b" * 32, user=caseworker, result_url="/kasus/2/")
    assert submission_keys_expire_task.delay().get() == 1
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == ["b" * 32]
    assert submission_keys_expire(now=timezone.now() + timedelta(days=2)) == 1
    assert BEAT_SCHEDULE["submission-keys-expire"]["task"] == submission_keys_expire_task.name

import pytest

from core.audit import SYSTEM_ACTOR
from core.models import AuditEvent
from tests.conftest import PASSWORD, assert_hidden, client_for


def test_login_logout_and_failed_login_are_audited(caseworker):
    client = client_for(None)
    client.post("/akun/login/", {"username": caseworker.username, "password": "salah-sekali"})
    client.post("/akun/login/", {"username": caseworker.username, "password": PASSWORD})
    client.post("/akun/logout/")
    actions = list(AuditEvent.objects.filter(actor_label=caseworker.username).order_by("at", "id")
                   .values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.ip_address == "127.0.0.1"
    assert PASSWORD not in str(failed.details) and "salah-sekali" not in str(failed.details)


def test_admin_sees_every_event_and_can_filter(personas):
    client_for(None).post("/akun/login/", {"username": "pendamping_luar", "password": "salah"})
    page = client_for(personas["sysadmin"]).get("/audit/", {"action": "auth.login_failed"}).content.decode()
    assert "pendamping_luar" in page
    assert "user.create" not in page  # filtered out


def test_supervisor_sees_only_events_of_their_agency(personas):
    client_for(None).post("/akun/login/", {"username": "pendamping_luar", "password": PASSWORD})
    client_for(None).post("/akun/login/", {"username": "pendamping_uji", "password": PASSWORD})
    page = client_for(personas["supervisor"]).get("/audit/", {"action": "auth."}).content.decode()
    assert "pendamping_uji" in page
    assert "pendamping_luar" not in page


@pytest.mark.parametrize("persona", ["caseworker", "police_officer", "official", "outsider"])
def test_audit_page_is_hidden_from_other_roles(personas, persona):
    assert_hidden(client_for(personas[persona]).get("/audit/"))


def test_audit_page_is_hidden_from_the_anonymous(db):
    assert_hidden(client_for(None).get("/audit/"))


def test_audit_page_query_budget_does_not_grow_with_events(personas, django_assert_max_num_queries):
    client = client_for(personas["sysadmin"])
    for _ in range(60):
        client_for(None).post("/akun/login/", {"username": "x", "password": "y"})
    with django_assert_max_num_queries(7):  # 7 with the second factor's device lookup (django-otp)
        response = client.get("/audit/")
    assert response.status_code == 200


def test_audit_filter_rejects_reversed_dates_with_a_message(personas):
    page = client_for(personas["sysadmin"]).get(
        "/audit/", {"date_from": "2026-11-10", "date_to": "2026-11-01"}).content.decode()
    assert "Tanggal awal harus sebelum tanggal akhir." in page


def test_password_change_is_audited_and_keeps_the_user_logged_in(caseworker):
    client = client_for(caseworker)
    response = client.post("/akun/password_change/", {
        "old_password": PASSWORD, "new_password1": "Sandi-Baru-Sekali-26", "new_password2": "Sandi-Baru-Sekali-26"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_change", actor=caseworker).exists()
    assert client.get("/").status_code == 200


def test_password_reset_by_email_link_is_audited(caseworker, mailoutbox):
    import re

    caseworker.email = "pendamping@contoh.simpul.test"
    caseworker.save()
    client = client_for(None)
    client.post("/akun/password_reset/", {"email": caseworker.email})
    link = re.search(r"http://testserver(/akun/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    client.post(form_url, {"new_password1": "Sandi-Reset-Sekali-26", "new_password2": "Sandi-Reset-Sekali-26"})
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=caseworker).exists()
    assert client_for(None).login(username=caseworker.username, password="Sandi-Reset-Sekali-26")


def test_work_no_person_did_has_one_name_in_the_audit_log(db):
    from datetime import date

    from agencies.services import agency_create
    from core.codes import AgencyType
    from reports.services import report_schedule

    agency_create(actor=None, name="Lembaga Uji Sistem", agency_type=AgencyType.NGO)  # as seeding and commands do
    report_schedule(kind="bulanan", today=date(2026, 11, 1))  # the beat job
    events = AuditEvent.objects.all()
    assert {"agency.create", "report.schedule"} <= set(events.values_list("action", flat=True))
    assert set(events.values_list("actor_label", flat=True)) == {SYSTEM_ACTOR}


def test_reasons_are_shown_to_the_supervisor_and_not_to_the_administrator(personas):
    """A reason can carry a name: the administrator, who sees every agency's events, reads none."""
    from core.audit import audit_record

    audit_record(actor=personas["supervisor"], action="test.reason", reason="Alasan bertanda khusus")
    assert "Alasan bertanda khusus" in client_for(personas["supervisor"]).get("/audit/").content.decode()
    page = client_for(personas["sysadmin"]).get("/audit/", {"action": "test."}).content.decode()
    assert "test.reason" in page and "Alasan bertanda khusus" not in page and "Alasan</th>" not in page

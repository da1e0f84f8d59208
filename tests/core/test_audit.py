import pytest

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
    with django_assert_max_num_queries(6):
        response = client.get("/audit/")
    assert response.status_code == 200


def test_audit_filter_rejects_reversed_dates_with_a_message(personas):
    page = client_for(personas["sysadmin"]).get(
        "/audit/", {"date_from": "2026-11-10", "date_to": "2026-11-01"}).content.decode()
    assert "Tanggal awal harus sebelum tanggal akhir." in page

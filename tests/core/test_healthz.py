import json

from django.test import override_settings


def test_healthz_is_ok_with_the_database_up(client, db, settings):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["database"] == "ok"
    assert body["status"] == "ok"


def test_healthz_checks_the_configured_broker(client, db):
    # Redis runs on this machine (CI starts it), so a configured broker at its address is "ok".
    with override_settings(REDIS_URL="redis://127.0.0.1:6379/15"):
        body = json.loads(client.get("/healthz").content)
    assert body["broker"] == "ok"


def test_healthz_answers_503_when_the_configured_broker_is_down(client, db):
    # Port 1 has no listener: the broker is configured but unreachable.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body == {"status": "down", "database": "ok", "broker": "down"}

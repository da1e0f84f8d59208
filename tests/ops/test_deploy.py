"""The documented production deploy works: with DEBUG=0, `collectstatic`, `check --deploy` and gunicorn
(deploy/gunicorn.conf.py) behind an HTTPS proxy serve the Indonesian login page, its hashed static files, and
a login with secure cookies.

gunicorn runs as a real process on a free port against the test database (PostgreSQL in CI); on SQLite,
whose test database lives in this process's memory, against a freshly migrated file.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

pytestmark = [pytest.mark.ops, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
HOST = "simpul.luwuutarakab.go.id"
PASSWORD = "Deploy-Sandi-2026"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict  # the test database, created by pytest-django
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'deploy.sqlite3'}"


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def _request(port: int, method: str, path: str, *, body: str | None = None, headers: dict | None = None):
    """One request as nginx would pass it on: the public host name, over HTTPS."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request(method, path, body=body, headers={"Host": HOST, "X-Forwarded-Proto": "https",
                                                     "X-Forwarded-For": "10.20.30.40", **(headers or {})})
    response = client.getresponse()
    content = response.read()
    client.close()
    return response, content


def _cookies(response) -> SimpleCookie:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return jar


@pytest.fixture
def production_env(tmp_path) -> dict:
    keep = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return {**keep, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": HOST, "BEHIND_HTTPS_PROXY": "1",
            "DATABASE_URL": _database_url(tmp_path), "STATIC_ROOT": str(tmp_path / "static"),
            "SIMPUL_VAR_DIR": str(tmp_path / "var"), "SIMPUL_BACKUP_KEY": secrets.token_urlsafe(32),
            "REDIS_URL": "", "GUNICORN_WORKERS": "2"}


def test_production_deploy_serves_the_login_page_static_files_and_a_secure_login(production_env, tmp_path):
    env = production_env
    if connection.vendor != "postgresql":
        _run(env, "migrate", "--noinput", "-v0")
    _run(env, "collectstatic", "--noinput", "-v0")
    assert (tmp_path / "static" / "staticfiles.json").exists()
    check = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in check.stdout
    _run(env, "shell", "-c", "from agencies import services; from agencies.models import Role; "
         "services.user_create(actor=None, username='pejabat_deploy', password='" + PASSWORD + "', "
         "role=Role.OFFICIAL, agency=None)")

    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind",
             f"127.0.0.1:{port}", "config.wsgi"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page, html = _request(port, "GET", "/akun/login/")
                break
            except OSError:
                assert gunicorn.poll() is None, f"gunicorn exited:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
                time.sleep(0.3)
        text = html.decode()
        assert page.status == 200, text[:2000]
        assert "Masuk ke Simpul" in text and 'lang="id"' in text
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]

        # The page links the hashed copy collectstatic made; gunicorn (WhiteNoise) serves it, cacheable for ever.
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', text)
        assert css, "the login page does not link the hashed Bootstrap CSS"
        static, content = _request(port, "GET", css.group(1))
        assert static.status == 200 and static.headers["Content-Type"].startswith("text/css")
        assert "immutable" in static.headers["Cache-Control"]
        assert content.startswith(b"@charset") and b"sourceMappingURL" not in content

        # Logging in works behind the proxy: CSRF accepts the HTTPS origin, and the cookies are secure.
        cookies = _cookies(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
        assert "secure" in str(cookies["csrftoken"]).lower()
        login, _ = _request(port, "POST", "/akun/login/",
                            body=urlencode({"csrfmiddlewaretoken": token, "username": "pejabat_deploy",
                                            "password": PASSWORD}),
                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                     "Cookie": f"csrftoken={cookies['csrftoken'].value}",
                                     "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/akun/login/"})
        assert login.status == 302 and login.headers["Location"] == "/", login.status
        session = _cookies(login)["sessionid"]
        assert session["secure"] and session["httponly"]
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()
    assert gunicorn.returncode == 0, log.read_text()
    assert "/akun/login/" in log.read_text()  # the access log is written

"""The documented production deploy works: with DEBUG=0, `collectstatic`, `check --deploy` and gunicorn
(deploy/gunicorn.conf.py) behind an HTTPS proxy serve the Indonesian login page, its hashed static files, and
a login with secure cookies; the nginx example (deploy/nginx/simpul.conf) in front of it terminates TLS,
serves the static files itself and lets through the largest upload Simpul accepts, and no larger.

gunicorn and nginx run as real processes on free ports against the test database (PostgreSQL in CI); on
SQLite, whose test database lives in this process's memory, against a freshly migrated file.
"""

import http.client
import os
import re
import secrets
import shutil
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


def _outside_tests(environ) -> dict:
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a production process never has
    # it (check --deploy rightly fails on it), so it is not passed on.
    return {k: v for k, v in environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


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


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """collectstatic with DEBUG=0 (the manifest storage refuses any reference to a missing file), once."""
    root = tmp_path_factory.mktemp("deploy") / "static"
    env = {**_outside_tests(os.environ), "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": HOST,
           "STATIC_ROOT": str(root)}
    _run(env, "collectstatic", "--noinput", "-v0")
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture
def production_env(tmp_path, static_root) -> dict:
    keep = {k: v for k, v in _outside_tests(os.environ).items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": HOST, "BEHIND_HTTPS_PROXY": "1",
           "DATABASE_URL": _database_url(tmp_path), "STATIC_ROOT": str(static_root),
           "SIMPUL_VAR_DIR": str(tmp_path / "var"), "SIMPUL_BACKUP_KEY": secrets.token_urlsafe(32),
           "SIMPUL_FIELD_KEYS": secrets.token_urlsafe(32), "SIMPUL_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
           "REDIS_URL": "", "GUNICORN_WORKERS": "2"}
    if connection.vendor != "postgresql":
        _run(env, "migrate", "--noinput", "-v0")
    return env


@pytest.fixture
def gunicorn(production_env, tmp_path):
    """gunicorn as the systemd unit starts it, on a free port; yields (port, access log)."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind",
             f"127.0.0.1:{port}", "config.wsgi"], cwd=ROOT, env=production_env, stdout=output,
            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
                time.sleep(0.3)
        yield port, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, log.read_text()


def test_production_deploy_serves_the_login_page_static_files_and_a_secure_login(production_env, gunicorn):
    env = production_env
    port, log = gunicorn
    check = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in check.stdout
    _run(env, "shell", "-c", "from agencies import services; from agencies.models import Role; "
         "services.user_create(actor=None, username='pejabat_deploy', password='" + PASSWORD + "', "
         "role=Role.OFFICIAL, agency=None)")

    page, html = _request(port, "GET", "/akun/login/")
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
    assert "/akun/login/" in log.read_text()  # the access log is written


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for HOST, standing in for the district's real one."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
                   .sign(key, hashes.SHA256()))
    cert, private = directory / "cert.pem", directory / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, private


def _nginx_config(tmp_path: Path, *, upstream: int, http: int, https: int, static_root: Path) -> Path:
    """deploy/nginx/simpul.conf as shipped, with only its ports, certificate and paths replaced."""
    cert, key = _self_signed(tmp_path)
    site = (ROOT / "deploy" / "nginx" / "simpul.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "/etc/letsencrypt/live/simpul.luwuutarakab.go.id/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/simpul.luwuutarakab.go.id/privkey.pem": str(key),
        "alias /srv/simpul/app/staticfiles/;": f"alias {static_root}/;",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/simpul.conf no longer has {old!r}: update this test with it"
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)  # no IPv6 in every sandbox
    (tmp_path / "simpul.conf").write_text(site)
    config = tmp_path / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers must read the test's private tmp folder
    config.write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/nginx-error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {tmp_path}/nginx-access.log;\n"
        f" client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" include {tmp_path}/simpul.conf;\n}}\n")
    return config


def _https(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
    import ssl

    context = ssl.create_default_context(cafile=None)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our own certificate, made above
    client = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=context)
    client.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = client.getresponse()
    content = response.read()
    client.close()
    return response, content


def test_the_nginx_example_terminates_tls_serves_static_files_and_bounds_uploads(production_env, gunicorn,
                                                                                 static_root, tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        reason = "needs nginx (apt-get install nginx) to run the deploy/nginx example"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    upstream, gunicorn_log = gunicorn
    http_port, https_port = _free_port(), _free_port()
    config = _nginx_config(tmp_path, upstream=upstream, http=http_port, https=https_port, static_root=static_root)
    test = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    server = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "nginx-error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.2)

        # Plain HTTP is sent to HTTPS.
        plain, _ = _request(http_port, "GET", "/akun/login/")
        assert plain.status == 301 and plain.headers["Location"].startswith(f"https://{HOST}")
        # Over HTTPS the page comes from Django, which sees the request as secure (no redirect, HSTS).
        page, html = _https(https_port, "GET", "/akun/login/")
        assert page.status == 200 and "Masuk ke Simpul" in html.decode()
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        # Static files come from STATIC_ROOT through nginx itself, never reaching gunicorn.
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', html.decode())
        static, content = _https(https_port, "GET", css.group(1), headers={"Accept-Encoding": "gzip"})
        assert static.status == 200 and static.headers["Content-Type"].startswith("text/css")
        assert static.headers.get("Content-Encoding") == "gzip"  # the .gz collectstatic wrote beside it
        assert css.group(1) not in gunicorn_log.read_text()

        # The largest upload Simpul accepts (six 5 MB photos and their form) passes; a larger one is refused.
        form = {"Content-Type": "application/octet-stream"}
        accepted, _ = _https(https_port, "POST", "/akun/login/", body=b"x" * (31 * 1024 * 1024), headers=form)
        assert accepted.status != 413 and accepted.status < 500  # Django answered (the CSRF check, 403)
        refused, _ = _https(https_port, "POST", "/akun/login/", body=b"x" * (33 * 1024 * 1024), headers=form)
        assert refused.status == 413
    finally:
        server.terminate()
        server.wait(timeout=30)

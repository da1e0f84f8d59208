"""Browser journeys: Playwright drives Debian's Chromium (/usr/bin/chromium); no browser is downloaded.

Without Chromium the journeys are skipped with the reason; with SIMPUL_REQUIRE_BROWSER=1 (CI) that
is a failure instead, so a missing browser never passes silently.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the same test to set
# up data through services, refuses to run "in an async context" unless told it is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SIMPUL_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        reason = f"Chromium not found at {CHROMIUM}: install Debian's chromium (make browser)"
        if os.environ.get("SIMPUL_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    # A tablet-sized window: the product must work on the caseworkers' tablets.
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID",
                                  timezone_id="Asia/Makassar")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(page, live_server, username: str, password: str) -> None:
    """Log in through the form, as a person would, by its visible labels; a user whose role needs the second
    factor types the code their phone (a real TOTP device, made here once) shows."""
    from agencies.models import User
    from core.policy import needs_second_factor
    from tests.conftest import totp_code, totp_device_for

    user = User.objects.filter(username=username).select_related("agency").first()
    device = totp_device_for(user) if user is not None and needs_second_factor(user) else None
    page.goto(f"{live_server.url}/akun/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    if device is not None and "/akun/dua-langkah/masuk/" in page.url:
        page.get_by_label("Kode").fill(totp_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Lanjut").click()

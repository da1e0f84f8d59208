"""Security headers: a strict CSP on pages, Permissions-Policy, Referrer-Policy, and no-store on everything a
signed-in person is sent (pages and files with personal data). Templates served as pages carry nothing inline
that the CSP would refuse (the browser side: tests/e2e/test_csp.py)."""

import re
from pathlib import Path

from tests.conftest import client_for
from tests.referrals.conftest import new_case, record_sharing_consent, send

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# WeasyPrint renders these to PDF; no browser ever loads them as a page.
PDF_TEMPLATES = {"reports/pdf/report.html", "referrals/letter.html"}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_a_signed_in_page_is_sent_with_a_strict_policy_and_never_cached(caseworker):
    response = client_for(caseworker).get("/")
    assert response.status_code == 200
    assert directives(response) == {
        "default-src": "'none'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
        "font-src": "'self'", "connect-src": "'self'", "form-action": "'self'", "base-uri": "'none'",
        "object-src": "'none'", "frame-ancestors": "'none'"}
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"


def test_a_file_with_personal_data_is_not_cached_and_an_inline_pdf_is_left_viewable(caseworker, police_agency,
                                                                                   regions):
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker)
    referral = send(caseworker, case, police_agency)
    response = client_for(caseworker).get(f"/rujukan/{referral.pk}/surat.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    # Chromium's PDF viewer is a plugin that `object-src 'none'` would block; a PDF runs none of our code.
    assert "Content-Security-Policy" not in response


def test_the_public_pages_have_the_policy_too(db):
    response = client_for(None).get("/akun/login/")
    assert directives(response)["script-src"] == "'self'" and "Permissions-Policy" in response


def test_no_page_template_has_inline_script_style_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_TEMPLATES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if inline.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []

"""Field-ready pages (issue 14): every page of every role fits a 390 px phone with its primary actions on
screen, and the main pages of every role pass axe-core (4.12, shipped offline by axe-playwright-python) with no
critical or serious violation, at phone and desktop width.

The pages are found as a person finds them: the test client crawls from each persona's home page (one page per
route, so one case page stands for all), then Chromium opens each at 390 px. The world is the hostile-input
walker's (tests/fuzz/world.py): every kind of record exists, in two agencies.

Screenshots for a person to look at: `SIMPUL_SCREENSHOTS=/tmp/shots make test PYTEST_ARGS=tests/e2e/test_field_ready.py`
writes <persona>-<page>-<width>-<language>.png of every main page at 390 and 1366 px, in Indonesian and English.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import client_for
from tests.fuzz import harness
from tests.fuzz.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = 390, 1366
PERSONAS = os.environ.get("SIMPUL_FIELD_PERSONAS", "caseworker supervisor police_officer official sysadmin patbm_staff "
                                                   "puspaga_staff").split()
PAGES_PER_PERSONA = 80
NOT_PAGES = ("/akun/logout/", "/static/", "/django-admin/", "/i18n/")
SCREENSHOTS = os.environ.get("SIMPUL_SCREENSHOTS")
# Month names and abbreviations that differ between Indonesian and English (April, September, November agree).
INDONESIAN_MONTHS = re.compile(r"\b(Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember|Agu|Okt|Des)\b")

# What is wider than the screen, and which primary actions (filled buttons, submit buttons) lie outside it.
# An action inside its own scrolling region (a table that scrolls by itself) does not count: it is reached by
# scrolling that region, which a keyboard can (the region is focusable) and the page itself does not.
LAYOUT = """() => {
  const width = window.innerWidth;
  // A box positioned absolutely is clipped only by the scrollers around its containing block (offsetParent),
  // not by those between it and that block; a fixed one by none.
  const inOwnScroller = (el) => { const position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    for (let p = position === 'absolute' ? el.offsetParent : el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll)/.test(style.overflowX) && p.scrollWidth > p.clientWidth) return true; } return false; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const actions = '.btn-primary, .btn-danger, .btn-success, button[type=submit], input[type=submit]';
  const outside = [...document.querySelectorAll(actions)]
    .filter(el => visible(el) && !inOwnScroller(el))
    .filter(el => { const r = el.getBoundingClientRect(); return r.right > width + 1 || r.left < -1; })
    .map(el => (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 40));
  // The culprits: what sticks out of the screen while its parent does not (the outermost box to fix), and boxes
  // whose own content spills out of them (a long word, a pseudo-element); scrollers themselves count.
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
      + ` ${Math.round(el.getBoundingClientRect().right)}px "${(el.innerText || '').trim().slice(0, 30)}"`;
  const sticksOut = (el) => visible(el) && el.getBoundingClientRect().right > width + 1;
  const spills = (el) => { const s = getComputedStyle(el); return visible(el) && s.overflowX === 'visible'
      && el.clientWidth > 0 && el.getBoundingClientRect().left + el.scrollWidth > width + 1
      && el.scrollWidth > el.clientWidth + 1; };
  const pseudo = (el) => ['::before', '::after'].some(p => { const s = getComputedStyle(el, p);
      return s.content && s.content !== 'none' && parseFloat(s.width) > width; });
  // The box an element is laid out in: its containing block when it is positioned absolutely.
  const boxOf = (el) => getComputedStyle(el).position === 'absolute' ? el.offsetParent : el.parentElement;
  const outermost = (el) => { const box = boxOf(el); return !(box && sticksOut(box) && !inOwnScroller(box)); };
  const wide = [...document.querySelectorAll('body *')].filter(el => !inOwnScroller(el)
      && ((sticksOut(el) && outermost(el)) || (spills(el)
          && ![...el.children].some(spills)) || pseudo(el))).slice(0, 4).map(describe);
  return {docWidth: document.documentElement.scrollWidth, width, outside, wide};
}"""


def _crawl(user) -> list[str]:
    """The HTML pages a persona reaches by following links from home: one path per route."""
    client = client_for(user)
    queue, seen_routes, pages = ["/"], set(), []
    while queue and len(pages) < PAGES_PER_PERSONA:
        path = queue.pop(0)
        route = harness.route_of(urlsplit(path).path)
        if route is None or route in seen_routes or path.startswith(NOT_PAGES):
            continue
        seen_routes.add(route)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages.append(path)
        for link in harness.parse_page(path, response.content.decode()).links:
            parts = urlsplit(link)
            if not parts.netloc and parts.path and not parts.path.startswith(NOT_PAGES):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def _main_pages(pages: list[str]) -> list[str]:
    """Home, the pages the navigation leads to, and the first detail page of each list: what a role opens daily."""
    return [path for path in pages if path.count("/") <= 3 or re.search(r"/\d+/$", path)]


def _open_as(browser, live_server, user, width: int, language: str = "id"):
    context = browser.new_context(viewport={"width": width, "height": 844 if width == PHONE else 900},
                                  locale="id-ID" if language == "id" else "en-GB", timezone_id="Asia/Makassar")
    context.set_default_timeout(15000)
    client = client_for(user)
    host = urlsplit(live_server.url).hostname
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"},
                         {"name": "django_language", "value": language, "domain": host, "path": "/"}])
    return context, context.new_page()


def _shot_name(who: str, path: str, width: int, language: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "beranda"
    return f"{who}-{slug}-{width}-{language}.png"


@pytest.fixture
def world(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build_world()


def test_every_page_of_every_role_fits_a_phone_and_the_main_pages_pass_axe(browser, live_server, world):
    axe = Axe()
    too_wide, actions_off_screen, violations, indonesian_in_english, opened = [], [], [], [], 0
    for who in PERSONAS:
        user = world.personas[who]
        pages = _crawl(user)
        assert len(pages) >= 2, f"{who} reached only {pages}"
        main = set(_main_pages(pages))
        # The phone in Indonesian (every page), the desktop in English (the main pages): both widths and both
        # languages pass axe, and no English page shows an Indonesian month name.
        for width, language in ((PHONE, "id"), (DESKTOP, "en")):
            context, page = _open_as(browser, live_server, user, width, language)
            for path in pages if width == PHONE else sorted(main):
                page.goto(live_server.url + path)
                opened += 1
                if width == PHONE:
                    layout = page.evaluate(LAYOUT)
                    if layout["docWidth"] > layout["width"]:
                        too_wide.append(f"{who} {path}: {layout['docWidth']} px ({', '.join(layout['wide'])})")
                    if layout["outside"]:
                        actions_off_screen.append(f"{who} {path}: {layout['outside']}")
                else:
                    months = INDONESIAN_MONTHS.findall(page.inner_text("body"))
                    if months:
                        indonesian_in_english.append(f"{who} {path}: {sorted(set(months))}")
                if path in main:
                    found = axe.run(page, options={"resultTypes": ["violations"],
                                                   "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                               "best-practice"]}).response["violations"]
                    violations += [f"{who} {path} @{width}: {v['id']} ({v['impact']}) "
                                   f"{v['nodes'][0]['target']} {v['help']}"
                                   for v in found if v["impact"] in ("critical", "serious")]
                if SCREENSHOTS and path in main:
                    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(Path(SCREENSHOTS) / _shot_name(who, path, width, language)),
                                    full_page=True)
            context.close()
        if SCREENSHOTS:  # the other two: the phone in English, the desktop in Indonesian
            for width, language in ((PHONE, "en"), (DESKTOP, "id")):
                context, page = _open_as(browser, live_server, user, width, language)
                for path in sorted(main):
                    page.goto(live_server.url + path)
                    page.screenshot(path=str(Path(SCREENSHOTS) / _shot_name(who, path, width, language)),
                                    full_page=True)
                context.close()
    print(f"\nfield-ready walk: {opened} page views over {len(PERSONAS)} roles")
    # One report of every kind of finding, so one run shows all there is to fix.
    findings = {"wider than a 390 px phone": too_wide, "primary actions off a 390 px screen": actions_off_screen,
                "axe critical/serious": violations, "Indonesian month names on English pages": indonesian_in_english}
    assert not any(findings.values()), "\n".join(f"{kind}:\n  " + "\n  ".join(found)
                                                for kind, found in findings.items() if found)

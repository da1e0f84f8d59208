"""A safety net over every URL of Simpul: nothing but the public pages opens without logging in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages meant for the anonymous: logging in, resetting a password, health checks, the language switch.
PUBLIC_PREFIXES = ("akun/login", "akun/logout", "akun/password_reset", "akun/reset", "healthz", "i18n/",
                   "django-admin/", "static/", "laporan/verifikasi")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str) -> str:
    # Fill path converters with a plausible value: an id that does not exist.
    import re

    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


ROUTES = sorted({_concrete(r) for r in _walk(get_resolver().url_patterns) if not r.startswith(PUBLIC_PREFIXES)})


@pytest.mark.parametrize("url", ROUTES)
def test_every_private_page_sends_the_anonymous_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code in (302, 404, 405), (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith("/akun/login/"), (url, response["Location"])

"""A safety net over every form of Simpul: with the demo data loaded, each demo user walks every page they
can reach by its links, and every form that writes (method POST) carries its guard: an edit form the version
of the record it was read at, any other writing form a one-time key, so that no form can overwrite someone
else's change unseen or create a record twice. The few forms that do neither say why below.

A new form added without a guard fails here; so does an edit page the walk no longer reaches."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from agencies.models import User
from agencies.regions import regions_load
from core.idempotency import KEY_FIELD
from core.versioning import VERSION_FIELD
from demo.foundation import DEMO_USERS
from tests.conftest import client_for
from tests.html_forms import post_forms

# Forms that edit a record: they must carry the version they were read at.
EDIT_FORMS = {
    "prevention:group_edit", "prevention:activist_edit", "prevention:patbm_activity_edit",
    "prevention:session_edit", "prevention:activity_edit", "agencies:edit", "agencies:user_edit",
    "cases:identify", "cases:assign", "cases:police",
    # Corrections after intake (cases.corrections): each carries the version of the record it changes.
    "cases:victim_edit", "cases:victim_violence", "cases:victim_remove", "cases:perpetrator_edit",
    "cases:perpetrator_remove", "cases:incident_edit",
}

# Forms that create (or record a step): they must carry a one-time key. Listed so that the walk proves it reached
# them; any other writing form found (re-opening a closed case, say) is held to the same rule.
CREATING_FORMS = {
    "cases:create", "cases:assess", "cases:plan", "cases:intervention", "cases:deliver", "cases:monitoring",
    "cases:closure_request", "cases:accompany", "cases:consent", "cases:note", "cases:attach",
    "cases:consent_withdraw", "cases:intake_detail", "cases:mediation", "referrals:send", "referrals:detail",
    "referrals:refer_in", "prevention:group_create", "prevention:activist_create",
    "prevention:patbm_activity_create", "prevention:patbm_photo_upload", "prevention:session_create",
    "prevention:session_refer", "prevention:activity_create", "reports:list", "agencies:create",
    "agencies:user_create", "core:workday_calendar",
}

# Writing forms without either guard, and why a repeat or a race is harmless for them.
UNGUARDED = {
    "logout": "ends the session; a repeat ends nothing more",
    "set_language": "sets a cookie",
    "password_change": "a person's own new password: a repeat sets the same one",
    "agencies:user_password_link": "e-mails the holder a link to set a password: a repeat creates nothing",
    "agencies:role_change": "a decision on a change of access: the service refuses a second decision",
    "agencies:device_reset_decide": "a decision on a phone reset: the service refuses a second decision",
    "agencies:user_unlock": "lifts a lockout: a repeat finds nothing left to lift",
    "inbox:notification_open": "marks one notice read: a repeat changes nothing",
    "inbox:notifications_read": "marks notices read: a repeat changes nothing",
    "core:workday_override_remove": "deletes a correction: a repeat finds nothing (404)",
    "reports:retry": "puts a failed report back in the queue; the service refuses one that is not failed",
    "cases:consent_approve": "a decision on a consent: the service refuses a second approval",
    "cases:closure_decide": "a decision on a closure: the service refuses a second one (the case is closed)",
    "referrals:detail#accept": "accepting a referral: the service refuses a second acceptance",
    "reports:verify": "checks a report's code (a read; its audit row is the only write)",
    "cases:search": "a search (a read, POST so the value stays out of URLs); its audit row is the only write",
}

SKIPPED_PATHS = ("/static/", "/akun/logout", "/i18n/", "/django-admin/")
VISITS_PER_ROUTE = 3  # a few records of each kind: their forms differ by state (a new referral, a closed case)


def _route(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0].split("#")[0])
    except Resolver404:
        return None
    return match.view_name


def _links(html: str) -> list[str]:
    import re

    return [href for href in re.findall(r'href="(/[^"#?]*)', html) if not href.startswith(SKIPPED_PATHS)]


def walk(client: Client) -> list[tuple[str, str, set[str], str]]:
    """Every POST form on the pages reachable from the home page: (page, route posted to, field names, its
    hidden action)."""
    queue, seen, per_route, found = ["/"], set(), {}, []
    while queue:
        path = queue.pop(0)
        route = _route(path)
        if path in seen or route is None or per_route.get(route, 0) >= VISITS_PER_ROUTE:
            continue
        seen.add(path)
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        for form in post_forms(html):
            target = _route(form.action or path)
            action = form.hidden.get("action") or ",".join(form.buttons.get("action", []))
            found.append((path, target, set(form.fields), action))
        queue.extend(link for link in _links(html) if link not in seen)
    return found


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    regions_load(district_code="73.22")
    call_command("seed_demo")


def test_every_writing_form_carries_a_version_or_a_one_time_key(demo):
    unguarded, edit_forms_seen, keyed_seen, forms_seen = [], set(), set(), 0
    for spec in DEMO_USERS:
        client = client_for(User.objects.get(username=spec.username))  # signed in with the second factor
        for page, route, fields, action in walk(client):
            forms_seen += 1
            names = {name.rsplit("-", 1)[-1] for name in fields}  # forms sharing a page have prefixes
            if route in EDIT_FORMS:
                edit_forms_seen.add(route)
                if VERSION_FIELD not in names:
                    unguarded.append(f"{spec.username} {page}: edit form to {route} without its version")
            elif route in UNGUARDED or f"{route}#{action}" in UNGUARDED:
                continue
            elif KEY_FIELD not in names:
                unguarded.append(f"{spec.username} {page}: form to {route} ({action or '-'}) without a one-time key")
            else:
                keyed_seen.add(route)
    assert not unguarded, "\n".join(unguarded)
    assert edit_forms_seen == EDIT_FORMS, f"edit forms the walk did not reach: {EDIT_FORMS - edit_forms_seen}"
    assert keyed_seen >= CREATING_FORMS, f"creating forms the walk did not reach: {CREATING_FORMS - keyed_seen}"
    assert forms_seen > 50

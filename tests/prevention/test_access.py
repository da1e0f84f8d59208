"""Who reaches which prevention page, and that PATBM and PUSPAGA staff never reach a case or referral page.

The walk over /kasus/ and /rujukan/ reads the URL patterns at run time, so every case and referral page
added later is covered by it too.
"""

import re
from datetime import date

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from agencies import services as agency_services
from cases import services as case_services
from core.codes import AgencyType, Service
from prevention import services
from referrals import services as referral_services
from tests.conftest import assert_hidden, client_for, register_case
from tests.prevention.conftest import make_group, record_activity, record_patbm_activity

pytestmark = pytest.mark.usefixtures("regions")


# Pages under /rujukan/ through which a PATBM or PUSPAGA sends a person to the UPTD PPA's intake queue
# (the referrals issue). They show only what the user's own agency sent, never a case: the walk checks that.
OWN_OUTGOING_PAGES = {"referrals:refer_in"}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}:{entry.name}" if namespace else entry.name


def _routes_under(*prefixes: str) -> list[tuple[str, str]]:
    return sorted({(route, name) for route, name in _walk(get_resolver().url_patterns) if route.startswith(prefixes)})


def _candidate_ids(*must: int) -> list[int]:
    """Ids of the rows the case and referral pages show, so the walk opens real records, not missing ones.

    On PostgreSQL ids keep growing across tests, so the test's own records are always included.
    """
    ids: set[int] = set()
    for label in ("cases", "referrals"):
        for model in apps.get_app_config(label).get_models():
            ids.update(model.objects.order_by("pk").values_list("pk", flat=True)[:2])
    return sorted(set(must) | set(sorted(i for i in ids if isinstance(i, int))[:4])) or [1]


def _urls(route: str, ids: list[int]) -> list[str]:
    if "<" not in route:
        return ["/" + route]
    urls = []
    for value in ids:
        url = re.sub(r"<int:[^>]+>", str(value), route)
        url = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", url)
        urls.append("/" + re.sub(r"<[^>]+>", "x", url))
    return urls


def test_patbm_and_puspaga_staff_get_404_on_every_case_and_referral_page(
        caseworker, supervisor, sysadmin, patbm_staff, puspaga_staff, police_agency):
    case = register_case(caseworker)
    # A referral PATBM could be tempted to see: the victim's consent covers sharing with PATBM, but a
    # referral cannot be addressed to PATBM at all, so it goes to the police and PATBM must not open it.
    agency_services.agency_update(agency=patbm_staff.agency, actor=sysadmin, services=[Service.REINTEGRATION],
                                  kecamatan=[])
    victim = case.victims.get()
    case_services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan", "berbagi"],
                                 given_by="orang_tua", given_by_name="Orang Tua Sintetis", form_version="PDP-2026-1",
                                 sharing_agency_types=[AgencyType.PATBM, AgencyType.POLICE])
    with pytest.raises(referral_services.ReferralError, match="PATBM dan PUSPAGA tidak menerima rujukan"):
        referral_services.referral_send(actor=caseworker, case=case, victim=victim,
                                        receiving_agency=patbm_staff.agency, services=[Service.REINTEGRATION],
                                        urgency="biasa", reason="Pemantauan anak di desa.")
    referral = referral_services.referral_send(
        actor=caseworker, case=case, victim=victim, receiving_agency=police_agency,
        services=[Service.LAW_ENFORCEMENT], urgency="biasa", reason="Laporan polisi.")
    session = services.puspaga_session_record(actor=puspaga_staff, held_on=date.today(), service="konseling",
                                              channel="telepon", issue="pengasuhan", counsellor=puspaga_staff)
    services.puspaga_session_refer(session=session, actor=puspaga_staff, summary="Mohon dihubungi.", urgency="biasa")
    ids = _candidate_ids(case.pk, referral.pk)
    routes = _routes_under("kasus/", "rujukan/")
    urls = [(url, name) for route, name in routes for url in _urls(route, ids)]
    urls += [("/kasus/", None), ("/rujukan/", None)]
    victim_code = case.victims.get().survivor_code
    opened = []
    for user in (patbm_staff, puspaga_staff):
        client = client_for(user)
        for url, name in urls:
            response = client.get(url)
            if name in OWN_OUTGOING_PAGES and response.status_code == 200:
                page = response.content.decode()
                assert case.number not in page and victim_code not in page, (user.username, url)
                continue
            if response.status_code == 405:  # a POST-only action: it must refuse the POST too
                response = client.post(url, {})
            hidden = response.status_code == 404 or (
                response.status_code == 302 and response["Location"].startswith("/akun/login/"))
            if not hidden:
                opened.append((user.username, url, response.status_code))
    assert opened == []
    # The walk opens pages that exist: whatever case pages there are, the UPTD PPA's own staff reach some.
    if _routes_under("kasus/"):
        staff = [client_for(supervisor), client_for(caseworker)]
        reachable = [url for url, _name in urls if url.startswith("/kasus/")
                     and any(client.get(url).status_code == 200 for client in staff)]
        assert reachable, "no case page answered the UPTD PPA's own staff: the walk proves nothing"


def test_prevention_pages_by_role(patbm_staff, puspaga_staff, personas):
    group = make_group(patbm_staff)
    patbm_activity = record_patbm_activity(group, patbm_staff, date.today())
    activity = record_activity(patbm_staff, date.today())
    session = services.puspaga_session_record(actor=puspaga_staff, held_on=date.today(), service="informasi",
                                              channel="kelompok", issue="remaja", counsellor=puspaga_staff)
    pages = {
        "coverage": ["/pencegahan/cakupan/"],
        "patbm": ["/pencegahan/patbm/", f"/pencegahan/patbm/{group.pk}/",
                  f"/pencegahan/patbm/kegiatan/{patbm_activity.pk}/"],
        "puspaga": ["/pencegahan/puspaga/", f"/pencegahan/puspaga/{session.pk}/"],
        "activities": ["/pencegahan/kegiatan/", f"/pencegahan/kegiatan/{activity.pk}/"],
    }
    allowed = {
        "supervisor": {"coverage", "patbm", "puspaga", "activities"},
        "official": {"coverage", "patbm", "puspaga", "activities"},
        "patbm": {"patbm", "activities"},
        "puspaga": {"puspaga"},  # the activity above is PATBM's, so PUSPAGA sees only its list
        "caseworker": set(), "police_officer": set(), "outsider": set(), "sysadmin": set(),
    }
    users = {**personas, "patbm": patbm_staff, "puspaga": puspaga_staff}
    for name, kinds in allowed.items():
        client = client_for(users[name])
        for kind, urls in pages.items():
            for url in urls:
                response = client.get(url)
                if kind in kinds:
                    assert response.status_code == 200, (name, url)
                elif name == "puspaga" and url == "/pencegahan/kegiatan/":
                    assert response.status_code == 200  # their own (empty) list
                else:
                    assert_hidden(response)


def test_the_menu_shows_prevention_pages_to_whom_they_serve(patbm_staff, puspaga_staff, personas):
    menus = {name: client_for(user).get("/").content.decode() for name, user in
             {"patbm": patbm_staff, "puspaga": puspaga_staff, "police": personas["police_officer"],
              "supervisor": personas["supervisor"], "caseworker": personas["caseworker"]}.items()}
    assert "Kelompok PATBM" in menus["patbm"] and "Sesi PUSPAGA" not in menus["patbm"]
    assert "Sesi PUSPAGA" in menus["puspaga"] and "Kelompok PATBM" not in menus["puspaga"]
    assert "Kegiatan pencegahan" in menus["patbm"] and "Kegiatan pencegahan" in menus["puspaga"]
    for name in ("police", "caseworker"):
        assert not any(label in menus[name] for label in ("Kelompok PATBM", "Sesi PUSPAGA", "Kegiatan pencegahan",
                                                          "Cakupan pencegahan"))
    assert "Cakupan pencegahan" in menus["supervisor"]


def test_the_prevention_address_opens_each_role_s_first_page(patbm_staff, puspaga_staff, personas):
    assert client_for(personas["supervisor"]).get("/pencegahan/")["Location"] == "/pencegahan/cakupan/"
    assert client_for(patbm_staff).get("/pencegahan/")["Location"] == "/pencegahan/patbm/"
    assert client_for(puspaga_staff).get("/pencegahan/")["Location"] == "/pencegahan/puspaga/"
    for name in ("police_officer", "caseworker", "outsider", "sysadmin"):
        assert_hidden(client_for(personas[name]).get("/pencegahan/"))


def test_home_pages_show_each_role_its_prevention_panel(patbm_staff, puspaga_staff, personas):
    group = make_group(patbm_staff)
    record_patbm_activity(group, patbm_staff, date.today())
    patbm_home = client_for(patbm_staff).get("/").content.decode()
    assert "PATBM lembaga Anda" in patbm_home and "1 kegiatan tahun ini" in patbm_home
    assert f"/pencegahan/patbm/{group.pk}/kegiatan/baru/" in patbm_home
    assert "Layanan PUSPAGA tahun ini" in client_for(puspaga_staff).get("/").content.decode()
    supervisor_home = client_for(personas["supervisor"]).get("/").content.decode()
    assert "Cakupan pencegahan tahun ini" in supervisor_home
    assert "PATBM aktif di 1 dari 173 desa/kelurahan" in supervisor_home
    police_home = client_for(personas["police_officer"]).get("/").content.decode()
    assert "PATBM lembaga Anda" not in police_home and "Cakupan pencegahan tahun ini" not in police_home

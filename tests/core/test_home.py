import pytest

from tests.conftest import assert_hidden, client_for

HEADINGS = {
    "caseworker": "Beranda pendamping",
    "supervisor": "Beranda koordinator",
    "police_officer": "Beranda lembaga mitra",
    "official": "Beranda pejabat",
    "sysadmin": "Beranda administrator sistem",
    "outsider": "Beranda pendamping",
}


@pytest.mark.parametrize("persona", list(HEADINGS))
def test_each_role_lands_on_its_own_home_page(personas, persona):
    response = client_for(personas[persona]).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert HEADINGS[persona] in page
    other_headings = {h for p, h in HEADINGS.items() if h != HEADINGS[persona]}
    assert not any(h in page for h in other_headings)


def test_home_page_sends_the_anonymous_to_login(db):
    assert_hidden(client_for(None).get("/"))


def test_navigation_shows_only_what_the_role_may_open(personas):
    official_page = client_for(personas["official"]).get("/").content.decode()
    assert "Kelola pengguna" not in official_page
    assert "Jejak audit" not in official_page
    admin_page = client_for(personas["sysadmin"]).get("/").content.decode()
    assert "Kelola pengguna" in admin_page and "Kelola lembaga" in admin_page


def test_login_page_speaks_indonesian_by_default(db):
    response = client_for(None).get("/akun/login/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="id"' in page
    assert "Masuk ke Simpul" in page
    assert "Nama pengguna" in page  # Django's own field label, translated


def test_login_page_speaks_english_when_chosen(db):
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/login/"})
    page = client.get("/akun/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in to Simpul" in page


def test_indonesian_stays_the_default_whatever_the_browser_prefers(db):
    from django.test import Client

    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/akun/login/").content.decode()
    assert 'lang="id"' in page and "Masuk ke Simpul" in page


def test_a_page_outside_ones_scope_says_so_in_indonesian(caseworker, settings):
    settings.DEBUG = False
    response = client_for(caseworker).get("/lembaga/999999/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()

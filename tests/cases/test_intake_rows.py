"""Rows of the intake form (issue 10): no choice is made for the worker, adding a row shows no error banner,
and a choice left empty is refused with an Indonesian message next to it."""

import re

from django.urls import reverse

from cases.models import Case
from tests.cases.test_intake_views import intake_data, post_intake
from tests.conftest import client_for

BANNER = "Kasus belum tersimpan"


def selected_values(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', page, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))


def test_a_new_form_makes_no_choice_for_the_worker(caseworker, regions):
    page = client_for(caseworker).get(reverse("cases:create")).content.decode()
    for name in ("korban-0-sex", "korban-0-education", "korban-0-occupation", "pelaku-0-sex",
                 "pelaku-0-relationship_0"):
        assert selected_values(page, name) in ([], [""]), name
    assert "— pilih —" in page


def test_adding_rows_shows_no_error_banner_even_with_mistakes_typed(caseworker, regions):
    for button, new_row in (("tambah_korban", "korban-1-education"), ("tambah_pelaku", "pelaku-1-relationship_0")):
        data = intake_data(victims=1, perpetrators=1) | {button: "1", "received_at": "", "korban-0-nik": "123",
                                                        "korban-0-violence_types": []}
        page = post_intake(caseworker, data).content.decode()
        assert BANNER not in page and "invalid-feedback" not in page, button
        assert selected_values(page, new_row) in ([], [""]), new_row
        assert 'value="123"' in page  # what was typed stays
    assert not Case.objects.exists()


def test_a_second_victim_without_education_or_occupation_is_refused_in_words(caseworker, regions):
    data = intake_data(victims=2, perpetrators=0)
    data |= {"korban-1-education": "", "korban-1-occupation": "", "korban-1-sex": ""}
    page = post_intake(caseworker, data).content.decode()
    assert not Case.objects.exists() and BANNER in page
    assert "Pilih pendidikan korban (Lainnya/NA bila tidak diketahui)." in page
    assert "Pilih pekerjaan korban (N/A bila tidak diketahui)." in page
    assert "Pilih jenis kelamin korban." in page


def test_a_perpetrator_row_needs_its_relationship_to_every_victim(caseworker, regions):
    data = intake_data(victims=2, perpetrators=1) | {"pelaku-0-relationship_1": ""}
    page = post_intake(caseworker, data).content.decode()
    assert not Case.objects.exists()
    assert "Pilih hubungan pelaku dengan korban 2 (NA bila tidak diketahui)." in page
    response = post_intake(caseworker, data | {"pelaku-0-relationship_1": "na"})
    assert response.status_code == 302
    assert sorted(Case.objects.get().perpetrators.get().victim_links.values_list("relationship", flat=True)) == [
        "na", "orang_tua"]


def test_a_missing_violence_type_is_said_next_to_its_boxes(caseworker, regions):
    page = post_intake(caseworker, intake_data() | {"korban-0-violence_types": []}).content.decode()
    boxes_then_message = re.search(r'name="korban-0-violence_types".*?class="invalid-feedback".*?'
                                   r'Pilih setidaknya satu jenis kekerasan\.', page, re.S)
    assert boxes_then_message

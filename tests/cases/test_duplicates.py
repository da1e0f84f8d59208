"""Possible duplicates at intake: same NIK, or same name and birth date, within the user's agency only;
matches name the case number and survivor code only for cases in the user's scope (else only the agency),
never the other case's names."""

from datetime import date

from cases import services
from cases.selectors import possible_duplicates
from tests.conftest import register_case


def victim(name="Siti Sintetis", nik="9999990101010001", birth=date(2012, 3, 4)):
    return services.VictimData(name=name, sex="P", nik=nik, birth_date=birth, violence_types=["fisik"])


def test_same_nik_or_same_name_and_birth_date_match_within_the_agency(caseworker, supervisor, outsider, regions):
    first = register_case(caseworker, victims=[victim()])
    code = first.victims.get().survivor_code
    by_nik = possible_duplicates(user=supervisor, victims=[("9999990101010001", "Nama Lain", None)])
    assert [(m.case_number, m.survivor_code, m.reason) for m in by_nik] == [(first.number, code, "nik")]
    by_name = possible_duplicates(user=caseworker, victims=[("", "  siti sintetis ", date(2012, 3, 4))])
    assert [(m.case_number, m.reason) for m in by_name] == [(first.number, "nama_tanggal_lahir")]
    assert possible_duplicates(user=caseworker, victims=[("", "Siti Sintetis", date(2012, 3, 5))]) == []
    # Another district's UPTD PPA never learns that the person is recorded here.
    # Another agency learns that a possible match exists, and where (issue 10), never its number or code.
    assert [(m.case_number, m.survivor_code, m.agency_name) for m in possible_duplicates(
        user=outsider, victims=[("9999990101010001", "Siti Sintetis", date(2012, 3, 4))])] == [("", "", "UPTD PPA Uji")]


def test_a_caseworker_learns_only_the_agency_of_a_match_outside_their_caseload(caseworker, supervisor, regions):
    other = register_case(supervisor, victims=[victim()])  # unassigned: the caseworker cannot open it
    own = register_case(supervisor, assigned_worker=caseworker, victims=[victim(nik="9999990101010002")])
    matches = possible_duplicates(user=caseworker, victims=[("9999990101010001", "", None),
                                                            ("9999990101010002", "", None)])
    assert [(m.case_number, m.survivor_code, m.agency_name) for m in matches] == [
        ("", "", "UPTD PPA Uji"), (own.number, own.victims.get().survivor_code, "UPTD PPA Uji")]
    assert [m.case_number for m in matches.in_scope] == [own.number] and matches.elsewhere == ["UPTD PPA Uji"]
    # The coordinator's scope is the whole unit: both by number.
    assert {m.case_number for m in possible_duplicates(user=supervisor, victims=[("9999990101010001", "", None)])} \
        == {other.number}


def test_the_case_itself_can_be_left_out(caseworker, regions):
    case = register_case(caseworker, victims=[victim()])
    assert possible_duplicates(user=caseworker, victims=[("9999990101010001", "", None)],
                               exclude_case_id=case.pk) == []

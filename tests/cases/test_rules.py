"""The rules written once in cases/rules.py: what makes a case TPKS or TPPO and the list of assessment needs.
The Python answer (one case) and the SQL answer (lists and counts) must agree."""

import pytest

from cases import rules, selectors
from cases.models import Assessment, Case
from tests.conftest import register_case

CASES = {
    "physical": dict(violence_types=["fisik"]),
    "sexual": dict(violence_types=["seksual"]),
    "tpks-form-only": dict(violence_types=["fisik"], tpks_forms=["perbuatan_cabul"]),
    "trafficking": dict(violence_types=["tppo"]),
    "tppo-element-only": dict(violence_types=["eksploitasi"], tppo_elements=["proses_perekrutan"]),
}
TPKS = {"sexual", "tpks-form-only"}
TPPO = {"trafficking", "tppo-element-only"}


@pytest.mark.parametrize("name", CASES)
def test_tpks_and_tppo_give_one_answer_however_the_case_was_loaded(caseworker, regions, name):
    case = register_case(caseworker, **CASES[name])
    plain = Case.objects.get(pk=case.pk)
    for_page = selectors.case_for_page(Case.objects.filter(pk=case.pk)).get()
    in_sql = rules.with_tpks(Case.objects.filter(pk=case.pk)).values_list("is_tpks", flat=True).get()
    assert rules.is_tpks(plain) == rules.is_tpks(for_page) == in_sql == (name in TPKS)
    assert rules.is_tppo(plain) == rules.is_tppo(for_page) == (name in TPPO)


def test_the_list_of_assessment_needs_is_the_assessment_record(db):
    # A need added to the model but not to the list would be stored by nobody and shown nowhere.
    fields = [field.name for field in Assessment._meta.fields if field.name.startswith("need_")]
    assert list(rules.ASSESSMENT_NEEDS) == fields

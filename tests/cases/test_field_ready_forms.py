"""Forms that offer only what the law and the record allow, carry values forward and name people (issue 14,
"where to start"): no consent to a mediation the law rules out, the risk level carried from identification
into the assessment, staff shown by name in every dropdown."""

import re

import pytest
from django.urls import reverse

from cases import services
from tests.conftest import client_for, register_case


def url(name, case):
    return reverse(f"cases:{name}", args=[case.pk])


# --- No mediation consent where the law forbids mediation (UU 12/2022 Pasal 23; UU 21/2007) ---------------

@pytest.mark.parametrize("kwargs", [dict(violence_types=["seksual"]), dict(violence_types=["tppo"])],
                         ids=["sexual", "trafficking"])
def test_consent_form_does_not_offer_mediation_on_a_case_the_law_bars_it(caseworker, regions, kwargs):
    case = register_case(caseworker, victim_age=30, **kwargs)
    html = client_for(caseworker).get(url("consent", case)).content.decode()
    assert 'value="layanan"' in html and 'value="mediasi"' not in html
    with pytest.raises(services.CaseError, match="UU"):
        services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["mediasi"],
                                given_by="korban", form_version="IC-2026-1")
    page = client_for(caseworker).get(url("detail", case)).content.decode()
    assert url("mediation", case) not in page  # nor the button leading only to the refusal


def test_consent_form_offers_mediation_where_the_law_allows_it(caseworker, regions):
    case = register_case(caseworker, victim_age=30, violence_types=["penelantaran"])
    html = client_for(caseworker).get(url("consent", case)).content.decode()
    assert 'value="mediasi"' in html


# --- The risk level set at identification is carried into the assessment --------------------------------

def _checked_risk(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="risk_level"[^>]*value="(\w+)"[^>]*checked', html)


def test_assessment_form_starts_from_the_risk_set_at_identification(caseworker, regions):
    case = register_case(caseworker)
    services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="tinggi",
                           responsibility="kabupaten")
    client = client_for(caseworker)
    assert _checked_risk(client.get(url("assess", case)).content.decode()) == ["tinggi"]
    # A later assessment changes the risk: the next one starts from that.
    services.assessment_record(case=case, actor=caseworker, risk_level="sedang")
    assert _checked_risk(client.get(url("assess", case)).content.decode()) == ["sedang"]


# --- Staff are shown by name, never by login name ------------------------------------------------------

def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [label.strip() for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                                                         select.group(1)) if value]


def test_staff_dropdowns_show_names_not_login_names(caseworker, supervisor, regions):
    case = register_case(caseworker)
    services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="sedang",
                           responsibility="kabupaten")
    services.assessment_record(case=case, actor=caseworker, risk_level="sedang", needs=["need_health"])
    client = client_for(supervisor)
    dropdowns = {
        "assigned_worker": client.get(reverse("cases:create")).content.decode(),
        "provider_user": client.get(url("plan", case)).content.decode(),
        "accompanied_by": client.get(url("accompany", case)).content.decode(),
        "worker": client.get(url("assign", case)).content.decode(),
    }
    for field, html in dropdowns.items():
        labels = _options(html, field)
        assert caseworker.get_full_name() in " ".join(labels), (field, labels)
        assert caseworker.username not in labels and supervisor.username not in labels, (field, labels)

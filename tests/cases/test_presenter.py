"""The case page presenter: which actions the page offers, to whom, on a case in which state. The page
shows what the presenter decides, so these are the page's rules without parsing HTML."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.presenters import case_page
from core import workdays
from tests.cases.test_mediation import ready_for_mediation
from tests.conftest import client_for, register_case


def page_for(case, user, **kwargs):
    """The presenter's answer for `case`, loaded the way the case page loads it."""
    loaded = selectors.case_for_page(selectors.cases_visible_to(user=user)).get(pk=case.pk)
    return case_page(case=loaded, user=user, **kwargs)


def action_url(page, section):
    action = page.sections[section].action
    return action.url if action else None


def step_labels(page):
    return [str(step.label) for step in page.steps]


# --- Mediation only where the law allows it (UU 12/2022 Pasal 23) ---------------------------------

@pytest.mark.parametrize(("kwargs", "reason"), [
    (dict(violence_types=["seksual"]), "UU 12/2022 tentang TPKS Pasal 23"),
    (dict(violence_types=["fisik"], tpks_forms=["pelecehan_fisik"]), "UU 12/2022 tentang TPKS Pasal 23"),
    (dict(violence_types=["tppo"]), "UU 21/2007"),
    (dict(violence_types=["eksploitasi"], tppo_elements=["proses_perekrutan"]), "UU 21/2007"),
    (dict(violence_types=["seksual"], perpetrator_is_child=True), "diversi"),
], ids=["sexual", "tpks-form", "trafficking", "tppo-element", "child-perpetrator"])
def test_mediation_is_not_offered_where_the_law_rules_it_out_and_the_page_says_why(caseworker, regions, kwargs,
                                                                                    reason):
    case = ready_for_mediation(register_case(caseworker, victim_age=30, **kwargs), caseworker)
    page = page_for(case, caseworker)
    assert page.sections["mediation"].action is None
    assert reason in page.mediation_bar
    html = client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:mediation", args=[case.pk]) not in html and reason in html


def test_mediation_is_offered_on_a_case_the_law_allows(caseworker, regions):
    case = register_case(caseworker, victim_age=32, violence_types=["penelantaran", "psikis"])
    page = page_for(case, caseworker)
    assert action_url(page, "mediation") == reverse("cases:mediation", args=[case.pk])
    assert page.mediation_bar == ""


# --- Who may do what --------------------------------------------------------------------------------

def test_only_a_supervisor_other_than_the_requester_is_offered_the_closure_decision(caseworker, supervisor, regions):
    case = register_case(caseworker)
    services.closure_request(case=case, actor=caseworker, reason="Tujuan intervensi tercapai")
    decide = reverse("cases:closure_decide", args=[case.pk])
    assert decide in [step.url for step in page_for(case, supervisor).steps]
    worker_page = page_for(case, caseworker)
    assert decide not in [step.url for step in worker_page.steps]
    assert "Menunggu keputusan koordinator atas terminasi" in step_labels(worker_page)
    assert worker_page.closure_pending and not worker_page.closed

    # A closure the supervisor asked for is decided by another supervisor, never by the caseworker.
    by_boss = register_case(caseworker)
    services.closure_request(case=by_boss, actor=supervisor, reason="Korban pindah")
    assert reverse("cases:closure_decide", args=[by_boss.pk]) not in [
        step.url for step in page_for(by_boss, caseworker).steps]

    own = register_case(supervisor, assigned_worker=supervisor)
    services.closure_request(case=own, actor=supervisor, reason="Korban pindah")
    assert reverse("cases:closure_decide", args=[own.pk]) not in [s.url for s in page_for(own, supervisor).steps]


def test_assigning_is_offered_to_the_supervisor_on_open_cases_only(caseworker, supervisor, regions):
    unassigned = register_case(supervisor)
    assert page_for(unassigned, supervisor).assign.label == "Tugaskan"
    assigned = register_case(caseworker)
    assert page_for(assigned, supervisor).assign.label == "Tugaskan ulang"
    assert page_for(assigned, caseworker).assign is None
    services.closure_request(case=assigned, actor=caseworker, reason="Selesai")
    services.closure_approve(case=assigned, actor=supervisor)
    assert page_for(assigned, supervisor).assign is None


def test_consent_approval_is_offered_to_the_supervisor_and_withdrawal_only_while_in_force(caseworker, supervisor,
                                                                                         regions):
    case = register_case(caseworker, victim_age=8)
    services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["layanan"],
                            given_by="wali", given_by_name="Nenek", form_version="IC-1", parent_is_perpetrator=True)
    [row] = page_for(case, supervisor).consents
    assert row.awaiting_approval and row.approve.url.endswith("/setujui/") and row.withdraw is not None
    [row] = page_for(case, caseworker).consents
    assert row.awaiting_approval and row.approve is None and row.withdraw is not None
    services.consent_withdraw(consent=row.consent, actor=caseworker, reason="Keluarga menarik persetujuan")
    [row] = page_for(case, supervisor).consents
    assert row.withdrawn and not row.awaiting_approval and row.approve is None and row.withdraw is None


def test_the_audit_trail_is_a_section_for_the_supervisor_only(caseworker, supervisor, regions):
    case = register_case(caseworker)
    client_for(caseworker).get(reverse("cases:detail", args=[case.pk]))
    boss = page_for(case, supervisor)
    assert "audit" in [section.anchor for section in boss.nav]
    assert [read.actor_label for read in boss.reads] == ["pendamping_uji"]
    worker = page_for(case, caseworker)
    assert "audit" not in [section.anchor for section in worker.nav] and worker.reads == []


# --- Actions follow the record's state ----------------------------------------------------------------

def test_recording_actions_follow_the_stage(caseworker, regions):
    case = register_case(caseworker)
    page = page_for(case, caseworker)
    assert action_url(page, "assessments") is None  # identification comes first
    assert action_url(page, "plan") is None
    assert step_labels(page)[0] == "Identifikasi kasus"
    services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="sedang",
                           responsibility="kabupaten")
    page = page_for(case, caseworker)
    assert action_url(page, "assessments") == reverse("cases:assess", args=[case.pk])
    assert action_url(page, "plan") is None  # a plan needs an assessment
    services.assessment_record(case=case, actor=caseworker, risk_level="sedang", needs=["need_legal", "need_health"])
    page = page_for(case, caseworker)
    assert action_url(page, "plan") == reverse("cases:plan", args=[case.pk])
    assert page.assessments[0].needs == "kesehatan; bantuan hukum"  # the standard's order, not the click order


def test_a_closed_case_offers_reopening_and_keeps_only_consent_notes_and_attachments(caseworker, supervisor,
                                                                                      regions):
    case = register_case(caseworker, violence_types=["seksual"])
    services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="rendah",
                           responsibility="kabupaten")
    services.closure_request(case=case, actor=caseworker, reason="Korban pindah")
    services.closure_approve(case=case, actor=supervisor)
    page = page_for(case, caseworker)
    assert page.closed and not page.closure_pending
    assert step_labels(page) == ["Buka kembali kasus"]
    offered = {name for name, section in page.sections.items() if section.action}
    assert offered == {"consents", "notes", "attachments"}


def test_a_tpks_case_puts_the_police_report_first_until_it_is_recorded(caseworker, regions):
    case = register_case(caseworker, violence_types=["seksual"])
    page = page_for(case, caseworker)
    assert step_labels(page)[0] == "Catat laporan ke kepolisian" and page.steps[0].primary
    assert "UU 12/2022 Pasal 41" in page.police_note
    assert "Lapor ke kepolisian (TPKS)" in [str(item.label) for item in page.deadlines]
    services.police_report_record(case=case, actor=caseworker, reference="LP/12/2026")
    page = page_for(case, caseworker)
    assert "Catat laporan ke kepolisian" not in step_labels(page)
    assert action_url(page, "police") is None


# --- What the page costs and where personal data goes ----------------------------------------------

def test_the_presenter_reads_only_what_the_page_query_loaded(caseworker, supervisor, regions,
                                                             django_assert_num_queries):
    case = register_case(caseworker, violence_types=["seksual", "tppo"], tpks_forms=["perkosaan"])
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        workdays.holidays_of(year)  # the calendar reads a year once, then serves pages from its cache
    loaded = selectors.case_for_page(selectors.cases_visible_to(user=caseworker)).get(pk=case.pk)
    with django_assert_num_queries(0):
        case_page(case=loaded, user=caseworker)
    loaded = selectors.case_for_page(selectors.cases_visible_to(user=supervisor)).get(pk=case.pk)
    with django_assert_num_queries(1):  # the audit trail
        case_page(case=loaded, user=supervisor)


def test_identifying_data_appears_only_in_the_identity_section(caseworker, supervisor, regions):
    victim = services.VictimData(name="Nama Rahasia Sintetis", sex="P", age=14, nik="9999991234567890",
                                 violence_types=["fisik"], address_detail="Jalan Rahasia 7", phone="0800-1111")
    perpetrator = services.PerpetratorData(sex="L", age=40, name="Pelaku Rahasia", relationships={0: "tetangga"})
    case = register_case(caseworker, victims=[victim], perpetrators=[perpetrator], reporter_name="Pelapor Rahasia",
                         reporter_contact="0800-2222")
    secrets = ["Nama Rahasia", "9999991234567890", "Jalan Rahasia", "0800-1111", "Pelaku Rahasia",
               "Pelapor Rahasia", "0800-2222"]
    html = client_for(supervisor).get(reverse("cases:detail", args=[case.pk])).content.decode()
    start = html.index('id="identitas"')
    end = html.index("</section>", start)
    for secret in secrets:
        assert secret in html[start:end], secret
        assert secret not in html[:start] + html[end:], secret

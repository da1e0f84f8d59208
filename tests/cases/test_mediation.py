"""Mediation under the law: UU 12/2022 (TPKS) Pasal 23 forbids settling sexual-violence cases outside
court except for child perpetrators, where diversion under UU 11/2012 (SPPA) runs through law
enforcement; trafficking (UU 21/2007) is never mediated. An allowed mediation needs every victim's
effective consent covering mediation and an assessment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import rules, services
from cases.models import Mediation
from core.models import AuditEvent
from tests.conftest import register_case


def ready_for_mediation(case, actor, *, consent=True, assessment=True):
    services.case_identify(case=case, actor=actor, case_type="ktp", risk_level="rendah", responsibility="kabupaten")
    if assessment:
        services.assessment_record(case=case, actor=actor, risk_level="rendah", needs=["need_economic"])
    if consent:
        for victim in case.victims.all():
            giver = "orang_tua" if victim.is_child else "korban"
            # Consent to a mediation the law rules out cannot be recorded (UU 12/2022 Pasal 23): services only.
            scopes = ["layanan", "mediasi"] if rules.mediation_bar(case) is None else ["layanan"]
            services.consent_record(case=case, victim=victim, actor=actor, scopes=scopes,
                                    given_by=giver, form_version="IC-2026-1")
    return case


def mediate(case, actor):
    return services.mediation_record(case=case, actor=actor, mediator="Mediator Terlatih Demo",
                                     parties="Korban dan suami (sintetis)", held_on=timezone.localdate(),
                                     record="Berita acara sintetis", agreement="Nafkah anak dibayar tiap bulan",
                                     follow_up_on=timezone.localdate() + timedelta(days=30))


@pytest.mark.parametrize("kwargs", [
    dict(violence_types=["seksual"]),
    dict(violence_types=["fisik"], tpks_forms=["pelecehan_fisik"]),
], ids=["violence-type-sexual", "tpks-form"])
def test_sexual_violence_with_an_adult_perpetrator_is_refused_naming_uu_tpks(caseworker, regions, kwargs):
    case = ready_for_mediation(register_case(caseworker, victim_age=30, **kwargs), caseworker)
    with pytest.raises(services.MediationRefused, match=r"UU 12/2022 tentang TPKS Pasal 23") as refusal:
        mediate(case, caseworker)
    assert not isinstance(refusal.value, services.DiversionRequired)
    assert not Mediation.objects.exists()


@pytest.mark.parametrize("kwargs", [
    dict(violence_types=["tppo"]),
    dict(violence_types=["eksploitasi"], tppo_elements=["proses_perekrutan", "cara_penipuan"]),
], ids=["violence-type-tppo", "tppo-elements"])
def test_trafficking_is_refused_naming_uu_ptppo(caseworker, regions, kwargs):
    case = ready_for_mediation(register_case(caseworker, victim_age=19, **kwargs), caseworker)
    with pytest.raises(services.MediationRefused, match=r"UU 21/2007"):
        mediate(case, caseworker)
    assert not Mediation.objects.exists()


def test_a_child_perpetrator_leads_to_diversion_not_mediation(caseworker, regions):
    case = ready_for_mediation(register_case(caseworker, violence_types=["seksual"], perpetrator_is_child=True),
                               caseworker)
    with pytest.raises(services.DiversionRequired, match=r"diversi .* UU 11/2012"):
        mediate(case, caseworker)
    assert not Mediation.objects.exists()


def test_one_adult_among_child_perpetrators_means_no_diversion_exception(caseworker, regions):
    perpetrators = [services.PerpetratorData(sex="L", age=16, relationships={0: "pacar_teman"}),
                    services.PerpetratorData(sex="L", age=25, relationships={0: "pacar_teman"})]
    case = ready_for_mediation(register_case(caseworker, violence_types=["seksual"], perpetrators=perpetrators),
                               caseworker)
    with pytest.raises(services.MediationRefused, match="Pasal 23") as refusal:
        mediate(case, caseworker)
    assert not isinstance(refusal.value, services.DiversionRequired)


def test_sexual_violence_with_no_recorded_perpetrator_is_refused(caseworker, regions):
    case = ready_for_mediation(register_case(caseworker, violence_types=["seksual"], perpetrators=[]), caseworker)
    with pytest.raises(services.MediationRefused, match="Pasal 23"):
        mediate(case, caseworker)


def test_an_allowed_case_records_a_mediation(caseworker, regions):
    # A household-neglect (nafkah) dispute between adults: within the UPTD's mediation scope.
    case = ready_for_mediation(register_case(caseworker, victim_age=32, violence_types=["penelantaran", "psikis"]),
                               caseworker)
    mediation = mediate(case, caseworker)
    assert mediation.mediator == "Mediator Terlatih Demo"
    assert mediation.agreement == "Nafkah anak dibayar tiap bulan"
    assert mediation.follow_up_on == timezone.localdate() + timedelta(days=30)
    assert "mediasi" in mediation.consent.scopes
    assert AuditEvent.objects.filter(action="case.mediation", object_id=str(case.pk)).exists()


def test_mediation_needs_an_assessment(caseworker, regions):
    case = ready_for_mediation(register_case(caseworker, victim_age=32, violence_types=["penelantaran"]),
                               caseworker, assessment=False)
    with pytest.raises(services.CaseError, match="Mediasi memerlukan asesmen"):
        mediate(case, caseworker)


def test_mediation_needs_effective_consent_covering_mediation(caseworker, regions):
    case = ready_for_mediation(register_case(caseworker, victim_age=32, violence_types=["penelantaran"]),
                               caseworker, consent=False)
    victim = case.victims.get()
    with pytest.raises(services.CaseError, match=f"Belum ada untuk: {victim.survivor_code}"):
        mediate(case, caseworker)
    # Consent to services only does not cover mediation.
    services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan"], given_by="korban",
                            form_version="IC-2026-1")
    with pytest.raises(services.CaseError, match="persetujuan yang berlaku untuk mediasi"):
        mediate(case, caseworker)
    consent = services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["mediasi"],
                                      given_by="korban", form_version="IC-2026-1")
    services.consent_withdraw(consent=consent, actor=caseworker, reason="Korban berubah pikiran")
    with pytest.raises(services.CaseError, match="persetujuan yang berlaku untuk mediasi"):
        mediate(case, caseworker)
    assert not Mediation.objects.exists()


def test_mediation_follow_up_comes_after_the_mediation(caseworker, regions):
    case = ready_for_mediation(register_case(caseworker, victim_age=32, violence_types=["penelantaran"]),
                               caseworker)
    with pytest.raises(services.CaseError, match="sesudah tanggal mediasi"):
        services.mediation_record(case=case, actor=caseworker, mediator="M", parties="P",
                                  held_on=timezone.localdate(), follow_up_on=timezone.localdate() - timedelta(days=1))

"""The legal rules that decide how a case is handled, written once and asked by services, the case page,
forms, deadlines and referrals (a second copy is a bug waiting for a date).

Glossary: TPKS = tindak pidana kekerasan seksual (sexual violence crime, UU 12/2022); TPPO = tindak pidana
perdagangan orang (trafficking, UU 21/2007).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Assessment, Case, VictimViolence
from core import codes

# The needs a biopsychosocial assessment records (Permen PPPA 2/2022), in the order forms and pages show them.
ASSESSMENT_NEEDS = ("need_health", "need_psychological", "need_social", "need_economic", "need_education",
                    "need_legal", "need_safety", "need_shelter")


def need_label(name: str) -> str:
    return Assessment._meta.get_field(name).verbose_name


def assessment_needs(assessment: Assessment) -> list[str]:
    """The labels of the needs an assessment found, in the standard's order."""
    return [str(need_label(name)) for name in ASSESSMENT_NEEDS if getattr(assessment, name)]


def victim_case_type(*, is_child: bool, sex: str) -> str:
    """The SIMFONI-PPA case type of one victim: AMPK (anak memerlukan perlindungan khusus, UU 35/2014 Pasal 59)
    for a child, KtP (kekerasan terhadap perempuan) for an adult woman, none for an adult man.

    Per victim, because one case can hold both (a mother and her daughter). The migration that moved the
    case type to the victims applies the same rule (cases/migrations/0010_victim_facts_from_case).
    """
    if is_child:
        return codes.CaseType.AMPK
    return codes.CaseType.KTP if sex == codes.Sex.FEMALE else ""


def _prefetched(instance, name: str) -> bool:
    return name in getattr(instance, "_prefetched_objects_cache", {})


def violence_types(case: Case) -> set[str]:
    """Every violence type recorded for the case's victims; read from the prefetch when the case page made one."""
    if _prefetched(case, "victims") and all(_prefetched(victim, "violence_types") for victim in case.victims.all()):
        return {row.violence_type for victim in case.victims.all() for row in victim.violence_types.all()}
    return set(VictimViolence.objects.filter(victim__case=case).values_list("violence_type", flat=True))


def is_tpks(case: Case) -> bool:
    """Sexual violence under UU 12/2022: a victim with violence type "seksual" or any TPKS form (Pasal 4) recorded.

    A case loaded through `with_tpks` carries the answer from the database (the same rule in SQL).
    """
    if "is_tpks" in case.__dict__:
        return bool(case.__dict__["is_tpks"])
    incident = getattr(case, "incident", None)
    return bool(incident and incident.tpks_forms) or codes.ViolenceType.SEXUAL in violence_types(case)


def is_tppo(case: Case) -> bool:
    """Trafficking under UU 21/2007: a victim with violence type "tppo" or any element of TPPO (Pasal 1) recorded."""
    incident = getattr(case, "incident", None)
    return bool(incident and incident.tppo_elements) or codes.ViolenceType.TRAFFICKING in violence_types(case)


def tpks_expression() -> ExpressionWrapper:
    """`is_tpks` as a boolean column, for lists and counts over many cases."""
    sexual = Exists(VictimViolence.objects.filter(victim__case=OuterRef("pk"),
                                                  violence_type=codes.ViolenceType.SEXUAL))
    return ExpressionWrapper(Q(sexual) | ~Q(incident__tpks_forms=[]), output_field=BooleanField())


def with_tpks(cases: QuerySet) -> QuerySet:
    return cases.annotate(is_tpks=tpks_expression())


# --- Mediation under the law -------------------------------------------------------------------

@dataclass(frozen=True)
class MediationBar:
    """Why the law rules out a UPTD mediation on a case."""

    reason: str
    diversion: bool  # every perpetrator is a child: diversion by law enforcement (UU 11/2012 SPPA) instead


def mediation_bar(case: Case) -> MediationBar | None:
    """None where the law allows a mediation; otherwise why not (UU 12/2022 Pasal 23, UU 21/2007)."""
    sexual, trafficking = is_tpks(case), is_tppo(case)
    if not (sexual or trafficking):
        return None
    perpetrators = list(case.perpetrators.all())
    # UU 12/2022 Pasal 23: no settlement outside court, except for a child perpetrator as the law provides
    # (UU 11/2012 SPPA): that is diversion by the police, prosecutor or court, not a UPTD mediation.
    if perpetrators and all(p.is_child for p in perpetrators):
        return MediationBar(_(
            "Semua pelaku adalah anak. Penyelesaian di luar pengadilan hanya melalui diversi oleh aparat "
            "penegak hukum menurut UU 11/2012 tentang Sistem Peradilan Pidana Anak (SPPA), bukan mediasi "
            "UPTD PPA (UU 12/2022 Pasal 23). Rujuk kasus ke Unit PPA Polres."), diversion=True)
    if sexual and trafficking:
        return MediationBar(_(
            "Mediasi tidak dapat dicatat: perkara kekerasan seksual tidak dapat diselesaikan di luar proses "
            "peradilan (UU 12/2022 tentang TPKS Pasal 23), dan tindak pidana perdagangan orang diproses "
            "menurut UU 21/2007 tentang PTPPO."), diversion=False)
    if sexual:
        return MediationBar(_(
            "Mediasi tidak dapat dicatat: perkara kekerasan seksual tidak dapat diselesaikan di luar proses "
            "peradilan (UU 12/2022 tentang TPKS Pasal 23)."), diversion=False)
    return MediationBar(_(
        "Mediasi tidak dapat dicatat: tindak pidana perdagangan orang diproses menurut UU 21/2007 tentang "
        "PTPPO dan tidak diselesaikan di luar proses peradilan (sejalan dengan UU 12/2022 Pasal 23)."),
        diversion=False)

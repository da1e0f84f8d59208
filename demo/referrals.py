"""Synthetic referrals for the demo: the demo cases referred to the police Unit PPA, the hospital and social
services, in every state (new, overdue, accepted, in progress, done, declined, revoked) and one sent by the
supervisor on a legal basis. Everything goes through the services; the sending times are then moved back
(as if the referrals were sent days ago) and the deadline job runs, so overdue markers and notifications
are the job's own. Running it again adds nothing once referrals exist. Skipped when there are no demo cases.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from agencies.models import Agency, Role, User
from cases.models import Case
from core import codes
from referrals import services
from referrals.models import Referral
from referrals.services import ReferralError
from referrals.sharing import sharing_consent

UPTD_NAME = "UPTD PPA Kabupaten Luwu Utara"


def _backdate(referral: Referral, hours: float) -> None:
    """Move a referral's clock back, as if it had been sent `hours` ago (demo only)."""
    shift = timedelta(hours=hours)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=F("sent_at") - shift, due_at=F("due_at") - shift, escalate_at=F("escalate_at") - shift)
    referral.refresh_from_db()


def _answered_after(referral: Referral, hours: float) -> None:
    Referral.objects.filter(pk=referral.pk).update(answered_at=referral.sent_at + timedelta(hours=hours))


def _completed_after(referral: Referral, hours: float) -> None:
    Referral.objects.filter(pk=referral.pk).update(completed_at=referral.sent_at + timedelta(hours=hours))


def seed_referrals(*, agencies: dict[str, Agency] | None = None) -> int:
    """Add the demo referrals; returns how many were sent (0 when they exist or there is nothing to refer)."""
    agencies = agencies or {}
    uptd = agencies.get("uptd") or Agency.objects.filter(name=UPTD_NAME).first()
    if uptd is None or Referral.objects.filter(sending_agency=uptd).exists():
        return 0
    police = agencies.get("polres") or Agency.objects.filter(agency_type=codes.AgencyType.POLICE).first()
    hospital = agencies.get("rsud") or Agency.objects.filter(agency_type=codes.AgencyType.HOSPITAL).first()
    social = agencies.get("dinsos") or Agency.objects.filter(agency_type=codes.AgencyType.SOCIAL).first()
    supervisor = User.objects.filter(agency=uptd, role=Role.SUPERVISOR, is_active=True).order_by("username").first()
    open_cases = list(Case.objects.filter(agency=uptd, closed_at__isnull=True, assigned_worker__isnull=False)
                      .exclude(stage=codes.CaseStage.CLOSED).select_related("assigned_worker", "incident")
                      .prefetch_related("victims").order_by("received_at"))
    if not open_cases or None in (police, hospital, social, supervisor):
        return 0

    def consented(case: Case, agency: Agency) -> bool:
        return sharing_consent(victim=case.victims.all()[0], agency_type=agency.agency_type) is not None

    def send(case: Case, agency: Agency, service: str, urgency: str, reason: str, **extra) -> Referral | None:
        actor = extra.pop("actor", case.assigned_worker)
        try:
            return services.referral_send(actor=actor, case=case, victim=case.victims.all()[0],
                                          receiving_agency=agency, services=[service], urgency=urgency,
                                          reason=reason, **extra)
        except ReferralError:
            return None  # a demo case that does not fit this referral (e.g. already referred): skip it

    police_officer = User.objects.filter(agency=police, role=Role.PARTNER, is_active=True).first()
    hospital_staff = User.objects.filter(agency=hospital, role=Role.PARTNER, is_active=True).first()
    sent: list[Referral] = []
    with_consent = [c for c in open_cases if consented(c, police)]
    today = timezone.localdate()

    # Done: the police took a report and handed the file to the prosecutor.
    if len(with_consent) > 0 and police_officer:
        referral = send(with_consent[0], police, codes.Service.LAW_ENFORCEMENT, codes.Urgency.SOON,
                        "Korban (rekaan) siap membuat laporan polisi; mohon pendampingan pemeriksaan.")
        if referral:
            services.referral_accept(referral=referral, actor=police_officer)
            services.referral_record_service(referral=referral, actor=police_officer,
                                             service=codes.Service.LAW_ENFORCEMENT, delivered_on=today,
                                             notes="Laporan polisi diterima; BAP korban didampingi (sintetis).")
            services.referral_complete(referral=referral, actor=police_officer,
                                       outcome="Berkas perkara dilimpahkan ke kejaksaan (sintetis).")
            _backdate(referral, 24 * 9)
            _answered_after(referral, 3)
            _completed_after(referral, 24 * 6)
            sent.append(referral)
    # In progress: the hospital examined the victim and follows up.
    if len(with_consent) > 1 and hospital_staff:
        referral = send(with_consent[1], hospital, codes.Service.HEALTH, codes.Urgency.EMERGENCY,
                        "Perlu pemeriksaan medis dan visum segera (sintetis).")
        if referral:
            services.referral_accept(referral=referral, actor=hospital_staff)
            services.referral_record_service(referral=referral, actor=hospital_staff, service=codes.Service.HEALTH,
                                             delivered_on=today, notes="Pemeriksaan dan visum (sintetis).")
            services.referral_message(referral=referral, actor=hospital_staff,
                                      text="Kontrol ulang dijadwalkan minggu depan.")
            _backdate(referral, 26)
            _answered_after(referral, 1)
            sent.append(referral)
    # Accepted, with a message thread.
    if len(with_consent) > 2 and police_officer:
        referral = send(with_consent[2], police, codes.Service.LAW_ENFORCEMENT, codes.Urgency.NORMAL,
                        "Pelapor meminta perlindungan sementara dari pelaku (sintetis).")
        if referral:
            services.referral_accept(referral=referral, actor=police_officer)
            services.referral_message(referral=referral, actor=referral.sent_by,
                                      text="Korban dapat datang Senin pagi bersama pendamping.")
            _backdate(referral, 30)
            _answered_after(referral, 20)
            sent.append(referral)
    # New, overdue and escalated: the hospital has not answered a referral sent fifty hours ago (24 h allowed,
    # escalated after another 24 h).
    if len(with_consent) > 3:
        referral = send(with_consent[3], hospital, codes.Service.HEALTH, codes.Urgency.SOON,
                        "Keluhan nyeri berulang; perlu pemeriksaan dokter (sintetis).")
        if referral:
            _backdate(referral, 50)
            sent.append(referral)
    # New, within its time.
    if len(with_consent) > 4:
        referral = send(with_consent[4], social, codes.Service.SOCIAL_REHAB, codes.Urgency.NORMAL,
                        "Keluarga membutuhkan pendampingan rehabilitasi sosial (sintetis).")
        if referral:
            sent.append(referral)
    # Declined by the police, then revoked on the social services side.
    if len(with_consent) > 5 and police_officer:
        referral = send(with_consent[5], police, codes.Service.LAW_ENFORCEMENT, codes.Urgency.NORMAL,
                        "Konsultasi hukum terkait hak asuh (sintetis).")
        if referral:
            services.referral_decline(referral=referral, actor=police_officer,
                                      reason="Perkara perdata: silakan rujuk ke LBH.")
            _backdate(referral, 24 * 4)
            _answered_after(referral, 5)
            sent.append(referral)
    if len(with_consent) > 6:
        referral = send(with_consent[6], social, codes.Service.SOCIAL_REHAB, codes.Urgency.NORMAL,
                        "Rujukan rehabilitasi sosial (sintetis).")
        if referral:
            services.referral_revoke(referral=referral, actor=referral.sent_by,
                                     reason="Keluarga pindah ke kabupaten lain (sintetis).")
            sent.append(referral)
    # Without consent, the supervisor refers on a legal basis: a child at risk or the TPKS duty to report.
    for case in (c for c in reversed(open_cases) if not consented(c, police)):
        victim = case.victims.all()[0]
        sexual = victim.violence_types.filter(violence_type=codes.ViolenceType.SEXUAL).exists()
        basis = Referral.LegalBasis.TPKS_POLICE_REPORT if sexual else (
            Referral.LegalBasis.CHILD_AT_RISK if victim.is_child else "")
        if basis:
            reason = ("Kekerasan seksual baru dilaporkan; wajib lapor ke kepolisian (sintetis)." if sexual
                      else "Anak dalam bahaya di rumah; perlu perlindungan segera (sintetis).")
            referral = send(case, police, codes.Service.LAW_ENFORCEMENT, codes.Urgency.EMERGENCY, reason,
                            actor=supervisor, legal_basis=basis,
                            legal_basis_reason="Korban belum dapat dimintai persetujuan; kewajiban hukum (sintetis).")
            if referral:
                sent.append(referral)
                break
    services.referral_deadlines_check()  # the job marks the overdue one and notifies, as it would every 10 minutes
    return len(sent)

"""Where a case stands in the UPTD PPA workflow (Permen PPPA 2/2022) and what comes next, for the case page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import User
from cases.models import Case
from core import codes
from core.policy import Capability, can

S = codes.CaseStage


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    explanation: str = ""
    primary: bool = False


def stage_progress(case: Case) -> list[dict]:
    """Each stage in order with "done", "current" or "todo" (a screen reader hears the current one)."""
    order = list(S.values)
    current = order.index(case.stage)
    return [{"value": value, "label": label, "state": "done" if i < current else "current" if i == current else "todo"}
            for i, (value, label) in enumerate(S.choices)]


def next_steps(case: Case, user: User, *, is_tpks: bool) -> list[Step]:
    """The actions the standard expects next on this case, for this user."""

    def url(name: str) -> str:
        return reverse(f"cases:{name}", args=[case.pk])

    decides_closure = can(user, Capability.CASE_DECIDE_CLOSURE)
    if case.stage == S.CLOSED:
        return [Step(_("Buka kembali kasus"), url("reopen"), _("Bila korban memerlukan penanganan lagi."))]
    steps: list[Step] = []
    if case.closure_requested_at is not None:
        if decides_closure and case.closure_requested_by_id != user.pk:
            steps.append(Step(_("Putuskan terminasi"), url("closure_decide"),
                              _("Pendamping mengajukan terminasi; setujui atau tolak dengan alasan."), primary=True))
        else:
            steps.append(Step(_("Menunggu keputusan koordinator atas terminasi"), "",
                              _("Kasus ditutup setelah koordinator menyetujui.")))
    elif case.stage == S.COMPLAINT:
        steps.append(Step(_("Identifikasi kasus"), url("identify"),
                          _("Jenis kasus, tingkat risiko dan kewenangan, paling lambat 3 hari kerja."), primary=True))
    elif case.stage == S.IDENTIFICATION:
        steps.append(Step(_("Lakukan asesmen"), url("assess"),
                          _("Kebutuhan kesehatan, psikologis, sosial, ekonomi, pendidikan, hukum dan keamanan."),
                          primary=True))
    elif case.stage == S.ASSESSMENT:
        steps.append(Step(_("Susun rencana intervensi"), url("plan"),
                          _("Layanan, pemberi layanan dan target tanggal, bersama penerima manfaat."), primary=True))
    elif case.stage == S.PLANNING:
        steps.append(Step(_("Mulai pelaksanaan intervensi"), url("intervention"), primary=True))
        steps.append(Step(_("Tambah layanan ke rencana"), url("plan")))
    elif case.stage == S.INTERVENTION:
        steps.append(Step(_("Catat layanan"), url("deliver"), primary=True))
        steps.append(Step(_("Mulai pemantauan"), url("monitoring"),
                          _("Setelah layanan diberikan, pantau dan evaluasi.")))
    elif case.stage == S.MONITORING:
        steps.append(Step(_("Ajukan terminasi"), url("closure_request"),
                          _("Bila tujuan intervensi tercapai; koordinator menyetujui."), primary=True))
    if case.closure_requested_at is None and case.stage not in (S.MONITORING,):
        steps.append(Step(_("Ajukan terminasi"), url("closure_request"),
                          _("Juga bila kasus harus ditutup lebih awal, dengan alasan.")))
    if is_tpks and case.police_reported_at is None:
        steps.insert(0, Step(_("Catat laporan ke kepolisian"), url("police"),
                             _("Kasus TPKS dilaporkan ke kepolisian paling lambat 3×24 jam (UU 12/2022 Pasal 41)."),
                             primary=True))
    return steps

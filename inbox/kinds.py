"""Every kind of notification and its text, in one table.

A notification row stores its kind and a few parameters (a number, an agency's name, an urgency code),
and its text is rendered from this table when it is read, in the reader's language. Why one table here
rather than texts registered by each app, or a message stored in the row:
- inbox owns the hand-offs, so it lists them; it still imports no domain app (the texts only name
  parameters), and a new hand-off is one line here plus a test;
- a text corrected or translated later applies to old notices too (a stored message would freeze it);
- no registration at start-up that an app could forget, and `makemessages` finds every text in one file;
- it is the one place to check that no text carries a survivor's data: parameters are numbers, agency
  names and code values (urgency, role) only, because the e-mail leaves our servers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Role
from core.codes import AgendaKind, Service, Urgency


class Kind(models.TextChoices):
    # Referrals between agencies (referrals app): the receiving agency and the sender hear of each step.
    REFERRAL_NEW = "baru", gettext_lazy("Rujukan baru")
    REFERRAL_ACCEPTED = "diterima", gettext_lazy("Rujukan diterima")
    REFERRAL_DECLINED = "ditolak", gettext_lazy("Rujukan ditolak")
    REFERRAL_SERVICE = "layanan", gettext_lazy("Layanan dicatat")
    REFERRAL_DONE = "selesai", gettext_lazy("Rujukan selesai")
    REFERRAL_REVOKED = "dicabut", gettext_lazy("Rujukan dicabut")
    REFERRAL_MESSAGE = "pesan", gettext_lazy("Pesan baru")
    REFERRAL_OVERDUE = "terlambat", gettext_lazy("Melewati batas waktu")
    REFERRAL_ESCALATED = "eskalasi", gettext_lazy("Eskalasi")
    # A referral in to the UPTD PPA's intake queue (from PATBM, PUSPAGA, a village or another district).
    INTAKE_NEW = "rujukan_masuk", gettext_lazy("Rujukan masuk ke UPTD PPA")
    # The supervisor's decision on a closure request (cases app), to the case's worker.
    CLOSURE_APPROVED = "terminasi_disetujui", gettext_lazy("Terminasi disetujui")
    CLOSURE_REFUSED = "terminasi_ditolak", gettext_lazy("Terminasi ditolak")
    # A fact learnt after intake made the law rule out a mediation already held (cases.corrections).
    MEDIATION_BARRED = "mediasi_dilarang", gettext_lazy("Mediasi tidak lagi dibolehkan")
    # Another agency's supervisor found a possible duplicate of one of our cases at intake (cases app).
    DUPLICATE_INQUIRY = "duplikat_tanya", gettext_lazy("Pertanyaan kemungkinan kasus yang sama")
    # A statistics report is ready (reports app).
    REPORT_READY = "laporan", gettext_lazy("Laporan statistik siap")
    # A change of a staff account's access (agencies.RoleChangeRequest), to the agency's supervisors.
    ROLE_CHANGE_PENDING = "akses_menunggu", gettext_lazy("Perubahan akses menunggu persetujuan")
    ROLE_CHANGE_APPROVED = "akses_disetujui", gettext_lazy("Perubahan akses disetujui")
    ROLE_CHANGE_REFUSED = "akses_ditolak", gettext_lazy("Perubahan akses ditolak")
    ROLE_CHANGE_APPLIED = "akses_berlaku", gettext_lazy("Perubahan akses berlaku")
    # Reminders of a case's agenda (cases.agenda), to the item's worker: due soon, then overdue.
    AGENDA_DUE = "agenda_jatuh_tempo", gettext_lazy("Agenda jatuh tempo")
    AGENDA_OVERDUE = "agenda_terlambat", gettext_lazy("Agenda terlambat")
    # Pelimpahan (cases.transfers): a case handed to another unit, to its supervisors; the answer, to the sender.
    TRANSFER_NEW = "pelimpahan_baru", gettext_lazy("Pelimpahan kasus masuk")
    TRANSFER_ACCEPTED = "pelimpahan_diterima", gettext_lazy("Pelimpahan diterima")
    TRANSFER_DECLINED = "pelimpahan_ditolak", gettext_lazy("Pelimpahan ditolak")
    TRANSFER_ASSIGNED = "pelimpahan_ditugaskan", gettext_lazy("Kasus limpahan ditugaskan")


TEXTS: dict[str, Callable[[dict], str]] = {
    Kind.REFERRAL_NEW: lambda p: _("Rujukan baru %(number)s dari %(agency)s (urgensi: %(urgency)s).") % p,
    Kind.REFERRAL_ACCEPTED: lambda p: _("Rujukan %(number)s diterima oleh %(agency)s.") % p,
    Kind.REFERRAL_DECLINED: lambda p: _("Rujukan %(number)s ditolak oleh %(agency)s.") % p,
    Kind.REFERRAL_SERVICE: lambda p: _("%(agency)s mencatat layanan pada rujukan %(number)s.") % p,
    Kind.REFERRAL_DONE: lambda p: _("Rujukan %(number)s diselesaikan oleh %(agency)s.") % p,
    Kind.REFERRAL_REVOKED: lambda p: _("Rujukan %(number)s dicabut oleh %(agency)s.") % p,
    Kind.REFERRAL_MESSAGE: lambda p: _("Pesan baru dari %(agency)s pada rujukan %(number)s.") % p,
    Kind.REFERRAL_OVERDUE: lambda p: _("Rujukan %(number)s ke %(agency)s melewati batas waktu jawaban.") % p,
    Kind.REFERRAL_ESCALATED: lambda p: _("Eskalasi: rujukan %(number)s ke %(agency)s perlu perhatian "
                                         "koordinator.") % p,
    # Notices from before the urgency was part of this text have none.
    Kind.INTAKE_NEW: lambda p: (_("Rujukan masuk %(number)s dari %(agency)s menunggu registrasi "
                                  "(urgensi: %(urgency)s).") if p.get("urgency") else
                                _("Rujukan masuk %(number)s dari %(agency)s menunggu registrasi.")) % p,
    Kind.CLOSURE_APPROVED: lambda p: _("Terminasi kasus %(number)s disetujui; kasus ditutup.") % p,
    Kind.CLOSURE_REFUSED: lambda p: _("Terminasi kasus %(number)s ditolak koordinator; alasannya ada di "
                                      "halaman kasus.") % p,
    Kind.MEDIATION_BARRED: lambda p: _("Kasus %(number)s kini tercatat sebagai kekerasan seksual atau "
                                       "perdagangan orang: mediasi tidak dibolehkan (UU 12/2022 Pasal 23). Tinjau "
                                       "mediasi yang sudah dicatat.") % p,
    Kind.DUPLICATE_INQUIRY: lambda p: _("Koordinator %(agency)s menanyakan apakah kasus %(number)s menyangkut "
                                        "korban yang sama dengan pengaduan yang sedang mereka daftarkan. Hubungi "
                                        "koordinator %(agency)s.") % p,
    Kind.REPORT_READY: lambda p: _("Laporan %(report)s siap diunduh.") % p,
    Kind.ROLE_CHANGE_PENDING: lambda p: _("Perubahan akses %(number)s menunggu persetujuan koordinator: peran "
                                          "%(role)s di %(agency)s.") % p,
    Kind.ROLE_CHANGE_APPROVED: lambda p: _("Perubahan akses %(number)s disetujui dan berlaku: peran %(role)s di "
                                           "%(agency)s.") % p,
    Kind.ROLE_CHANGE_REFUSED: lambda p: _("Perubahan akses %(number)s ditolak koordinator; alasannya ada di "
                                          "halamannya.") % p,
    Kind.ROLE_CHANGE_APPLIED: lambda p: _("Perubahan akses %(number)s berlaku: peran %(role)s di %(agency)s.") % p,
    # `agenda` is a code (core.codes.AgendaKind), `date` a due date; the item's note never travels.
    Kind.AGENDA_DUE: lambda p: _("Agenda kasus %(number)s: %(agenda)s, jatuh tempo %(date)s.") % p,
    Kind.AGENDA_OVERDUE: lambda p: _("Agenda kasus %(number)s terlambat: %(agenda)s, jatuh tempo %(date)s.") % p,
    Kind.TRANSFER_NEW: lambda p: _("Pelimpahan kasus %(number)s dari %(agency)s menunggu jawaban Anda.") % p,
    Kind.TRANSFER_ACCEPTED: lambda p: _("Pelimpahan %(number)s diterima oleh %(agency)s; kasus kini ditangani "
                                        "lembaga itu.") % p,
    Kind.TRANSFER_DECLINED: lambda p: _("Pelimpahan %(number)s ditolak oleh %(agency)s; alasannya ada di "
                                        "halamannya.") % p,
    Kind.TRANSFER_ASSIGNED: lambda p: _("Kasus limpahan %(number)s dari %(agency)s ditugaskan kepada Anda.") % p,
}


def _code_label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def notification_text(kind: str, params: dict) -> str:
    """The text of a notice in the active language; code values among the parameters shown by their label."""
    values = dict(params)
    if "urgency" in values:
        values["urgency"] = Urgency(values["urgency"]).label if values["urgency"] in Urgency.values else ""
    if "agenda" in values:
        values["agenda"] = _code_label(AgendaKind, values["agenda"])
        if values.get("service"):  # a planned service's target: which service
            values["agenda"] = f"{values['agenda']} ({_code_label(Service, values['service'])})"
    if "role" in values:
        try:
            values["role"] = Role(values["role"]).label
        except ValueError:  # a role since removed: its code
            pass
    try:
        return TEXTS[kind](values)
    except KeyError:
        # `notify` checks the parameters of new notices; an old notice whose text has since changed shows
        # its kind's name rather than breaking someone's notification page.
        return str(Kind(kind).label) if kind in Kind.values else kind

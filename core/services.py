"""Writes of the core app: the system administrator's corrections of the working-day calendar."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from core import bounds, workdays
from core.audit import audit_record
from core.models import CalendarOverride

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import User


class CalendarError(ValueError):
    """The correction cannot be made; the message is for the administrator."""


def _validate(*, day: date, kind: str) -> None:
    if message := bounds.CALENDAR.problem(day):
        raise CalendarError(message)
    if CalendarOverride.objects.filter(day=day).exists():
        raise CalendarError(_("Tanggal itu sudah dikoreksi. Hapus koreksi yang ada lebih dulu."))
    if day.weekday() >= workdays.SATURDAY:
        raise CalendarError(_("Sabtu dan Minggu selalu hari libur; pilih hari Senin sampai Jumat."))
    from_library = day in workdays.library_holidays(day.year)
    if kind == CalendarOverride.Kind.HOLIDAY and from_library:
        raise CalendarError(_("Tanggal itu sudah hari libur menurut daftar hari libur nasional dan cuti bersama."))
    if kind == CalendarOverride.Kind.WORKING and not from_library:
        raise CalendarError(_("Tanggal itu sudah hari kerja. Hanya hari libur dari daftar yang dapat dijadikan "
                              "hari kerja."))


def _calendar_changed(*, actor: User, day: date, request: HttpRequest | None) -> None:
    """Recompute the stored deadlines around `day` and audit how many moved, in the caller's transaction."""
    for name, moved in workdays.calendar_changed(day=day).items():
        # Counts only: which items moved is in each app's own rows, never in this label.
        audit_record(actor=actor, action="calendar.recompute", object_label=day.isoformat(), request=request,
                     details={"day": day.isoformat(), "listener": name, "moved": moved})


@transaction.atomic
def calendar_override_add(*, actor: User, day: date, kind: str, reason: str,
                          request: HttpRequest | None = None) -> CalendarOverride:
    """Make a weekday a holiday (e.g. a cuti bersama of the SKB) or keep a library holiday a working day."""
    _validate(day=day, kind=kind)
    override = CalendarOverride.objects.create(day=day, kind=kind, reason=reason.strip(), created_by=actor)
    audit_record(actor=actor, action="calendar.override_add", obj=override, object_label=day.isoformat(),
                 request=request, reason=override.reason, details={"day": day.isoformat(), "kind": kind})
    _calendar_changed(actor=actor, day=day, request=request)
    return override


@transaction.atomic
def calendar_override_remove(*, override: CalendarOverride, actor: User,
                             request: HttpRequest | None = None) -> None:
    """Undo a correction: the date follows the library's calendar again."""
    day = override.day
    audit_record(actor=actor, action="calendar.override_remove", obj=override, object_label=day.isoformat(),
                 request=request, reason=override.reason, details={"day": day.isoformat(), "kind": override.kind})
    override.delete()
    _calendar_changed(actor=actor, day=day, request=request)

"""The case file's history (Riwayat): one mechanism for every correction of victims, perpetrators, their
relationships, violence types and the incident (cases.models.CaseChange, written by cases.corrections).

Values are kept as a reader knows them (choice labels, dates as d-m-Y), never as codes a later list change
could reinterpret. Identity fields (names, NIK, birth dates, addresses, phones, the chronology) are shown only
inside the page's identity section, as on the case page; elsewhere the page says "(diubah)".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agencies.models import User
from cases.models import Case, CaseChange, Perpetrator, Victim
from core import codes

EDIT, ADD, REMOVE = CaseChange.Action.EDIT, CaseChange.Action.ADD, CaseChange.Action.REMOVE
# JSON lists of codes: the code list that names their values.
CODE_LISTS = {"disability_kinds": codes.DisabilityKind, "tpks_forms": codes.TpksForm,
              "tppo_elements": codes.TppoElement, "violence_types": codes.ViolenceType}


# --- Values as shown -----------------------------------------------------------------------------------------

def yes_no(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def _labels(code_list, values: Iterable[str]) -> str:
    names = dict(code_list.choices)
    return ", ".join(str(names.get(value, value)) for value in sorted(values))


def violence_labels(values: Iterable[str]) -> str:
    return _labels(codes.ViolenceType, values)


def field_label(obj: models.Model, name: str) -> str:
    return capfirst(str(obj._meta.get_field(name).verbose_name))


def stored(obj: models.Model, name: str):
    """The field's value in a form comparable with `comparable` (a foreign key by its key, a list sorted)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return sorted(value) if isinstance(value, list) else value


def comparable(obj: models.Model, name: str, value):
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(value, field.target_field.attname, value)
    if isinstance(value, list | tuple | set):
        return sorted(set(value))
    return value


def shown(obj: models.Model, name: str) -> str:
    """A field's value as the history shows it ("" when empty)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None or value == "" or value == []:
        return ""
    if name in CODE_LISTS:
        return _labels(CODE_LISTS[name], value)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(obj, Victim) and name == "age_at_incident":
        return f"{value} ({obj.get_age_group_display()})"
    return str(value)


# --- Record labels: codes and positions, never a name ----------------------------------------------------------

def _position(model, obj) -> int:
    # Among every record of the case, removed ones too: "Korban 2" stays Korban 2 after Korban 1 is removed.
    return model.all_objects.filter(case_id=obj.case_id, pk__lte=obj.pk).count()


def victim_label(victim: Victim) -> str:
    return _("Korban %(n)s (%(code)s)") % {"n": _position(Victim, victim), "code": victim.survivor_code}


def perpetrator_label(perpetrator: Perpetrator) -> str:
    return _("Pelaku %(n)s") % {"n": _position(Perpetrator, perpetrator)}


# --- Writing ----------------------------------------------------------------------------------------------

def record(*, case: Case, actor: User | None, record_type: str, record_id: int, record_label: str, action: str,
           field: str = "", field_label: str = "", old: str = "", new: str = "", sensitive: bool = False,
           reason: str = "", at: datetime | None = None) -> CaseChange:
    """One history row, in the caller's transaction (the caller writes the audit event)."""
    return CaseChange.objects.create(
        case=case, at=at or timezone.now(), actor=actor if getattr(actor, "is_authenticated", False) else None,
        record_type=record_type, record_id=record_id, record_label=str(record_label)[:80], action=action,
        field=field, field_label=str(field_label)[:120], old_value=old, new_value=new, sensitive=sensitive,
        reason=reason.strip())


# --- Reading: the Riwayat page ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRow:
    change: CaseChange
    who: str
    old: str  # "(diubah)" for an identity field: its values are in the identity section
    new: str

    @property
    def action_label(self) -> str:
        return self.change.get_action_display()


def case_history(*, case: Case) -> list[HistoryRow]:
    """Every change of the case file, newest first: one query, whatever the number of changes."""
    rows = CaseChange.objects.filter(case=case).select_related("actor").order_by("-at", "-id")
    result, hidden = [], _("(diubah)")
    for change in rows:
        who = change.actor.display_name if change.actor else _("sistem")
        old, new = (hidden, hidden) if change.sensitive else (change.old_value, change.new_value)
        result.append(HistoryRow(change, who, old, new))
    return result


def identity_changes(rows: list[HistoryRow]) -> list[HistoryRow]:
    """The changes of identity fields, with their values: shown only in the page's identity section."""
    return [HistoryRow(row.change, row.who, row.change.old_value, row.change.new_value)
            for row in rows if row.change.sensitive]

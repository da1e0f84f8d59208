"""Conflict-safe edits: an edit form carries the version of the record it was read at; the edit service saves
only if the record is still at that version. Otherwise nothing is saved and the form comes back with the
values stored now beside the values typed, field by field, and the new version, so that a second submit is
a decision made knowing the other person's change, never a silent overwrite.

The version (core.models.Versioned) counts the saves of a record's edit services; other writes to the row
(a login, a stage timestamp) leave it alone, so they never make an open edit form stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.db import models
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.guarded_forms import HiddenFieldsShownForm

VERSION_FIELD = "version"
CONFLICT_MESSAGE = _("Belum tersimpan: orang lain menyimpan perubahan pada data ini setelah Anda membuka "
                     "formulir. Bandingkan isian di bawah; isian Anda masih ada. Simpan lagi bila isian Anda yang "
                     "benar.")
INCOMPLETE_MESSAGE = _("Formulir ini tidak lengkap atau sudah kedaluwarsa. Muat ulang halaman, lalu isi lagi.")
EMPTY = _("(kosong)")


class StaleEdit(Exception):
    """The record moved past the version the form was read at; `current` is the record as stored now."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{current._meta.label} {current.pk} is past the version this form was read at")
        self.current = current


def version_claim(obj: models.Model, *, read_version: int | None) -> None:
    """Move `obj` to its next version if it is still at `read_version`, or raise StaleEdit.

    A conditional UPDATE, called by an edit service before it writes: it locks the row until the service's
    transaction ends, so of two edits read at the same version the second waits, then matches no row.
    `read_version=None` (callers without a form, such as the demo data) moves the version unconditionally.
    """
    manager = type(obj)._base_manager
    rows = manager.filter(pk=obj.pk)
    if read_version is not None:
        rows = rows.filter(version=read_version)
    if not rows.update(version=F("version") + 1):
        raise StaleEdit(manager.get(pk=obj.pk))
    obj.version = read_version + 1 if read_version is not None else manager.values_list(
        "version", flat=True).get(pk=obj.pk)


@dataclass(frozen=True)
class Conflict:
    label: str
    stored: str  # what the other person saved
    typed: str  # what this person typed


def _flat_choices(choices: Iterable) -> Iterable[tuple[str, str]]:
    for value, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            yield from ((str(inner), inner_label) for inner, inner_label in label)
        else:
            yield str(value), label


def display_value(field: forms.Field, value) -> str:
    """A value as the form's reader knows it: choice labels, dates in the page's language, Ya/Tidak."""
    if isinstance(value, QuerySet):
        value = list(value)
    if value is None or value == "" or (isinstance(value, list | tuple | set) and not value):
        return str(EMPTY)
    if isinstance(value, list | tuple | set):
        return ", ".join(display_value(field, item) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        instance = value if isinstance(value, models.Model) else field.queryset.filter(
            **{field.to_field_name or "pk": value}).first()
        return field.label_from_instance(instance) if instance is not None else str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(_flat_choices(field.choices)).get(str(value), value))
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


class VersionedForm(HiddenFieldsShownForm):
    """An edit form: it carries the version of the record it was read at (`version` in `initial`, or the
    instance's version for a ModelForm) and hands it to the service as `cleaned_data["version"]`."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if VERSION_FIELD not in self.initial and getattr(instance, "pk", None):
            self.initial = {**self.initial, VERSION_FIELD: instance.version}
        self.conflicts: list[Conflict] = []

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.cleaned_data.get(VERSION_FIELD) is None:
            # A page drawn before versions existed, or not by us: it cannot say what it was read at.
            self._errors.pop(VERSION_FIELD, None)
            self.add_error(None, INCOMPLETE_MESSAGE)

    def show_conflict(self, current: dict) -> bool:
        """After StaleEdit: set out where the typed values differ from `current` (the record's values as this
        form's initial data, with its version) and carry the new version, so that saving again is a choice.
        False when nothing differs: the record already holds what was typed (a double click, or two people
        saving the same thing), and there is nothing to show."""
        self.conflicts = []
        for name, field in self.fields.items():
            if name == VERSION_FIELD or field.disabled:
                continue
            stored = current.get(name)
            if field.has_changed(stored, self[name].data):
                typed = self.cleaned_data.get(name, self[name].data)
                self.conflicts.append(Conflict(label=str(field.label or name), stored=display_value(field, stored),
                                               typed=display_value(field, typed)))
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = str(current[VERSION_FIELD])
        self.data = data
        if self.conflicts:
            self.add_error(None, CONFLICT_MESSAGE)
        return bool(self.conflicts)

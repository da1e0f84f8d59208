"""The figures a report version printed, kept with the version, and what changed since the version before.

A published report keeps its numbers: the PDF of each version is stored, and its figures are stored beside it
as printed (the shown text of every table and of the headline, small cells already suppressed for the
published edition). Statistics of a period are computed live, so after a correction of a case's facts the next
version of the same period counts differently; that version then says so, naming the tables whose printed
figures differ ("Angka berubah sejak versi N: ..."). Compared as printed, so a change hidden by suppression
(1 -> 2, both "<3") is not revealed by the note either. Titles only: no count, no identifying data.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.presentation import Presentation

HEADLINE = "headline"


def figures_of(shown: Presentation) -> dict:
    """Every figure as printed: {"headline": {...}, "tables": {key: {"title", "cells"}}}."""
    return {
        HEADLINE: [[str(label), value] for label, value in shown.headline],
        "tables": {t.key: {"title": str(t.title),
                           "cells": [[str(label), list(cells)] for label, cells in t.rows] + [list(t.totals or [])]}
                   for t in shown.tables},
    }


def figures_changes(*, previous: dict, current: dict) -> list[dict]:
    """The parts whose printed figures differ, in the report's order: [{"key", "title"}]. Empty when the
    previous version kept no figures (made before figures were stored): nothing to compare honestly."""
    if not previous:
        return []
    changed = []
    if previous.get(HEADLINE) != current.get(HEADLINE):
        changed.append({"key": HEADLINE, "title": str(_("Angka utama"))})
    before = previous.get("tables", {})
    for key, table in current.get("tables", {}).items():
        if before.get(key, {}).get("cells") != table["cells"]:
            changed.append({"key": key, "title": table["title"]})
    changed.extend({"key": key, "title": table["title"]} for key, table in before.items()
                   if key not in current.get("tables", {}))
    return changed


def changes_note(changed: dict) -> str:
    """The sentence the page and the PDF print for a version whose figures differ from the version before."""
    if not changed or not changed.get("tables"):
        return ""
    return _("Angka berubah sejak versi %(version)s: %(tables)s. Data kasus periode ini dikoreksi atau dilengkapi "
             "sesudah versi itu dibuat; versi %(version)s tetap tersimpan dengan angkanya.") % {
        "version": changed["since"], "tables": ", ".join(t["title"] for t in changed["tables"])}

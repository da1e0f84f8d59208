"""A published report keeps its numbers; the next version of the same period says which figures changed.

The daughter of tests/reports/test_per_victim.py turns out to have been abused in a public place, not at
school. The facts are corrected after version 1 was made: version 1 keeps its figures and its PDF; version 2
counts the corrected place and says, on its page and in its PDF, that the place table changed since version 1.
"""

import pytest

from cases.models import Victim
from core import codes
from reports import services
from reports.figures import figures_changes
from reports.models import Report
from tests.conftest import client_for
from tests.reports.test_pdf import pdf_text, words
from tests.reports.test_per_victim import mother_and_daughter  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("private_media")


def generate(actor, edition="internal") -> Report:
    report = services.report_request(actor=actor, kind="bulanan", period_code="2026-03", edition=edition,
                                     queue=False)
    return services.report_generate(report_id=report.pk)


def test_a_correction_after_version_1_is_named_in_version_2_and_version_1_keeps_its_numbers(
        supervisor, mother_and_daughter):  # noqa: F811
    first = generate(supervisor)
    assert first.figures["tables"]["place"]["cells"][2] == ["Sekolah", ["0", "1", "1"]]
    assert first.figures_changed == {}

    # The correction itself is the case team's edit service (issue 10, wt-facts); here the stored fact changes.
    daughter = mother_and_daughter.victims.get(case_type=codes.CaseType.AMPK)
    Victim.objects.filter(pk=daughter.pk).update(place=codes.Place.PUBLIC)
    second = generate(supervisor)

    first.refresh_from_db()
    assert first.figures["tables"]["place"]["cells"][2] == ["Sekolah", ["0", "1", "1"]]  # kept as printed
    assert second.figures["tables"]["place"]["cells"][2] == ["Sekolah", ["0", "0", "0"]]
    assert second.figures_changed == {"since": 1, "tables": [{"key": "place",
                                                              "title": "Korban menurut tempat kejadian"}]}
    note = ("Angka berubah sejak versi 1: Korban menurut tempat kejadian. Data kasus periode ini dikoreksi atau "
            "dilengkapi sesudah versi itu dibuat; versi 1 tetap tersimpan dengan angkanya.")
    assert note in client_for(supervisor).get(f"/laporan/berkas/{second.pk}/").content.decode()
    assert note not in client_for(supervisor).get(f"/laporan/berkas/{first.pk}/").content.decode()
    _reader, text = pdf_text(second.file.read())
    assert note in words(text)
    _reader, text = pdf_text(first.file.read())
    assert "Angka berubah" not in text and first.file.storage.exists(first.file.name)


def test_a_new_version_without_changes_carries_no_note(official, mother_and_daughter):  # noqa: F811
    first = generate(official, edition="publikasi")
    again = generate(official, edition="publikasi")
    assert (first.version, again.version, again.figures_changed) == (1, 2, {})
    assert "Angka berubah" not in client_for(official).get(f"/laporan/berkas/{again.pk}/").content.decode()


def test_changes_are_compared_as_printed_so_suppression_hides_them_too():
    def printed(school, total):
        return {"headline": [["Korban", total]],
                "tables": {"place": {"title": "Korban menurut tempat kejadian",
                                     "cells": [["Sekolah", ["0", school, school]], ["0", school, school]]}}}

    # 1 -> 2 victims at school: both print "<3" in the published edition, so no version may say it changed.
    assert figures_changes(previous=printed("<3", "<3"), current=printed("<3", "<3")) == []
    assert figures_changes(previous=printed("<3", "<3"), current=printed("3", "3")) == [
        {"key": "headline", "title": "Angka utama"}, {"key": "place", "title": "Korban menurut tempat kejadian"}]
    # A version made before figures were kept is not compared (nothing honest to compare with).
    assert figures_changes(previous={}, current=printed("3", "3")) == []

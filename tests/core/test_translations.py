"""Every interface string goes through gettext and has its English translation.

Source strings are written in Indonesian (the default language); locale/en holds English.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Every package of the repository (a new app is included without touching this test) and the templates.
SOURCE_DIRS = sorted({path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}) + ["templates"]


def test_every_english_entry_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []


def test_catalogue_holds_every_string_of_the_source(tmp_path):
    # Run makemessages on a copy of the sources so the committed catalogue is not touched.
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir(exist_ok=True)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
                   cwd=tmp_path, check=True, capture_output=True, timeout=120)
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    missing = sorted(fresh - committed)
    assert missing == [], "Run `make messages` and translate: " + ", ".join(missing[:20])


# The Indonesian side. The source language is Indonesian, so a source string written in English is an Indonesian
# translation that is missing. Two signs of one, checked over every msgid of the catalogue (which the test above
# keeps equal to every template and gettext string of the source):
# 1. Its English translation is the msgid itself. That is right only for names, codes and words spelled the
#    same in both languages (KBBI loanwords); those are listed here, each one on purpose.
# 2. It holds an English word that Indonesian never uses (function words and common interface verbs).
SAME_IN_BOTH = {
    # names and codes
    "NIK", "Kec.", "Bahasa Indonesia", "English", "N/A", "NA", "UPTD PPA / DP3AP2KB", "PATBM", "PUSPAGA", "LPSK",
    "GBVIMS", "SHA-256", "Simpul: %(text)s", "PUSPAGA: %(agency)s", "PATBM %(name)s",
    # Indonesian words (KBBI) spelled as in English
    "status", "Status", "agenda", "Agenda", "Mediator", "mediator", "Mental", "hash", "Platform", "platform",
    "internal", "Internal", "Target",
}
ENGLISH_ONLY_WORDS = {
    "the", "and", "of", "is", "are", "to", "for", "with", "this", "your", "please", "has", "have", "was", "were",
    "will", "be", "not", "an", "or", "from", "by", "on", "in", "at", "it", "you", "what", "which", "when", "can",
    "cannot", "should", "must", "yes", "all", "new", "open", "save", "delete", "download", "upload", "cancel",
    "back", "next", "send", "search", "filter", "edit", "add", "remove", "close", "sign", "login", "logout",
    "user", "password", "report", "case", "cases", "victim", "victims", "date", "time", "name", "type", "number",
    "page", "day", "days", "month", "months", "year", "years", "today", "overdue", "help", "photo", "photos",
}
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdi]|%[sdi]|\{[^}]*\}|<[^>]*>")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", PLACEHOLDERS.sub(" ", text).lower()))


def test_every_source_string_is_indonesian():
    """A missing Indonesian translation is a source string written in English: one whose English is itself
    (other than the names, codes and same-spelled words of SAME_IN_BOTH) or that holds a word of
    ENGLISH_ONLY_WORDS, which no Indonesian interface text uses."""
    catalogue = polib.pofile(str(CATALOGUE))
    entries = [e for e in catalogue if not e.obsolete]
    same = sorted(e.msgid for e in entries if e.msgstr == e.msgid and e.msgid not in SAME_IN_BOTH)
    assert same == [], "Source strings are Indonesian; English as its own translation: " + ", ".join(same)
    english = sorted(text for e in entries for text in filter(None, [e.msgid, e.msgid_plural])
                     if _words(text) & ENGLISH_ONLY_WORDS)
    assert english == [], "Source strings are Indonesian; these read as English: " + ", ".join(english[:20])


def test_the_indonesian_check_would_see_an_english_source_string():
    assert _words("Download the %(name)s report") & ENGLISH_ONLY_WORDS
    assert not _words("Unduh laporan %(name)s tanggal 17-08-2026") & ENGLISH_ONLY_WORDS

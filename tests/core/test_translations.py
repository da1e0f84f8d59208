"""Every interface string goes through gettext and has its English translation.

Source strings are written in Indonesian (the default language); locale/en holds English.
"""

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

"""Fill a translation catalogue from a JSON dict {msgid: msgstr}, leaving other entries as they are.

Usage: .venv/bin/python tools/po_fill.py locale/en/LC_MESSAGES/django.po translations.json
Plural entries take a list [singular, plural]. Prints what is still untranslated.
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> None:
    catalogue = polib.pofile(po_path)
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    for entry in catalogue:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]} if isinstance(value, list) else {0: value, 1: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save(po_path)
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    print(f"{len(missing)} untranslated")
    for msgid in missing:
        print("  ", json.dumps(msgid, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Every audit action has a readable label in both languages, and the audit trail shows it (core/audit_actions.py).

The actions are found the way tests/core/test_code_rules.py finds rules: with ast, every string that can be the
`action=` of an `audit_record(...)` call anywhere in the source (both branches of a conditional too).
"""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from core.audit import audit_record
from core.audit_actions import ACTION_LABELS, action_label
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = sorted({path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"})


def _written_actions() -> dict[str, str]:
    """{action: where} for every string constant inside the `action=` of an audit_record call."""
    found = {}
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name != "audit_record":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        for part in ast.walk(keyword.value):
                            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                                found[part.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_the_search_finds_the_actions_it_must():
    written = _written_actions()
    # A literal, and both branches of agencies.services' conditional action.
    assert {"case.read", "auth.login", "role_change.request", "role_change.apply"} <= written.keys()
    assert len(written) > 100


def test_every_action_written_in_the_code_has_a_label():
    missing = {action: where for action, where in _written_actions().items() if action not in ACTION_LABELS}
    assert missing == {}


@pytest.mark.parametrize("language", ["id", "en"])
def test_labels_are_distinct_and_not_codes(language):
    with translation.override(language):
        labels = [str(label) for label in ACTION_LABELS.values()]
    assert len(set(labels)) == len(labels)
    assert not [label for label in labels if label in ACTION_LABELS]


def test_a_label_follows_the_active_language_and_an_unknown_code_shows_as_stored():
    with translation.override("id"):
        assert action_label("case.read") == "Kasus dibuka"
    with translation.override("en"):
        assert action_label("case.read") == "Case opened"
    assert action_label("lama.tindakan") == "lama.tindakan"


@pytest.mark.parametrize("language, label", [("id", "Berhasil masuk"), ("en", "Signed in")])
def test_the_audit_trail_shows_readable_actions(sysadmin, language, label):
    audit_record(actor=sysadmin, action="auth.login")
    client = client_for(sysadmin)
    client.cookies["django_language"] = language
    page = client.get(reverse("core:audit_list")).content.decode()
    assert f"<td>{label} <code" in page

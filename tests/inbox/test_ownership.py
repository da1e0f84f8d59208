"""The inbox owns the hand-offs: no other app defines a notification or an intake request, the other apps use
the inbox through its services and selectors only, and the inbox, a lower layer, imports no domain app."""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("cases", "referrals", "prevention", "reports")
HANDOFF_MODEL = re.compile(r"notification|notice|intake", re.IGNORECASE)


def test_only_the_inbox_defines_notifications_and_intake_requests():
    owners = sorted(f"{model._meta.label}" for model in apps.get_models(include_auto_created=True)
                    if HANDOFF_MODEL.search(model.__name__) and model._meta.app_label != "inbox")
    assert owners == []
    assert {m.__name__ for m in apps.get_app_config("inbox").get_models()} == {"IntakeRequest", "Notification"}


def _runtime_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs (imports under `if TYPE_CHECKING:` only serve type hints)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _sources(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_other_apps_reach_the_inbox_through_its_services_and_selectors():
    offenders = sorted(f"{path.relative_to(ROOT)}: {module}"
                       for app in (*DOMAIN_APPS, "core", "agencies", "config") for path in _sources(app)
                       for module in _runtime_imports(path)
                       if module.startswith("inbox") and module.split(".")[:2] not in (
                           ["inbox"], ["inbox", "services"], ["inbox", "selectors"]))
    assert offenders == []


def test_the_inbox_imports_no_domain_app():
    offenders = sorted(f"{path.relative_to(ROOT)}: {module}" for path in _sources("inbox")
                       for module in _runtime_imports(path) if module.split(".")[0] in DOMAIN_APPS)
    assert offenders == []

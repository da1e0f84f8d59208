"""Rules about the code itself, checked over every module of the apps (not tests, not migrations)."""

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = [config for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)]


def _choice_values() -> dict[str, str]:
    """Every value of our TextChoices, with one enum that defines it."""
    values: dict[str, str] = {}
    pending = [models.TextChoices]
    while pending:
        enum = pending.pop()
        pending.extend(enum.__subclasses__())
        if enum.__module__.split(".")[0] in {config.name for config in OUR_APPS}:
            values.update({value: f"{enum.__module__}.{enum.__qualname__}" for value in enum.values if value})
    return values


def _raw_comparisons(source: str, values: dict[str, str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                items = operand.elts if isinstance(operand, ast.Tuple | ast.List | ast.Set) else [operand]
                found += [(node.lineno, item.value) for item in items
                          if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value in values]
    return found


def test_code_compares_with_the_enums_never_their_raw_values():
    values = _choice_values()
    assert {"baru", "selesai", "pengaduan"} <= values.keys()  # the scan knows the enums it guards
    offences = []
    for config in OUR_APPS:
        for path in Path(config.path).rglob("*.py"):
            if "migrations" not in path.parts:
                offences += [f"{path.relative_to(ROOT)}:{line}: {value!r} (use {values[value]})"
                             for line, value in _raw_comparisons(path.read_text(), values)]
    assert offences == []


def test_the_scan_finds_a_raw_comparison():
    values = {"baru": "referrals.models.Referral.Status"}
    assert _raw_comparisons('if referral.status == "baru" or tab in ("baru",):\n    pass\n', values) == [
        (1, "baru"), (1, "baru")]
    assert _raw_comparisons("if referral.status == Referral.Status.NEW:\n    pass\n", values) == []


def _literal_actors(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_record":
            found += [(node.lineno, kw.value.value) for kw in node.keywords
                      if kw.arg == "actor" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)]
    return found


def test_the_system_actor_is_named_by_its_one_constant():
    """Jobs and commands write core.audit.SYSTEM_ACTOR (or actor=None), never a spelling of their own."""
    offences = [f"{path.relative_to(ROOT)}:{line}: actor={value!r}"
                for config in OUR_APPS for path in Path(config.path).rglob("*.py") if "migrations" not in path.parts
                for line, value in _literal_actors(path.read_text())]
    assert offences == []
    assert _literal_actors('audit_record(actor="jadwal", action="x")\n') == [(1, "jadwal")]

"""The layering of issue 9, as import-linter contracts (pyproject.toml, [tool.importlinter]): core and agencies
know no domain app, nothing imports reports (but demo), prevention reaches cases only through its services and
selectors, and inbox, a lower layer, imports no domain app. See conventions.md, "One owner for each rule"."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _config(root: Path) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_layering_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_package_of_the_repository_is_under_the_contracts():
    """A new app is checked only once it is a root package: adding one without listing it fails here."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(_config(ROOT)["root_packages"])


def _python_only(directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__" or (
        not name.endswith(".py") and not (Path(directory) / name).is_dir())]


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")


def test_the_contracts_fail_on_a_forbidden_import(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in _config(ROOT)["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=_python_only)
    # inbox is a lower layer: the domain apps may import it, it may import none of them.
    _append(tmp_path / "inbox" / "__init__.py", "import cases.models")
    _append(tmp_path / "referrals" / "services.py", "import inbox.selectors")
    _append(tmp_path / "core" / "codes.py", "import cases.models")
    _append(tmp_path / "prevention" / "services.py", "from cases.models import Case")
    _append(tmp_path / "cases" / "selectors.py", "from reports import statistics")

    result = _lint(tmp_path)
    out = " ".join(result.stdout.split())  # long lines are wrapped
    assert result.returncode == 1, out
    assert "Contracts: 0 kept, 3 broken." in out
    for forbidden in ("inbox -> cases.models", "core.codes -> cases.models", "prevention.services -> cases.models",
                      "cases.selectors -> reports.statistics"):
        assert forbidden in out, forbidden
    assert "referrals.services -> inbox.selectors" not in out

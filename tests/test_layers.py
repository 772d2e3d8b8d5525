"""The import-linter contracts of pyproject.toml hold on the tree, and they bite.

Each failing case copies the package to a temporary directory, adds one import
that breaks a rule, and runs ``lint-imports`` there with the project's own
configuration: the contract must report the import and exit non-zero.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import svcdesk_tui

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(svcdesk_tui.__file__).resolve().parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (pip install -e '.[test]')"
)


def lint_imports(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` in ``cwd`` on the package found in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package and its configuration, with ``line`` appended to ``module``."""
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "svcdesk_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = src / "svcdesk_tui" / Path(*module.split("."))
    target = target.with_suffix(".py")
    target.write_text(target.read_text() + f"\n{line}\n")
    return src


def test_the_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT, PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        # core reaching up into a feature
        ("core.clock", "from svcdesk_tui.queue import measures  # noqa"),
        # a model reaching up into core
        ("models.center", "import svcdesk_tui.core.settings  # noqa"),
        # a feature reaching up into a face
        ("queue.measures", "from svcdesk_tui.widgets import live_table  # noqa"),
        # a lower feature reaching up into a higher one
        ("complaints.measures", "from svcdesk_tui.queue import live  # noqa"),
        # two siblings of one layer importing each other
        ("caribbean.analysis", "from svcdesk_tui.complaints import measures  # noqa"),
    ],
)
def test_an_upward_import_breaks_the_layers(tmp_path: Path, module: str, line: str) -> None:
    src = copy_with(tmp_path, module, line)
    result = lint_imports(tmp_path, src)
    assert result.returncode != 0, result.stdout
    assert "Faces above features above core above models BROKEN" in result.stdout
    assert f"svcdesk_tui.{module}" in result.stdout


def test_textual_in_a_domain_module_breaks_the_rule(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "escalations.measures", "import textual  # noqa")
    result = lint_imports(tmp_path, src)
    assert result.returncode != 0, result.stdout
    assert "never import Textual or Typer BROKEN" in result.stdout
    assert "svcdesk_tui.escalations.measures -> textual" in result.stdout

"""The architecture is enforced, not just described: import-linter's contracts hold, and
docs/design.md draws the layers that pyproject.toml declares."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def declared_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    return [" | ".join(part.strip() for part in layer.split("|")) for layer in layers]


def drawn_layers() -> list[str]:
    text = (ROOT / "docs" / "design.md").read_text()
    drawing = text.split("<!-- layers -->", 1)[1].split("<!-- /layers -->", 1)[0]
    rows = [re.split(r"\s{2,}", line.strip())[0] for line in drawing.splitlines()
            if line.startswith("ilog")]
    return [" | ".join(part.strip() for part in row.split("|")) for row in rows]


def test_the_design_drawing_shows_the_declared_layers() -> None:
    assert drawn_layers() == declared_layers()


def test_every_package_is_in_a_layer() -> None:
    layered = {name for layer in declared_layers() for name in layer.split(" | ")}
    packages = {f"ilog.{p.parent.name}" for p in (ROOT / "src" / "ilog").glob("*/__init__.py")}
    modules = {f"ilog.{p.stem}" for p in (ROOT / "src" / "ilog").glob("*.py")
               if p.stem != "__init__"}
    assert packages | modules <= layered


def test_the_import_contracts_hold() -> None:
    pytest.importorskip("importlinter", reason="import-linter is a test extra: pip install "
                        "-e '.[test]'")
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--config", str(ROOT / "pyproject.toml")],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_package_says_what_it_is_for_and_may_import() -> None:
    for init in (ROOT / "src" / "ilog").glob("*/__init__.py"):
        doc = init.read_text()
        assert doc.startswith('"""'), init
        assert "import" in doc, f"{init}: say what the package may import"

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


def _import_blocks_without_a_reason(path: Path) -> list[int]:
    """Lines of imports inside functions none of whose block (the imports and blank lines
    just above) says why it is there."""
    import ast

    lines = path.read_text().splitlines()
    found = []
    for function in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom) and node.col_offset:
                block, number = [], node.end_lineno or node.lineno
                while number > 0:
                    text = lines[number - 1].strip()
                    if not (text == "" or text.startswith(("import ", "from ", ")"))
                            or text.endswith(",") or number >= node.lineno):
                        break
                    block.append(text)
                    number -= 1
                if not any("#" in text for text in block):
                    found.append(node.lineno)
    return found


def test_an_import_inside_a_function_says_why() -> None:
    """Heavy or start-up-bound imports are made inside the functions that need them, each
    with a short reason; the command modules, whose every command imports the core when it
    runs, say so once (ilog/cli/__init__.py)."""
    from ilog.cli import registry

    commands = {command.target.partition(":")[0] for command in registry.COMMANDS}
    unexplained = {}
    for path in (ROOT / "src" / "ilog").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
        if module not in commands:
            unexplained[module] = _import_blocks_without_a_reason(path)
    assert {module: lines for module, lines in unexplained.items() if lines} == {}


#: Paths and commands the structure docs name (module paths relative to src/ilog or the root).
_NAMED_PATH = re.compile(r"`((?:src/ilog/|tests/|benchmarks/|docs/)?[a-z_]+/[a-z_]+\.py|"
                         r"(?:tests|benchmarks|docs)/[a-z_]+\.py)")
_NAMED_MODULE = re.compile(r"`(ilog(?:\.[a-z_]+)+)")
_NAMED_COMMAND = re.compile(r"`ilog ([a-z]+(?: [a-z]+)?)")


@pytest.mark.parametrize("doc", ["design.md", "development.md"])
def test_every_module_and_command_the_structure_docs_name_exists(doc: str) -> None:
    from ilog.cli import registry

    text = (ROOT / "docs" / doc).read_text()
    bases = (ROOT, ROOT / "src", ROOT / "src" / "ilog")
    missing = [path for path in set(_NAMED_PATH.findall(text))
               if not any((base / path).exists() for base in bases)]
    for module in set(_NAMED_MODULE.findall(text)):
        parts = module.split(".")
        while parts and not (ROOT / "src" / Path(*parts)).with_suffix(".py").exists() \
                and not (ROOT / "src" / Path(*parts) / "__init__.py").exists():
            parts.pop()  # ilog.ops.search.search: a module, then a name in it
        if len(parts) < 2 and module != "ilog":
            missing.append(module)
    words = {command.words for command in registry.COMMANDS} | {
        (word,) for word in registry.GROUPS}
    missing += [f"ilog {named}" for named in set(_NAMED_COMMAND.findall(text))
                if tuple(named.split()) not in words and tuple(named.split()[:1]) not in words]
    assert sorted(missing) == []

"""The words ilog's JSON uses for what it finds and what it tracks are enumerations in the
code (evidence/findings.py, model.py) whose values are part of the documented contract: the
golden file holds them, the docs name each, and a real verify gives them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DEMO, runner
from ilog.errors import VerifyFailedError
from ilog.evidence.findings import FindingKind
from ilog.model import SealState, StepEventKind, StepStatus

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "vocabularies.json"
VOCABULARIES = {"finding kinds": FindingKind, "seal states": SealState,
                "step states": StepStatus, "step events": StepEventKind}


def test_the_spelling_of_every_vocabulary_is_the_golden_one() -> None:
    """A change here breaks every program that reads ilog's JSON: add, never rename."""
    spelt = {name: [member.value for member in kind] for name, kind in VOCABULARIES.items()}
    assert spelt == json.loads(GOLDEN.read_text())


def test_the_docs_name_every_word() -> None:
    evidence = (ROOT / "docs" / "evidence.md").read_text()
    contract = (ROOT / "docs" / "json.md").read_text()
    assert [k for k in FindingKind if f"`{k.value}`" not in evidence] == []
    for kind in (SealState, StepStatus):
        assert [k for k in kind if f"`{k.value}`" not in contract] == []


def test_a_tampered_store_is_reported_in_those_words(tmp_path: Path) -> None:
    root = tmp_path / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    quarterly = root / "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
    quarterly.write_text(quarterly.read_text().replace("current rate", "half the rate"))
    printer = root / "clients/initech/2026/2026-08-19-printer-on-floor-3-jams-h935vf29.md"
    printer.write_text("\n".join(line for line in printer.read_text().splitlines()
                                 if not line.startswith("seal:")) + "\n")
    (root / "clients/initech/2026/2026-08-19-printer-on-floor-3-jams-h935vf29").mkdir()
    (root / "clients/initech/2026/2026-08-19-printer-on-floor-3-jams-h935vf29/x.exe").touch()
    result = runner.invoke(["--store", str(root), "verify", "--json"])
    assert result.exit_code == VerifyFailedError.exit_code
    found = sorted((f["kind"], Path(f["path"]).name) for f in json.loads(result.stdout)["findings"])
    assert found == [(FindingKind.BROKEN, quarterly.name), (FindingKind.EXTRA_FILE, "x.exe"),
                     (FindingKind.NOT_SEALED, printer.name)]
    assert [kind for kind, _ in found] == ["changed after sealing", "extra file", "not sealed"]

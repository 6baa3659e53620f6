"""The audit pack: complete, checkable by anyone, readable on screen and on paper."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest

from conftest import DEMO, Cli, editor_command, team_clones
from ilog.errors import IlogError, UnknownClientError, UsageError
from ilog.fileformat import seal
from ilog.model import SealState
from ilog.store.layout import Store

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"


@pytest.fixture
def amended(demo: Cli, tmp_path: Path) -> Cli:
    """The demo store with a step done and the quarterly review amended."""
    demo("done", "qanp", "--note", "sent by e-mail")
    script = tmp_path / "ed.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('current rate', 'rate plus 3 %'))\n")
    demo("amend", "36xjj334", "--reason", "the rate rises 3 %",
         env={"EDITOR": editor_command(script)})
    return demo


def export(cli: Cli, out: Path, *args: str, code: int = 0):
    return cli("export", "audit", "acme", "--out", str(out), *args, code=code)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU coreutils' sha256sum")
def test_sha256sum_checks_the_pack(amended: Cli, tmp_path: Path) -> None:
    """What the pack's README tells an auditor to run, run."""
    export(amended, tmp_path / "pack")
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "pack",
                          capture_output=True, text=True, check=False)
    assert sums.returncode == 0 and sums.stdout.count(": OK") >= 8, sums.stdout


def test_the_pack_holds_exact_copies_and_a_manifest_that_checks(amended: Cli,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "pack"
    assert "Wrote 7 interactions of acme-corp" in export(amended, out).stdout
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {entry["path"]: entry for entry in manifest["files"]}
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert files - set(listed) == {"manifest.json", "SHA256SUMS"}
    for path, entry in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"]
    copy = out / "files" / QUARTERLY
    assert copy.read_bytes() == (amended.store.root / QUARTERLY).read_bytes()
    assert listed[f"files/{QUARTERLY}"]["seal_state"] == SealState.SEALED
    assert listed[f"files/{QUARTERLY}"]["seal"] == seal.check(copy.read_bytes()).claimed
    assert len(list((out / "files/clients/acme-corp/steps").glob("*.yaml"))) == 1
    summed = dict(reversed(line.split("  ", 1)) for line in
                  (out / "SHA256SUMS").read_text().splitlines())
    assert summed == {path: entry["sha256"] for path, entry in listed.items()}
    readme = (out / "README.md").read_text()
    assert "sha256sum -c SHA256SUMS" in readme and "seal: sha256:HEX" in readme


def test_the_html_report_is_valid_self_contained_and_complete(amended: Cli,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "pack"
    export(amended, out)
    html = (out / "audit.html").read_text()
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    assert "<script" not in html and "http" not in html.replace("https://", "").split("<body")[0]
    assert "@media print" in html and "break-before: page" in html
    assert html.count("<article") == 7 and "Version 2 of 2" in html
    assert "corrects 36xjj334: the rate rises 3 %" in html
    assert re.search(r"2026-[0-9: -]+ done by", html) and "sent by e-mail" in html
    assert "<h2>Concerns</h2>" in html  # bodies as Markdown
    assert "&lt;script&gt;" not in html


def test_raw_html_in_a_body_is_shown_as_text(demo: Cli, tmp_path: Path) -> None:
    demo("new", "acme", "--no-edit", "--type", "note", "-p", "Jane",
         "--body", "<script>alert(1)</script> and <b>bold</b>")
    export(demo, tmp_path / "pack")
    html = (tmp_path / "pack/audit.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("kind", ["md", "json", "csv"])
def test_every_format_says_the_same(amended: Cli, tmp_path: Path, kind: str) -> None:
    out = tmp_path / kind
    export(amended, out, "--format", kind)
    text = (out / f"audit.{kind}").read_text()
    if kind == "json":
        data = json.loads(text)
        assert len(data["interactions"]) == 7
        quarterly = next(i for i in data["interactions"] if len(i["versions"]) == 2)
        assert quarterly["versions"][1]["fields"]["amend_reason"] == "the rate rises 3 %"
        assert quarterly["step_events"]["qanpzjzjw5b2"][0]["note"] == "sent by e-mail"
    elif kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 8 and {r["version"] for r in rows} == {"1", "2"}
        assert any("done " in r["next_steps"] and "sent by e-mail" in r["next_steps"]
                   for r in rows)
    else:
        assert text.count("\n## ") == 7 and "### Version 2 of 2" in text


def test_a_period_and_the_commit(tmp_path: Path) -> None:
    alice, _ = team_clones(DEMO, tmp_path)
    cli = Cli(Store(alice))
    out = tmp_path / "pack"
    cli("export", "audit", "acme", "--out", str(out), "--since", "2026-09-01",
        "--until", "2026-10-31")
    manifest = json.loads((out / "manifest.json").read_text())
    head = subprocess.run(["git", "-C", str(alice), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert manifest["commit"] == head and manifest["uncommitted_changes"] is False
    assert (manifest["since"], manifest["until"]) == ("2026-09-01", "2026-10-31")
    html = (out / "audit.html").read_text()
    assert html.count("<article") == 3 and head in (out / "README.md").read_text()


def test_bad_requests(demo: Cli, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("mine")
    result = export(demo, taken, code=IlogError.exit_code)
    assert "is not an empty folder" in result.output and (taken / "x").read_text() == "mine"
    export(demo, tmp_path / "p", "--format", "pdf", code=UsageError.exit_code)
    demo("export", "audit", "acne", "--out", str(tmp_path / "q"),
         code=UnknownClientError.exit_code)
    assert not (tmp_path / "p").exists() and not (tmp_path / "q").exists()
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.skipif(not shutil.which("chromium"), reason="no headless browser here")
def test_a_real_browser_shows_and_prints_it(amended: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    export(amended, out)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    for option, target in (("--screenshot", "shot.png"), ("--print-to-pdf", "pack.pdf")):
        subprocess.run(["chromium", *flags, f"--user-data-dir={tmp_path / option[2:]}",
                        f"{option}={tmp_path / target}", (out / "audit.html").as_uri()],
                       capture_output=True, timeout=120, check=False)
        assert (tmp_path / target).stat().st_size > 20_000
    assert (tmp_path / "pack.pdf").read_bytes().count(b"/Type /Page") >= 8  # a page each


GOLDEN_HTML = Path(__file__).resolve().parent / "golden" / "audit"


def _amended_by_hand(store: Store) -> None:
    """The quarterly review amended, with an id and moment of its own (not random, not now),
    and notes a browser must not run."""
    from datetime import datetime, timedelta, timezone

    from ilog.fileformat import codec

    path = store.root / QUARTERLY
    record = codec.parse(path.read_text(), path=QUARTERLY)
    record.extra.update({"amends": record.id, "amend_reason": "the rate <rises>",
                         "amended": datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(0)))})
    record.id, record.seal = "zzzzzzzzamendedzzzzz", ""
    record.decisions = ["Renew for 12 months at the rate plus 3 %"]
    record.body = "Notes <script>alert(1)</script> & **more**.\n"
    data, _ = seal.add(codec.encode(record).encode("utf-8"))
    path.with_name("2026-11-22-quarterly-review-zzzzzzzz.md").write_bytes(data)


def test_the_html_report_is_byte_for_byte_the_golden_one(tmp_path: Path) -> None:
    """Every demo client's report, and one with an amendment and hostile notes, exactly as
    the templates rendered them when the golden files were made (regenerate with
    ILOG_UPDATE_GOLDEN=1, and look at the difference)."""
    import os
    from datetime import datetime, timedelta, timezone

    from ilog.evidence.auditpack import collect
    from ilog.exchange.auditformats import as_html
    from ilog.store.profiles import client_slugs

    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    store = Store(root)
    _amended_by_hand(store)
    made = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    for slug in client_slugs(store):
        html = as_html(collect(store, slug, now=made))
        golden = GOLDEN_HTML / f"{slug}.html"
        if os.environ.get("ILOG_UPDATE_GOLDEN") == "1":
            golden.write_text(html)
        assert html == golden.read_text(), slug

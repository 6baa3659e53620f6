"""Seals and amendments: records are evidence; a correction never changes the original."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli, editor_command
from ilog import seal
from ilog.errors import AbortedError, FormatError, IlogError, SealedError

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
SEALED = (Path(__file__).resolve().parents[1] / "examples/demo-store" / QUARTERLY).read_bytes()


def check_as_documented(data: bytes) -> bool:
    """The check of docs/evidence.md, written from the doc, not from seal.py."""
    head_end = data.index(b"\n---", 3)
    lines = [m for m in re.finditer(rb"^seal:.*\n", data[:head_end + 1], re.MULTILINE)]
    if len(lines) != 1 or not re.fullmatch(rb"seal: sha256:[0-9a-f]{64}\n", lines[0][0]):
        return False
    rest = data[:lines[0].start()] + data[lines[0].end():]
    return hashlib.sha256(rest).hexdigest().encode() == lines[0][0][13:77]


def test_records_are_sealed_when_written(demo: Cli) -> None:
    out = demo("new", "acme", "--no-edit", "-p", "Jane", "-d", "none", "-n", "none").stdout
    path = demo.store.root / out.split()[-1]
    data = path.read_bytes()
    assert seal.check(data).state == seal.OK and check_as_documented(data)
    assert data.split(b"\n---\n")[0].splitlines()[-1].startswith(b"seal: sha256:")
    assert json.loads(demo("show", out.split()[1], "--json").stdout)["seal"].startswith("sha256:")


@settings(max_examples=300)
@given(st.data())
def test_any_single_byte_changed_breaks_the_seal(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(SEALED) - 1))
    new_byte = data.draw(st.integers(0, 255).filter(lambda b: b != SEALED[position]))
    tampered = SEALED[:position] + bytes([new_byte]) + SEALED[position + 1:]
    assert seal.check(tampered).state != seal.OK
    assert not check_as_documented(tampered) if tampered.count(b"\n---") else True


def test_a_forged_or_doubled_seal_is_malformed() -> None:
    assert seal.check(SEALED.replace(b"seal: sha256:", b"seal: md5:")).state == seal.MALFORMED
    doubled = SEALED.replace(b"seal: ", b"seal: sha256:" + b"0" * 64 + b"\nseal: ", 1)
    assert seal.check(doubled).state == seal.MALFORMED
    assert seal.check(b"\xef\xbb\xbf" + SEALED).state == seal.BROKEN


def amend_with(cli: Cli, tmp_path: Path, ref: str, old: str, new: str, *args: str,
               code: int = 0):
    script = tmp_path / "amend.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    return cli("amend", ref, *args, env={"EDITOR": editor_command(script)}, code=code)


def test_amend_writes_a_new_sealed_record_and_never_touches_the_original(
        demo: Cli, tmp_path: Path) -> None:
    original = (demo.store.root / QUARTERLY).read_bytes()
    out = amend_with(demo, tmp_path, "36xjj334", "at the current rate", "plus 3 %",
                     "--reason", "the rate rises 3 %").stdout
    assert out.startswith("Amended 36xjj334 with ")
    amendment = demo.store.root / out.split()[-1]
    assert (demo.store.root / QUARTERLY).read_bytes() == original
    text = amendment.read_text()
    assert "Renew for 12 months plus 3 %" in text and "amends: 36xjj334rr634h1vdhjj" in text
    assert "amend_reason: the rate rises 3 %" in text and "\namended: 20" in text
    assert "id: qanpzjzjw5b2" in text  # the step keeps its id, so its state carries over
    assert seal.check(amendment.read_bytes()).state == seal.OK
    demo("edit", out.split()[4], code=SealedError.exit_code)


def test_the_latest_version_is_what_people_see(demo: Cli, tmp_path: Path) -> None:
    demo("done", "qanp")
    amend_with(demo, tmp_path, "36xjj334", "current rate", "new rate", "--reason", "rate")
    second = amend_with(demo, tmp_path, "36xjj334", "new rate", "newer rate", "--reason",
                        "again").stdout.split()[3]
    data = json.loads(demo("history", "acme", "--json").stdout)
    assert data["briefing"]["interactions"] == 7
    latest = data["records"][0]
    assert latest["short_id"] == second and len(latest["versions"]) == 3
    assert latest["next_steps"][0]["state"] == "done"  # done before the amendments
    assert "version 3 of 3, corrects" in demo("history", "acme").stdout
    assert [a["id"] for a in json.loads(demo("actions", "--all", "--json").stdout)
            ].count("qanpzjzjw5b2") == 1
    shown = json.loads(demo("show", "36xjj334", "--json").stdout)
    assert shown["short_id"] == second and shown["versions"][0] == "36xjj334rr634h1vdhjj"
    plain = demo("show", "36xjj334").stdout
    assert plain.startswith("Version 3 of 3, corrects") and "you asked for 36xjj334" in plain
    every = demo("show", second, "--versions").stdout
    assert every.count("Version ") == 3 and "-- Renew for 12 months at the current rate" \
        in every and "+- Renew for 12 months at the newer rate" in every
    diffs = json.loads(demo("show", second, "--versions", "--json").stdout)["diffs"]
    assert len(diffs) == 2 and "-- Renew for 12 months at the current rate" in diffs[0]


def test_two_amendments_of_one_record_are_both_shown(demo: Cli, tmp_path: Path) -> None:
    first = demo.store.root / QUARTERLY
    for n, word in enumerate(("fork one", "fork two")):
        copy = first.read_text().replace("36xjj334rr634h1vdhjj", f"f{n}rkxxxxrr634h1vdhjj")
        copy = copy.replace("title: Quarterly review\n", f"title: {word}\n") + ""
        copy = copy.replace("\nseal:", "\namends: 36xjj334rr634h1vdhjj\nseal:")
        (first.parent / f"2026-11-22-{n}-f{n}rkxxxx.md").write_text(copy)
    titles = [r["title"] for r in json.loads(demo("history", "acme", "--json").stdout)["records"]]
    assert "fork one" in titles and "fork two" in titles and "Quarterly review" not in titles


def test_amend_needs_a_reason_and_a_change(demo: Cli, tmp_path: Path) -> None:
    result = amend_with(demo, tmp_path, "36xjj334", "x", "y", code=IlogError.exit_code)
    assert "an amendment needs a reason" in result.output
    amend_with(demo, tmp_path, "36xjj334", "nothing", "nothing", "--reason", "r",
               code=AbortedError.exit_code)
    result = demo("amend", "36xjj334", "--reason", "move it", "--stdin",
                  input=(demo.store.root / QUARTERLY).read_text().replace(
                      "client: acme-corp", "client: initech"), code=FormatError.exit_code)
    assert "an amendment stays with its client" in result.output

"""`ilog log`: the newest interactions across every client (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, editor_command


def logged(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli("log", *args, "--json").stdout)


def test_newest_first_across_clients(demo: Cli) -> None:
    every = logged(demo, "-n", "100")
    dates = [entry["date"] for entry in every]
    assert dates == sorted(dates, reverse=True) and len(every) == 31
    assert len({entry["client"] for entry in every}) == 5
    first = demo("log", "-n", "3").stdout.splitlines()
    assert len(first) == 3
    assert first[0].startswith("2026-11-22 15:00  acme-corp  call  Quarterly review  36xjj334")
    assert [e["short_id"] for e in logged(demo, "-n", "3")] == \
        [e["short_id"] for e in every[:3]]


def test_filters(demo: Cli) -> None:
    emails = logged(demo, "--type", "email", "-n", "100")
    assert emails and all(e["type"] == "email" for e in emails)
    globex = logged(demo, "--client", "globex", "-n", "100")
    assert globex and all(e["client"] == "globex-ltd" for e in globex)
    bob = logged(demo, "--owner", "bob", "-n", "100")
    assert bob and all(any(s["owner"] == "bob" for s in e["next_steps"]) for e in bob)
    window = logged(demo, "--since", "2026-06-01", "--until", "2026-06-30", "-n", "100")
    assert window and all("2026-06-01" <= e["date"][:10] <= "2026-06-30" for e in window)
    assert demo("log", "--type", "nothing").stdout == ""


def test_latest_versions_only_and_no_withdrawn(demo: Cli, tmp_path: Path) -> None:
    script = tmp_path / "amend.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('12 months', '24 months'))\n")
    demo("amend", "36xjj334", "--reason", "term", env={"EDITOR": editor_command(script)})
    demo("void", "s06rfxc4", "--reason", "logged twice")
    demo("done", "qanp")
    top = logged(demo, "-n", "2")
    assert top[0]["title"] == "Quarterly review" and top[0]["short_id"] != "36xjj334"
    assert top[0]["amends"] == "36xjj334rr634h1vdhjj" and len(top[0]["versions"]) == 2
    assert top[0]["next_steps"][0]["done"] is True
    assert top[1]["short_id"] == "de9g94zw"  # the withdrawn s06rfxc4 is left out
    assert "version 2 of 2, corrects 36xjj334: term" in demo("log", "-n", "1").stdout


def test_a_file_named_by_hand_is_placed_by_its_date(cli: Cli, write_record) -> None:
    from conftest import VALID_CALL

    write_record(VALID_CALL, name="jane-call.md")  # 2026-11-22, no day in its name
    cli("new", "acme", "-t", "note", "--no-edit", "-p", "Jane", "-m", "older",
        "--date", "2026-01-05")
    titles = [e["title"] for e in logged(cli, "-n", "5")]
    assert titles[0] == "Quarterly review" and len(titles) == 2
    assert [e["title"] for e in logged(cli, "-n", "1")] == ["Quarterly review"]
    assert logged(cli, "--since", "2026-12-01") == []


def test_a_span_that_ends_before_it_starts_is_refused(demo: Cli, tmp_path: Path) -> None:
    """The same rule for log, history and the audit pack (cli/values.day_range)."""
    from ilog.errors import UsageError

    for args in (["log"], ["history", "acme"],
                 ["export", "audit", "acme", "--out", str(tmp_path / "pack")]):
        out = demo(*args, "--since", "2026-06-01", "--until", "2026-01-01",
                   code=UsageError.exit_code).output
        assert "is after --until" in out
    assert not (tmp_path / "pack").exists()

"""`ilog history`: briefing, timeline, filters, JSON, Markdown, broken files, the pager."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import Cli
from ilog.errors import (
    AmbiguousError,
    DateError,
    UnknownClientError,
    UnreadableFilesError,
    UsageError,
)
from ilog.views.history import md
from ilog.views.text import ago

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
DISPUTE = "clients/acme-corp/2026/2026-09-03-invoice-dispute-call-gpezgqkf.md"



def history_json(cli: Cli, *args: str, code: int = 0) -> dict:
    return json.loads(cli("history", *args, "--json", code=code).stdout)


def test_briefing_then_timeline_newest_first(demo: Cli) -> None:
    out = demo("history", "acme").stdout
    briefing, timeline = out.split("\nTimeline: ")
    assert briefing.startswith("Acme Corp  (acme-corp)\n")
    assert "contacts: Jane Doe (Acme, CFO) <jane@acme.example>" in briefing
    assert "last contact: 2026-11-22 15:00" in briefing
    assert "interactions: 7 (call 3 · " in briefing
    assert "Open next steps: 8, " in briefing and "overdue" in briefing
    assert "Renew for 12 months at the current rate  · Quarterly review" in briefing
    titles = [line.split("  ")[2] for line in timeline.splitlines() if line[:4] == "2026"]
    assert titles[0] == "Quarterly review" and titles[-1] == "Kick-off: finance system review"
    assert "    approver   Jane Doe (Acme, CFO) <jane@acme.example>" in timeline
    assert "\x1b[" not in out  # plain when piped


def test_overdue_steps_lead_the_briefing_and_are_marked(demo: Cli) -> None:
    data = history_json(demo, "acme")["briefing"]
    dues = [a["due"] for a in data["open_actions"]]
    assert dues == sorted(dues) and data["open_steps"] == len(dues)
    overdue = [d for d in dues if d < date.today().isoformat()]
    assert data["overdue_steps"] == len(overdue)
    out = demo("history", "acme").stdout
    assert f"{overdue[0]} ! " in out and "[!] f1cj35hd" in out


def test_done_steps_show_who_and_when_and_leave_the_open_list(demo: Cli) -> None:
    demo("done", "f1cj", "--note", "credit note CN-77", "--date", "2026-09-09")
    data = history_json(demo, "acme")
    assert "f1cj35hdv77r" not in {a["id"] for a in data["briefing"]["open_actions"]}
    dispute = next(r for r in data["records"] if r["id"].startswith("gpezgqkf"))
    step = dispute["next_steps"][0]
    assert (step["state"], step["done"], step["done_at"], step["done_note"]) == \
        ("done", True, "2026-09-09", "credit note CN-77")
    assert step["done_by"] == "author@example.test"
    assert "[x] f1cj35hd" in demo("history", "acme").stdout


@pytest.mark.parametrize(("args", "expected"), [
    (["--type", "call"], {"Quarterly review", "Invoice dispute call", "Findings walkthrough"}),
    (["-t", "email", "-t", "approval"], {"Invoice INV-2031 disputed", "SOW v2 approved"}),
    (["--case", "acme-2026-01"], {"Findings walkthrough", "SOW v2 approved",
                                  "Kick-off: finance system review"}),
    (["--tag", "billing"], {"Invoice INV-2031 disputed", "Invoice dispute call"}),
    (["--tag", "billing", "--tag", "DISPUTE"], {"Invoice INV-2031 disputed",
                                                "Invoice dispute call"}),
    (["--tag", "billing", "--tag", "renewal"], set()),
    (["--since", "2026-09-03", "--until", "2026-10-31"], {"Invoice dispute call",
                                                          "Export job fails nightly"}),
])
def test_filters_narrow_the_timeline_not_the_briefing(demo: Cli, args: list[str],
                                                      expected: set[str]) -> None:
    data = history_json(demo, "acme", *args)
    assert {r["title"] for r in data["records"]} == expected
    assert data["matched"] == data["shown"] == len(expected)
    assert data["briefing"]["interactions"] == 7


def test_since_in_words(demo: Cli) -> None:
    since = (date.today() - date(2026, 10, 20)).days
    data = history_json(demo, "acme", "--since", f"{since} days ago")
    assert [r["title"] for r in data["records"]] == ["Quarterly review",
                                                     "Export job fails nightly"]


def test_limit_keeps_the_newest_and_reverse_shows_them_oldest_first(demo: Cli) -> None:
    newest = [r["title"] for r in history_json(demo, "acme", "--limit", "3")["records"]]
    assert newest == ["Quarterly review", "Export job fails nightly", "Invoice dispute call"]
    data = history_json(demo, "acme", "--limit", "3", "--reverse")
    assert [r["title"] for r in data["records"]] == newest[::-1]
    assert (data["matched"], data["shown"]) == (7, 3)
    everything = [r["title"] for r in history_json(demo, "acme", "-r")["records"]]
    assert everything[0] == "Kick-off: finance system review"
    assert "Timeline: 3 of 7 interactions, oldest first" in demo("history", "acme", "-l", "3",
                                                                 "-r").stdout


def test_json_records_carry_every_field_and_bodies_only_with_full(demo: Cli) -> None:
    data = history_json(demo, "acme")
    assert set(data) >= {"client", "briefing", "records", "matched", "shown", "problems"}
    record = next(r for r in data["records"] if r["title"] == "Quarterly review")
    assert record["path"] == QUARTERLY and record["body"] is None
    assert record["participants"][0] == "Jane Doe (Acme, CFO) <jane@acme.example>"
    assert record["next_steps"][0]["state"] in ("open", "overdue")
    approval = next(r for r in data["records"] if r["type"] == "approval")
    assert approval["fields"]["approver"].startswith("Jane Doe")
    full = history_json(demo, "acme", "--full")
    assert all(isinstance(r["body"], str) for r in full["records"])
    assert "stops at 02:10" in next(r for r in full["records"]
                                    if r["title"] == "Export job fails nightly")["body"]
    assert "    The nightly export stops at 02:10" in demo("history", "acme", "--full").stdout


def test_markdown_briefing(demo: Cli) -> None:
    demo("done", "f1cj")
    out = demo("history", "acme", "--markdown").stdout
    assert out.startswith(f"# Acme Corp: briefing of {date.today().isoformat()}\n")
    assert "## Open next steps (7, " in out and "## Recent decisions" in out
    assert "- [ ] **overdue** " in out and "  - [x] Issue credit note for 3 hours" in out
    assert not re.search(r"(?<![\w.])@\w", out)  # no @mentions when pasted on GitHub
    assert "## Timeline\n\n*7 interactions, newest first*" in out
    demo("history", "acme", "--markdown", "--json", code=UsageError.exit_code)


def test_markdown_escapes_what_would_change_the_text() -> None:
    assert md("a *b* [c](d) `e` _f_ snake_case") == r"a \*b\* \[c\](d) \`e\` \_f\_ snake_case"
    assert md("Jane <jane@acme.example> <b>") == r"Jane <jane@acme.example> \<b>"


def test_markdown_demotes_body_headings(demo: Cli) -> None:
    out = demo("history", "acme", "--markdown", "--full", "--type", "support").stdout
    assert "\n##### Reported problem\n" in out


def test_an_amended_record_shows_its_latest_version_with_a_mark(demo: Cli) -> None:
    original = (demo.store.root / QUARTERLY).read_text()
    amended = original.replace("36xjj334rr634h1vdhjj", "77mmmmmmrr634h1vdhjj").replace(
        "title: Quarterly review", "title: Quarterly review (corrected)").replace(
        "\nseal:", "\namends: 36xjj334rr634h1vdhjj\namend_reason: wrong rate\nseal:")
    path = demo.store.root / "clients/acme-corp/2026/2026-11-22-quarterly-review-77mmmmmm.md"
    path.write_text(amended)
    data = history_json(demo, "acme")
    by_title = {r["title"]: r for r in data["records"]}
    assert "Quarterly review" not in by_title and data["briefing"]["interactions"] == 7
    latest = by_title["Quarterly review (corrected)"]
    assert latest["amends"] == "36xjj334rr634h1vdhjj"
    assert latest["versions"] == ["36xjj334rr634h1vdhjj", "77mmmmmmrr634h1vdhjj"]
    out = demo("history", "acme").stdout
    assert "amended    version 2 of 2, corrects 36xjj334: wrong rate" in out
    assert "*Amended: version 2 of 2, corrects 36xjj334: wrong rate*" in demo(
        "history", "acme", "--markdown").stdout


def test_unknown_and_ambiguous_clients_and_bad_dates(demo: Cli) -> None:
    result = demo("history", "acne", code=UnknownClientError.exit_code)
    assert "no client 'acne' (did you mean acme-corp?)" in result.output
    demo.store.root.joinpath("clients/acme-labs").mkdir()
    result = demo("history", "acm", code=AmbiguousError.exit_code)
    assert "acme-corp, acme-labs" in result.output
    result = demo("history", "acme", "--since", "the other day", code=DateError.exit_code)
    assert "--since: cannot understand the date 'the other day'" in result.output
    demo("history", "acme", "--since", "today", "--until", "last week",
         code=UsageError.exit_code)


def test_a_broken_record_is_named_at_the_end_and_the_rest_is_shown(demo: Cli) -> None:
    broken = demo.store.root / DISPUTE
    broken.write_text(broken.read_text().replace("date: 2026-09-03T11:00:00+01:00",
                                                 "date: when pigs fly"))
    result = demo("history", "acme", code=UnreadableFilesError.exit_code)
    assert result.stdout.count("\n2026-") == 6  # every other record is there
    assert result.stdout.splitlines()[-1] == (f"  {DISPUTE}:5: date: 'when pigs fly' is not an "
                                              "ISO 8601 date; write it like 2026-11-22 or "
                                              "2026-11-22T14:30:00+01:00")
    assert f"1 file of acme-corp could not be read, left out ({DISPUTE})" \
        in result.stderr
    data = history_json(demo, "acme", code=UnreadableFilesError.exit_code)
    assert len(data["records"]) == 6
    assert data["problems"][0]["path"] == DISPUTE and data["problems"][0]["field"] == "date"


def test_history_follows_the_files(demo: Cli) -> None:
    path = demo.store.root / QUARTERLY
    assert history_json(demo, "acme")["records"][0]["title"] == "Quarterly review"
    text = path.read_text()
    stat = path.stat()
    path.write_text(text.replace("Quarterly review", "Quarterly rEVIEW"))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert history_json(demo, "acme")["records"][0]["title"] == "Quarterly rEVIEW"
    path.unlink()
    assert len(history_json(demo, "acme")["records"]) == 6


def test_an_event_pulled_from_elsewhere_counts(demo: Cli) -> None:
    assert history_json(demo, "acme")["briefing"]["open_steps"] == 8
    events = demo.store.root / "clients/acme-corp/steps"
    events.mkdir()
    (events / "20261101T100000000000Z-f1cj35hdv77r-done-abcd.yaml").write_text(
        "step: f1cj35hdv77r\nrecord: gpezgqkfmsskf2gfr5be\nevent: done\n"
        "at: 2026-09-09\nby: alice@consultancy.example\n"
        "recorded: 2026-11-01T10:00:00+00:00\n")
    assert history_json(demo, "acme")["briefing"]["open_steps"] == 7


def test_a_damaged_or_foreign_cache_is_rebuilt(demo: Cli) -> None:
    before = history_json(demo, "acme")
    shard = demo.store.root / ".ilog/meta/acme-corp.cache"
    shard.write_bytes(b"garbage")
    assert history_json(demo, "acme") == before
    shard.write_bytes(b"ilgc" + b"\x63" * 40)
    assert history_json(demo, "acme") == before


def test_a_client_without_records(demo: Cli) -> None:
    demo("new", "Umbrella", "--new-client", "--type", "note", "-p", "Ann", "--no-edit")
    (next((demo.store.root / "clients/umbrella").rglob("*.md"))).unlink()
    out = demo("history", "umbrella").stdout
    assert "interactions: 0" in out and "No interactions recorded yet." in out


@pytest.mark.parametrize(("days", "text"), [(0, "today"), (1, "yesterday"), (3, "3 days ago"),
                                            (20, "2 weeks ago"), (95, "3 months ago"),
                                            (800, "2 years ago"), (-2, "in 2 days")])
def test_how_long_ago(days: int, text: str) -> None:
    assert ago(days) == text


# -- on a terminal: colours and the pager --------------------------------------------------

def run_on_terminal(store: Path, *args: str, env: dict[str, str]) -> str:
    """Run ilog with stdout on a pseudo-terminal; return what it wrote there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(store), *args],
                               stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               env={**os.environ, "COLUMNS": "100", "LINES": "20", **env})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that keeps what it is given."""
    kept = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys; open({str(kept)!r}, 'wb').write(sys.stdin.buffer.read())\n")
    return f"{sys.executable} {script}", kept


def test_long_output_goes_through_the_pager_with_colours(demo: Cli, pager, monkeypatch) -> None:
    command, kept = pager
    monkeypatch.delenv("NO_COLOR")
    shown = run_on_terminal(demo.store.root, "history", "acme", env={"PAGER": command})
    paged = kept.read_text()
    assert "Acme Corp" in paged and colours(paged) and "╭─" in paged
    assert "Acme Corp" not in shown


def test_no_color_and_no_pager(demo: Cli, pager, monkeypatch) -> None:
    command, kept = pager
    monkeypatch.delenv("NO_COLOR")
    shown = run_on_terminal(demo.store.root, "history", "acme", "--no-pager", "--no-color",
                            env={"PAGER": command})
    assert not kept.exists() and "Acme Corp" in shown and not colours(shown)
    run_on_terminal(demo.store.root, "history", "acme", env={"PAGER": command, "NO_COLOR": "1"})
    assert "Acme Corp" in kept.read_text() and not colours(kept.read_text())


def colours(text: str) -> set[int]:
    """The colour codes (not bold or dim, which NO_COLOR allows) in ``text``."""
    codes = {int(c) for sgr in re.findall(r"\x1b\[([0-9;]*)m", text) for c in sgr.split(";") if c}
    return {c for c in codes if 30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 107}


def test_short_output_is_not_paged(demo: Cli, pager) -> None:
    command, kept = pager
    shown = run_on_terminal(demo.store.root, "history", "initech", "--limit", "1",
                            env={"PAGER": command, "LINES": "200"})
    assert not kept.exists() and "Initech" in shown


def test_a_days_worth_of_steps_due(demo: Cli) -> None:
    """Steps due today are open, not overdue."""
    demo("new", "initech", "--no-edit", "-p", "Bill", "-d", "none",
         "-n", f"Call back @bob due:{date.today().isoformat()}")
    steps = history_json(demo, "initech")["records"][0]["next_steps"]
    assert steps[0]["state"] == "open"


def test_user_text_that_looks_like_markup_is_shown_as_it_is(demo: Cli, tmp_path: Path) -> None:
    demo("new", "Weird [x] Co", "--new-client", "--no-edit", "-p", "Ann [b]",
         "-d", "use [red]caution[/red] [/]", "-n", "Fix [/] it @bob", "--set", "note=a [/] b")
    record = next((demo.store.root / "clients/weird-x-co").rglob("*.md"))
    short = record.stem[-8:]
    (tmp_path / "stdin.md").write_text(record.read_text().replace("Fix [/] it", "Fix [/] now"))
    demo("amend", short, "--reason", "oops [/] [bold]", "--stdin",
         input=(tmp_path / "stdin.md").read_text())
    for args in (["show", short], ["clients"], ["templates"], ["history", "weird"]):
        shown = run_on_terminal(demo.store.root, "--no-pager", *args, env={})
        assert "internal error" not in shown, args
    shown = run_on_terminal(demo.store.root, "--no-pager", "show", short, env={})
    assert "Fix [/] now" in shown and "oops [/] [bold]" in shown and "a [/] b" in shown
    assert "Weird [x] Co" in run_on_terminal(demo.store.root, "clients", env={})

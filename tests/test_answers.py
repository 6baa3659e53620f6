"""Search gives the answers the rest of ilog gives: the latest version of each interaction,
and next-step queries that agree with `ilog actions` (issue 11, items 1 and 2)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from conftest import Cli, editor_command

ROOT = Path(__file__).resolve().parent.parent
QUARTERLY_ID = "36xjj334rr634h1vdhjj"


def hits(cli: Cli, *query: str) -> list[dict]:
    words = [w for w in query if not w.startswith("--")]
    options = [w for w in query if w.startswith("--")]
    return json.loads(cli("search", "--limit", "200", "--json", *options, "--",
                          *words).stdout)


def amend(cli: Cli, tmp_path: Path, ref: str, old: str, new: str) -> str:
    """Amend ``ref`` replacing ``old`` by ``new``; the amendment's short id."""
    script = tmp_path / "amend.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    out = cli("amend", ref, "--reason", "corrected", env={"EDITOR": editor_command(script)})
    return out.stdout.split()[3]


def test_search_answers_with_the_latest_version_marked_as_amended(demo: Cli,
                                                                  tmp_path: Path) -> None:
    latest = amend(demo, tmp_path, "36xjj334", "Renew for 12 months", "Renew for 24 months")
    found = [h for h in hits(demo, "renew") if h["client"] == "acme-corp"]
    assert [h["short_id"] for h in found] == [latest]
    assert found[0]["version"] == found[0]["versions"] == 2
    assert found[0]["amends"] == QUARTERLY_ID and found[0]["superseded_by"] is None
    assert f"{latest}  amended (version 2 of 2)" in demo("search", "renew").stdout
    assert QUARTERLY_ID not in {h["id"] for h in hits(demo)}  # '*' too


def test_all_versions_shows_earlier_ones_and_what_supersedes_them(demo: Cli,
                                                                   tmp_path: Path) -> None:
    latest = amend(demo, tmp_path, "36xjj334", "Renew for 12 months", "Renew for 24 months")
    found = {h["short_id"]: h for h in hits(demo, "renew", "--all-versions")}
    original = found["36xjj334"]
    assert original["version"] == 1 and original["versions"] == 2
    assert original["superseded_by"].startswith(latest) and original["amends"] is None
    assert latest in found
    assert f"36xjj334  version 1 of 2, superseded by {latest}" in demo(
        "search", "renew", "--all-versions").stdout


def test_step_fields_describe_one_step(cli: Cli, write_record) -> None:
    """Alice's step is overdue, Bob's is not: Bob has nothing overdue in this record."""
    write_record("""\
        ---
        id: twostep1aaaabbbbcccc
        client: acme
        type: call
        date: 2026-01-05T10:00:00+01:00
        title: Two owners
        participants: [Jane Doe (Acme), Bob Smith (us)]
        decisions: none
        next_steps:
        - id: alice001aaaa
          text: Send the contract
          owner: alice
          due: 2026-01-10
        - id: bob00001aaaa
          text: Book the venue
          owner: bob
          due: 2999-01-01
        ---
        """)
    assert hits(cli, "owner:bob due:<today") == []
    assert hits(cli, "owner:bob step:contract") == []
    assert len(hits(cli, "owner:alice due:<today")) == 1
    assert len(hits(cli, "owner:bob step:venue")) == 1
    assert len(hits(cli, "owner:bob OR due:<today")) == 1
    assert hits(cli, "-owner:alice") == []  # no step of Alice's
    assert len(hits(cli, "owner:alice -status:done")) == 1


def test_completions_count_and_their_notes_are_searchable(demo: Cli) -> None:
    before = {h["id"] for h in hits(demo, "owner:bob status:overdue")}
    assert QUARTERLY_ID in before
    demo("done", "qanp", "--note", "sent by courier")
    after = {h["id"] for h in hits(demo, "owner:bob status:overdue")}
    assert after == before - {QUARTERLY_ID}
    assert QUARTERLY_ID in {h["id"] for h in hits(demo, "status:done")}
    assert [h["id"] for h in hits(demo, "courier")] == [QUARTERLY_ID]
    assert [h["id"] for h in hits(demo, "note:courier")] == [QUARTERLY_ID]
    demo("reopen", "qanp")
    assert {h["id"] for h in hits(demo, "owner:bob status:overdue")} == before
    assert hits(demo, "courier") == []


def test_a_pulled_completion_reaches_the_index(demo: Cli) -> None:
    """A completion event written by another clone (not by this process) counts too."""
    assert hits(demo, "status:done") == []
    steps = demo.store.root / "clients/acme-corp/steps"
    steps.mkdir(exist_ok=True)
    (steps / "20261130T090000000000Z-qanpzjzjw5b2-done-ab12.yaml").write_text(
        "step: qanpzjzjw5b2\nrecord: 36xjj334rr634h1vdhjj\nevent: done\n"
        "at: 2026-11-28T10:00:00+01:00\nby: carol@example.com\n"
        "recorded: 2026-11-30T09:00:00+00:00\n")
    assert [h["id"] for h in hits(demo, "status:done")] == [QUARTERLY_ID]


# -- every documented example gives the answer 'ilog actions' gives -------------------------

def documented_pairs() -> list[tuple[str, str]]:
    """(search arguments, actions arguments) of each line of docs/search.md's table of
    next-step questions."""
    text = (ROOT / "docs/search.md").read_text()
    section = text.split("## Next steps", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `ilog search ([^`]+)` \| `ilog actions([^`]*)` \|", section,
                      re.MULTILINE)


def documented_examples() -> list[str]:
    """Every ``ilog search ...`` line of docs/search.md's code blocks."""
    text = (ROOT / "docs/search.md").read_text()
    return [line.split("  #")[0].strip() for block in re.findall(r"```sh\n(.*?)```", text,
                                                                  re.DOTALL)
            for line in block.splitlines() if line.startswith("ilog search ")]


def test_docs_list_next_step_questions() -> None:
    assert len(documented_pairs()) >= 5


@pytest.mark.parametrize("search, actions", documented_pairs())
def test_documented_step_queries_agree_with_actions(demo: Cli, search: str,
                                                    actions: str) -> None:
    demo("done", "qanp")  # completions must count
    demo("done", "zab5")
    found = {h["id"] for h in hits(demo, *shlex.split(search))}
    listed = json.loads(demo("actions", *shlex.split(actions), "--json").stdout)
    assert found == {step["record"] for step in listed}, (search, actions)
    assert found  # each example finds something in the demo store


def test_every_documented_search_runs(demo: Cli) -> None:
    examples = documented_examples()
    assert len(examples) >= 5
    for example in examples:
        words = shlex.split(example.split("|")[0])[2:]
        demo("search", *words)


def test_an_untitled_note_is_known_by_its_first_line(cli: Cli) -> None:
    """Issue 11, item 10: not "(untitled)" with no text, in history and in search."""
    cli("new", "acme", "--new-client", "-t", "note", "--no-edit", "-p", "Jane",
        "-m", "## Jane called\n\nThe invoice is paid now.", "--date", "2026-11-20")
    timeline = cli("history", "acme").stdout.split("Timeline: ")[1]
    assert "note  Jane called  " in timeline and "untitled" not in timeline
    found = cli("search", "invoice").stdout
    assert "acme  note  Jane called  " in found
    assert json.loads(cli("search", "invoice", "--json").stdout)[0]["title"] is None


# -- item 8: the stemming language is a store setting; slash dates follow the user's order ----

def test_the_stemming_language_is_a_store_setting(demo: Cli) -> None:
    """German words are found by their stem once the store says it speaks German; changing
    the setting rebuilds the index."""
    assert hits(demo, "Angeboten") == []  # English stemming keeps the German ending
    with (demo.store.root / "ilog.toml").open("a") as handle:
        handle.write('\n[search]\nlanguage = "german"\n')
    found = {h["title"] for h in hits(demo, "Angeboten")}
    assert "Angebot besprochen" in found  # 'Angeboten' and 'Angebot' share a German stem
    assert (demo.store.root / ".ilog/index/ilog-schema-version").read_text().endswith(" de")


def test_an_unknown_stemming_language_is_named(demo: Cli) -> None:
    with (demo.store.root / "ilog.toml").open("a") as handle:
        handle.write('\n[search]\nlanguage = "klingon"\n')
    out = demo("search", "x", code=23).output
    assert "search.language" in out and "german" in out


def test_every_stemming_language_has_a_whoosh_stemmer() -> None:
    from whoosh import lang

    from ilog.store.settings import SEARCH_LANGUAGES

    assert all(lang.has_stemmer(code) for code in SEARCH_LANGUAGES.values())


@pytest.mark.parametrize(("order", "day"), [("day-month", "2026-01-05"),
                                            ("month-day", "2026-05-01")])
def test_slash_dates_follow_the_users_date_order(cli: Cli, isolated_env: Path, order: str,
                                                 day: str) -> None:
    config = isolated_env / "config/ilog/config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'date_order = "{order}"\n')
    made = json.loads(cli("new", "acme", "--new-client", "-t", "note", "--no-edit", "-p", "Jane",
                          "-m", "x", "--date", "05/01/2026", "--json").stdout)
    assert made["date"] == day


def test_an_ambiguous_slash_date_says_how_to_settle_it(cli: Cli) -> None:
    out = cli("new", "acme", "--new-client", "-t", "note", "--no-edit", "-p", "Jane", "-m",
              "x", "--date", "05/01/2026", code=25).output
    assert "could be day/month or month/day" in out and "date_order" in out
    assert cli("new", "acme", "--new-client", "-t", "note", "--no-edit", "-p", "Jane", "-m",
               "x", "--date",
               "22/11/2026", "--json").exit_code == 0  # only day-month can be meant


def test_a_wrong_date_order_setting_is_named(cli: Cli, isolated_env: Path) -> None:
    config = isolated_env / "config/ilog/config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('date_order = "year-first"\n')
    out = cli("where").stderr
    assert "warning" in out and "date_order" in out and "day-month" in out


def test_a_multi_process_build_keeps_each_record_with_its_steps(tmp_path: Path) -> None:
    """Above 5,000 records the index is built by several processes, a batch of records each
    (never a record in one batch and its steps in another): step queries stay right."""
    from ilog.derived.index import SearchIndex
    from ilog.derived.searchdoc import document
    from ilog.model import NextStep, Record

    def record(n: int) -> list[dict[str, object]]:
        steps = [NextStep(f"s{n:05d}a", "call back", owner="ann" if n % 3 else "bob",
                          due=None), NextStep(f"s{n:05d}b", "send quote", owner="cy")]
        made = Record(id=f"r{n:07d}xxxxxxxxxxxx", client="acme", type="call", date=None,
                      title=f"record {n}", next_steps=steps)
        return [{**d, "sha": ""} for d in document(made, f"clients/acme/2026/{n}.md")]

    index = SearchIndex(tmp_path / "index")
    index.build((record(n) for n in range(900)), procs=2)
    from whoosh import index as whoosh_index

    # both processes got records (all of them once piled up in this one, then went to one)
    assert len(whoosh_index.open_dir(str(tmp_path / "index"))._segments()) >= 2
    found, total, _ = index.search('owner:bob step:"call back"', limit=1000, by_date=False,
                                   text_of=lambda _: "")
    assert total == 300 and {h.title for h in found} == {f"record {n}" for n in range(0, 900, 3)}
    assert index.search("owner:cy step:call", limit=5, by_date=False,
                        text_of=lambda _: "")[1] == 0

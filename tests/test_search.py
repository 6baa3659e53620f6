"""`ilog search` and `ilog reindex`: the query language, freshness, and faults."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DEMO, VALID_CALL, Cli, read_only_copy
from ilog.derived import index as whoosh_index
from ilog.derived import listing
from ilog.errors import QueryError, UnknownClientError
from ilog.store import layout
from ilog.store.layout import Store


def titles(cli: Cli, *query: str, code: int = 0) -> list[str]:
    out = cli("search", *query, "--json", "--limit", "100", code=code).stdout
    return [hit["title"] for hit in json.loads(out)]


@pytest.mark.parametrize(("query", "expected"), [
    ("invoice", {"Invoice INV-2031 disputed", "Invoice dispute call"}),
    ("renewal", {"Quarterly review", "Carrier contract renewal"}),          # stemming
    ("client:acme type:approval", {"SOW v2 approved"}),                      # alias resolves
    ("client:Müller", {"Erstgespräch", "Angebot besprochen"}),
    ("tag:billing", {"Invoice INV-2031 disputed", "Invoice dispute call"}),
    ("tags:RISK", {"Rollout paused"}),
    ("participant:klara", {"Erstgespräch", "Angebot besprochen"}),
    ("erstgesprach", {"Erstgespräch"}),                                     # accents folded
    ("ERSTGESPRÄCH", {"Erstgespräch"}),
    ("participant:muller", {"Erstgespräch", "Angebot besprochen"}),
    ("participant:hank@globex.example type:approval", {"Pilot budget approved"}),
    ("participant:initech type:support", {"Printer on floor 3 jams"}),       # organisation
    ("owner:milton OR owner:mindy", {"Pilot retrospective"}),
    ("owner:raj", {"Kick-off: finance system review", "Export job fails nightly"}),
    ("case:ACME-SUP-7", {"Export job fails nightly"}),
    ("ref:INV-2031", {"Invoice INV-2031 disputed", "Invoice dispute call"}),
    ("decision:renew", {"Quarterly review"}),
    ('"credit note"', {"Invoice dispute call"}),
    ("disput*", {"Invoice INV-2031 disputed", "Invoice dispute call"}),
    ("scannr~", {"Warehouse scanning pilot", "Scanner quote sent", "Scanner quote approved",
                 "Scanner sync errors", "Pilot results", "Scanner pilot check-in"}),
    ("scanne~/9", {"Warehouse scanning pilot"}),              # a prefix beyond the word
    ("owner:raz~ scannr~", set()),                            # fuzzy in a step clause too
    ("owner:raz~", {"Kick-off: finance system review", "Export job fails nightly"}),
    ("invoice NOT type:email", {"Invoice dispute call"}),
    ("invoice -type:email", {"Invoice dispute call"}),                      # -x excludes
    ("invoice -call", {"Invoice INV-2031 disputed"}),
    ('invoice -"dispute call"', {"Invoice INV-2031 disputed"}),
    ("tag:billing -client:acme", set()),
    ("client:initech -(type:call OR type:support)", {"TPS report process review"}),
    ("pick-rates -x", {"Peak week one"}),                                # a hyphen inside
    ("(tag:risk OR tag:dispute) AND client:globex", {"Rollout paused"}),
    ("date:[2026-11-15 to 2026-11-20] client:initech", {"Checklist adoption"}),
    ("status:none client:globex", {"Procurement needs three quotes", "Pilot budget approved",
                                   "Rollout paused"}),
])
def test_query_language(demo: Cli, query: str, expected: set[str]) -> None:
    assert set(titles(demo, query)) == expected


def test_owner_matches_step_owners(demo: Cli) -> None:
    assert "Peak readiness review" in titles(demo, "owner:tom")
    assert "Peak readiness review" not in titles(demo, "owner:sofia")


def test_natural_dates_in_queries(demo: Cli) -> None:
    recent = titles(demo, 'date:>"2026-11-18" client:northwind')
    assert set(recent) == {"Scanner sync errors"}
    assert titles(demo, "date:<=2026-01-14") == ["Discovery workshop"]
    overdue = titles(demo, "due:<2026-11-23 owner:alice client:acme")
    assert set(overdue) == {"Invoice dispute call", "Export job fails nightly",
                            "Findings walkthrough"}
    assert "Quarterly review" in titles(demo, "date:[last month to today]")


def test_results_newest_first_for_fields_best_first_for_words(demo: Cli) -> None:
    dated = json.loads(demo("search", "client:acme", "--json").stdout)
    assert [h["date"] for h in dated] == sorted((h["date"] for h in dated), reverse=True)
    assert all(h["score"] is None for h in dated)
    ranked = json.loads(demo("search", "invoice", "--json").stdout)
    assert ranked[0]["score"] >= ranked[-1]["score"] > 0
    by_date = json.loads(demo("search", "invoice", "--sort", "date", "--json").stdout)
    assert [h["title"] for h in by_date] == ["Invoice dispute call", "Invoice INV-2031 disputed"]


def test_json_paths_limit_and_shorthands(demo: Cli) -> None:
    hit = json.loads(demo("search", "credit", "--json").stdout)[0]
    assert set(hit) >= {"id", "client", "date", "type", "title", "path", "score", "snippet"}
    assert "**credit**" in hit["snippet"].lower()
    assert (demo.store.root / hit["path"]).is_file()
    paths = demo("search", "client:acme", "--paths").stdout.splitlines()
    assert len(paths) == 7 and all(p.startswith("clients/acme-corp/2026/") for p in paths)
    assert len(demo("search", "client:acme", "--paths", "--limit", "2").stdout.splitlines()) == 2
    narrowed = titles(demo, "scanner", "--client", "northwind", "--since", "2026-11-01")
    assert narrowed == ["Scanner sync errors"]


def test_fuzzy_and_prefix_words_are_marked_in_snippets(demo: Cli) -> None:
    for query in ("invoise~", "invoi*"):
        hits = json.loads(demo("search", query, "--json").stdout)
        assert hits and all("**invoice**" in h["snippet"].lower() for h in hits), query


def test_readable_output(demo: Cli) -> None:
    out = demo("search", "credit", "note").stdout
    assert "Invoice dispute call" in out and "acme-corp" in out and "1 match" in out


@pytest.mark.parametrize(("query", "message"), [
    ('"unclosed phrase', "unbalanced quote: the '\"' at column 1"),
    ("date:[2026-01-01 to today", "unbalanced '['"),
    ("(a OR b", "unbalanced '('"),
    ("a OR b)", "unbalanced ')' at column 7"),
    ("colour:red", "unknown field 'colour:'"),
    ("tagz:x", "did you mean tag"),
    ("date:[2030-01-01 to 2020-01-01]", "starts after it ends"),
    ("date:whenever", "cannot understand the date 'whenever'"),
    ("x" * 100_000, "the limit is"),
])
def test_bad_queries_get_a_clear_message(demo: Cli, query: str, message: str) -> None:
    result = demo("search", query, code=QueryError.exit_code)
    assert message in result.output and "Traceback" not in result.output


def test_unknown_client_in_a_query(demo: Cli) -> None:
    result = demo("search", "client:acme-crop", code=UnknownClientError.exit_code)
    assert "did you mean acme-corp" in result.output


# -- freshness -------------------------------------------------------------------------------

def test_new_edited_renamed_and_deleted_records_are_reflected(cli: Cli, write_record) -> None:
    path = write_record(VALID_CALL)
    assert titles(cli, "quarterly") == ["Quarterly review"]
    cli("new", "acme", "--no-edit", "-t", "note", "-p", "Zed", "--title", "Zebra talk")
    assert titles(cli, "zebra") == ["Zebra talk"]
    path.write_text(path.read_text().replace("Quarterly review", "Annual review"))
    assert titles(cli, "quarterly") == [] and titles(cli, "annual") == ["Annual review"]
    moved = path.with_name("2026-11-22-annual-abcd1234.md")
    path.rename(moved)
    hits = json.loads(cli("search", "annual", "--json").stdout)
    assert [h["path"] for h in hits] == ["clients/acme/2026/2026-11-22-annual-abcd1234.md"]
    moved.unlink()
    assert titles(cli, "annual") == []


def test_same_size_same_second_edit_is_noticed(cli: Cli, write_record) -> None:
    path = write_record(VALID_CALL)
    assert titles(cli, "quarterly") == ["Quarterly review"]
    stat = path.stat()
    path.write_text(path.read_text().replace("Quarterly review", "Quarterly reviux"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert titles(cli, "reviux") == ["Quarterly reviux"]


def test_touch_without_change_does_not_reindex(cli: Cli, write_record) -> None:
    path = write_record(VALID_CALL)
    titles(cli, "quarterly")
    segments = sorted(p.name for p in (cli.store.root / ".ilog/index").iterdir())
    os.utime(path, None)
    assert titles(cli, "quarterly") == ["Quarterly review"]
    assert sorted(p.name for p in (cli.store.root / ".ilog/index").iterdir()) == segments


def test_a_broken_record_is_skipped_with_a_warning(cli: Cli, write_record) -> None:
    write_record(VALID_CALL)
    write_record("---\ntitle: [broken\n---\nquarterly\n", name="2026-11-23-x-zzzz9999.md",
                 dedent=False)
    result = cli("search", "quarterly")
    assert "Quarterly review" in result.stdout
    assert "1 record file could not be read" in result.stderr


# -- faults ----------------------------------------------------------------------------------

def index_dir(cli: Cli) -> Path:
    return cli.store.root / ".ilog" / "index"


def test_deleted_index_is_rebuilt(demo: Cli) -> None:
    titles(demo, "invoice")
    shutil.rmtree(index_dir(demo))
    assert len(titles(demo, "invoice")) == 2


def test_truncated_segment_is_rebuilt(demo: Cli) -> None:
    titles(demo, "invoice")
    for segment in index_dir(demo).glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:10])
    for postings in index_dir(demo).glob("*.pst"):
        postings.write_bytes(b"")
    assert len(titles(demo, "invoice")) == 2


def test_other_schema_version_or_listing_damage_rebuilds(demo: Cli) -> None:
    titles(demo, "invoice")
    (index_dir(demo) / whoosh_index.VERSION_FILE).write_text("0")
    assert len(titles(demo, "invoice")) == 2
    (demo.store.root / ".ilog" / listing.LISTING).write_bytes(b"\x00garbage\nmore garbage")
    assert len(titles(demo, "invoice")) == 2
    (demo.store.root / ".ilog" / listing.LISTING).unlink()
    assert len(titles(demo, "invoice")) == 2


def test_reindex_rebuilds_and_reports(demo: Cli) -> None:
    result = demo("reindex")
    assert "indexed 31 records" in result.stderr
    assert demo("reindex", "--quiet").output == ""
    assert len(list(whoosh_index.SearchIndex(index_dir(demo)).paths())) == 31


def test_a_killed_lock_holder_does_not_block(demo: Cli) -> None:
    titles(demo, "invoice")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import pathlib, time\nfrom ilog.derived.cachedir import locked\n"
        f"with locked(pathlib.Path({str(demo.store.root / '.ilog')!r}), wait=10) as got:\n"
        "    print('locked' if got else 'busy', flush=True)\n    time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    assert len(titles(demo, "invoice")) == 2
    assert time.monotonic() - started < 5


def test_concurrent_searches_and_writes(store: Store) -> None:
    base = [sys.executable, "-m", "ilog", "--store", str(store.root)]
    writers = [subprocess.Popen([*base, "new", "acme", "--new-client", "--no-edit", "-t",
                                 "note", "-p", "x", "--title", f"parallel {n}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for n in range(6)]
    readers = [subprocess.Popen([*base, "search", "parallel", "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(4)]
    for process in writers + readers:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    final = subprocess.run([*base, "search", "parallel", "--json", "--limit", "50"],
                           capture_output=True, text=True, check=True)
    assert len(json.loads(final.stdout)) == 6


def test_read_only_store_searches_from_a_private_index() -> None:
    """As an unprivileged user (root ignores permissions), on a store it cannot write."""
    with read_only_copy(DEMO) as (prefix, store, env):
        result = subprocess.run([*prefix, sys.executable, "-m", "ilog", "--store", str(store),
                                 "search", "invoice", "--paths"],
                                capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 2
        assert not (store / ".ilog").exists()


def test_python_and_find_listings_agree(demo: Cli) -> None:
    if not shutil.which("find"):
        pytest.skip("no find")
    (demo.store.root / "clients/acme-corp/notes").mkdir()
    (demo.store.root / "clients/acme-corp/notes/not-a-record.md").write_text("x")
    made_by_python = listing.parse_listing(listing._python_listing(demo.store))
    made_by_find = listing.parse_listing(listing.listing(demo.store))
    assert made_by_python == made_by_find
    kinds = [layout.kind(path) for path in made_by_find]
    assert kinds.count(layout.RECORD) == 31 and kinds.count(layout.PROFILE_KIND) == 5


def test_without_gnu_find_the_listing_is_made_in_python(demo: Cli, tmp_path: Path) -> None:
    """On macOS and Windows there is no GNU find; nothing else changes."""
    env = {**os.environ, "PATH": str(tmp_path)}  # no find, no git
    base = [sys.executable, "-m", "ilog", "--store", str(demo.store.root)]
    found = subprocess.run([*base, "search", "invoice", "--paths"], capture_output=True,
                           text=True, env=env, check=True).stdout.split()
    assert len(found) == 2
    (demo.store.root / found[0]).unlink()
    again = subprocess.run([*base, "search", "invoice", "--paths"], capture_output=True,
                           text=True, env=env, check=True).stdout.split()
    assert again == found[1:]
    actions = subprocess.run([*base, "actions", "--json"], capture_output=True, text=True,
                             env=env, check=True).stdout
    assert json.loads(actions)


def test_search_through_the_console_entry_point(demo: Cli) -> None:
    result = subprocess.run([sys.executable, "-m", "ilog", "--store", str(demo.store.root),
                             "search", "invoice", "--paths"], capture_output=True, text=True,
                            check=True)
    assert len(result.stdout.splitlines()) == 2


def test_when_most_records_changed_the_index_is_rebuilt(cli: Cli, write_record,
                                                        monkeypatch) -> None:
    from ilog.ops import search as searching

    paths = [write_record(VALID_CALL.replace("abcd1234efgh", f"abcd123{n}efgh"),
                          name=f"2026-11-2{n}-call-abcd123{n}.md") for n in range(3)]
    assert len(titles(cli, "quarterly")) == 3
    for path in paths:
        path.write_text(path.read_text().replace("Quarterly", "Yearly"))
    monkeypatch.setattr(searching, "REBUILD_ABOVE", 2)
    assert len(titles(cli, "yearly")) == 3 and titles(cli, "quarterly") == []
    from whoosh import index

    reader = index.open_dir(str(index_dir(cli))).reader()
    assert reader.doc_count() == reader.doc_count_all() == 6  # 3 records and their steps


def test_an_unchanged_store_does_not_rewrite_the_saved_listing(demo: Cli) -> None:
    titles(demo, "invoice")
    saved = demo.store.root / ".ilog" / listing.LISTING
    before = saved.stat().st_mtime_ns
    time.sleep(0.01)
    titles(demo, "invoice")
    assert saved.stat().st_mtime_ns == before


def test_an_empty_query_lists_every_record(demo: Cli) -> None:
    files = sorted(p.relative_to(demo.store.root).as_posix()
                   for p in demo.store.root.glob("clients/*/20*/*.md"))
    for query in ([], ["*"], ["  "]):
        found = demo("search", *query, "--paths", "--limit", "1000").stdout.split()
        assert sorted(found) == files


def test_snippets_are_plain_text(cli: Cli, write_record) -> None:
    import textwrap

    write_record(textwrap.dedent(VALID_CALL).replace(
        "Notes.", "## Agenda\n\n- [x] **Renewal** of the [SOW](https://example.test/sow) for "
        "`acme_corp`\n"), dedent=False)
    hit = json.loads(cli("search", "renewal", "--json").stdout)[0]
    assert "#" not in hit["snippet"] and "[SOW]" not in hit["snippet"]
    assert "**Renewal**" in hit["snippet"] and "acme_corp" in hit["snippet"]


def test_about_only_when_the_count_is_an_estimate(demo: Cli) -> None:
    out = demo("search", "NOT", "invoice", "--limit", "3").stdout
    assert out.strip().endswith("3 of 29 matches")

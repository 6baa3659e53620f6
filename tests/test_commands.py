"""init, where, show, edit, check, clients, templates through the real CLI."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from conftest import VALID_CALL, Cli, editor_command, runner, unprivileged
from ilog import __version__
from ilog.errors import (
    AbortedError,
    AmbiguousError,
    CheckFailedError,
    FormatError,
    NotFoundError,
    SealedError,
    StoreError,
)
from ilog.fileformat import seal
from ilog.model import SealState


def test_init_creates_a_store_with_git_and_is_harmless_twice(tmp_path: Path) -> None:
    target = tmp_path / "clients-store"
    first = runner.invoke(["init", str(target)])
    assert first.exit_code == 0, first.output
    assert (target / ".git").is_dir() and (target / "clients").is_dir()
    ignored = (target / ".gitignore").read_text().splitlines()
    assert ".ilog/" in ignored and ".*.tmp" in ignored
    assert "*.md -text" in (target / ".gitattributes").read_text()
    (target / "ilog.toml").write_text("# mine\n")
    second = runner.invoke(["init", str(target)])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert (target / "ilog.toml").read_text() == "# mine\n"


def test_init_adds_missing_lines_to_a_users_gitignore_and_skips_git_inside_a_repo(
        tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("node_modules/")
    result = runner.invoke(["init", str(tmp_path / "sub")])
    assert result.exit_code == 0 and not (tmp_path / "sub/.git").exists()
    runner.invoke(["init", str(tmp_path), "--no-git"])
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[0] == "node_modules/" and lines[2] == ".ilog/" and lines[4] == ".*.tmp"
    assert len(lines) == 5  # each with its comment


def test_where_explains_how_the_store_was_found(tmp_path: Path, monkeypatch) -> None:
    runner.invoke(["init", str(tmp_path / "s"), "--no-git"])
    (tmp_path / "s/clients/deep").mkdir()
    monkeypatch.chdir(tmp_path / "s/clients/deep")
    data = json.loads(runner.invoke(["where", "--json"]).stdout)
    assert data["store"] == str((tmp_path / "s").resolve())
    assert "nearest ilog.toml" in data["reason"]
    monkeypatch.setenv("ILOG_STORE", str(tmp_path / "s"))
    assert "ILOG_STORE" in runner.invoke(["where"]).output


def test_the_default_store_is_created_on_first_use_and_said_so(
        tmp_path: Path, monkeypatch, isolated_env: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(["where"])  # where never creates one
    assert result.exit_code == 0 and "not created yet" in result.output
    assert not (isolated_env / "data/ilog/store").exists()
    result = runner.invoke(["clients"])
    assert "your default store was created at" in result.stderr
    assert (isolated_env / "data/ilog/store/ilog.toml").is_file()
    assert "created" not in runner.invoke(["clients"]).stderr  # once
    assert "default store in the XDG data directory" in runner.invoke(["where"]).output


def test_a_default_store_can_be_set_in_the_user_config(tmp_path: Path, monkeypatch,
                                                       isolated_env: Path) -> None:
    monkeypatch.chdir(tmp_path)
    runner.invoke(["init", str(tmp_path / "mine"), "--no-git"])
    config = isolated_env / "config/ilog/config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'store = "{tmp_path / "mine"}"\n')
    data = json.loads(runner.invoke(["where", "--json"]).stdout)
    assert data == {"store": str((tmp_path / "mine").resolve()),
                    "reason": "'store' of your user config"}
    assert not (isolated_env / "data/ilog/store").exists()


def test_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(["--store", str(tmp_path / "nope"), "clients"])
    assert result.exit_code == StoreError.exit_code
    assert "is not an ilog store" in result.output and "ilog init" in result.output


def test_show_by_prefix_path_json_and_raw(cli: Cli, write_record) -> None:
    path = write_record(VALID_CALL)
    for ref in ("abcd", "ABCD1234", "abcd1234efgh", str(path)):
        assert "Quarterly review" in cli("show", ref).output
    data = json.loads(cli("show", "abcd", "--json").stdout)
    assert data["id"] == "abcd1234efgh5678jkmn" and data["participants"][1] == "Bob Smith (us)"
    assert cli("show", "abcd", "--raw").output == path.read_text()


def test_show_errors(cli: Cli, write_record) -> None:
    write_record(VALID_CALL)
    write_record(VALID_CALL.replace("abcd1234efgh", "abcd9999efgh"),
                 name="2026-11-22-call-abcd9999.md")
    result = cli("show", "abcd", code=AmbiguousError.exit_code)
    assert "matches 2 records" in result.output
    assert "not found" not in cli("show", "zzzz", code=NotFoundError.exit_code).output
    cli("show", "ab", code=NotFoundError.exit_code)


def test_edit_refuses_id_changes_saves_sealed_and_then_refuses(cli: Cli, write_record,
                                                                tmp_path: Path) -> None:
    path = write_record(VALID_CALL)  # written by hand: not sealed yet
    script = tmp_path / "ed.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "t = p.read_text()\n"
                      "p.write_text(t if '# ilog' in t else t.replace('abcd1234', 'zzzz1234'))\n")
    result = cli("edit", "abcd", env={"EDITOR": editor_command(script)},
                 code=AbortedError.exit_code)
    assert "kept in" in result.output
    assert "id: abcd1234efgh5678jkmn" in path.read_text()
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('Notes.', 'Better notes.'))\n")
    cli("edit", "abcd", env={"EDITOR": editor_command(script)})
    assert "Better notes." in path.read_text() and "id: abcd1234efgh5678jkmn" in path.read_text()
    assert seal.check(path.read_bytes()).state == SealState.SEALED
    result = cli("edit", "abcd", env={"EDITOR": editor_command(script)},
                 code=SealedError.exit_code)
    assert "abcd1234 is sealed" in result.output and "ilog amend abcd1234" in result.output


def test_check_reports_path_line_field_message(cli: Cli, write_record) -> None:
    write_record(VALID_CALL)
    write_record(VALID_CALL.replace("    decisions:\n    - Renew for 12 months\n", ""),
                 name="2026-11-22-call-abcd1234.md", client="beta")
    write_record("no front matter\n", name="2026-11-23-broken-zzzz9999.md")
    write_record(VALID_CALL.replace("title: Quarterly review", "title: a\n    title: b"),
                 name="2026-11-24-dup-abcd1234.md")
    result = cli("check", code=CheckFailedError.exit_code)
    lines = result.output.splitlines()
    assert "clients/acme/2026/2026-11-23-broken-zzzz9999.md:1: no front matter" in lines[0]
    assert "clients/acme/2026/2026-11-24-dup-abcd1234.md:7: duplicate key 'title'" in result.output
    assert ("clients/beta/2026/2026-11-22-call-abcd1234.md:2: decisions: required for a call "
            "record; add it (write 'none' if there were none)") not in result.output
    assert "clients/beta/2026/2026-11-22-call-abcd1234.md: decisions: required" in result.output
    assert "client: says 'acme' but the file is in clients/beta/" in result.output
    assert ("clients/beta/2026/2026-11-22-call-abcd1234.md: has the same id as "
            "clients/acme/2026/2026-11-22-call-abcd1234.md") in result.output
    assert "checked 4 files: 6 problems" in result.output


def test_check_named_files_and_json(cli: Cli, write_record) -> None:
    good = write_record(VALID_CALL)
    bad = write_record(VALID_CALL.replace("2026-11-22T14:30:00+01:00", "soon"),
                       name="2026-11-25-x-abcd1234.md")
    assert cli("check", str(good)).exit_code == 0
    result = cli("check", str(bad), "--json", code=CheckFailedError.exit_code)
    data = json.loads(result.stdout)
    assert data["checked"] == 1
    assert data["problems"][0]["field"] == "date" and data["problems"][0]["line"] == 5


def test_clients_lists_counts_and_last_contact(cli: Cli, write_record) -> None:
    write_record(VALID_CALL)
    later = write_record(VALID_CALL.replace("abcd1234efgh", "bbbb1234efgh"),
                         name="2026-11-23-x-bbbb1234.md")
    (cli.store.root / "clients/acme/client.yaml").write_text("name: Acme Corp\naliases: [ac]\n")
    data = json.loads(cli("clients", "--json").stdout)
    assert data[0]["last_contact"] == "2026-11-22"  # the front matter's date, not the name's
    later.write_text(later.read_text().replace("2026-11-22T14:30", "2026-11-23T09:00"))
    data = json.loads(cli("clients", "--json").stdout)
    assert len(data) == 1 and data[0].pop("overdue_steps") in (0, 2)  # due 2026-11-29
    assert data == [{"slug": "acme", "name": "Acme Corp", "aliases": ["ac"], "contacts": [],
                     "tags": [], "interactions": 2, "last_contact": "2026-11-23",
                     "open_steps": 2}]
    assert "Acme Corp" in cli("clients").output


def test_templates_list_and_show(cli: Cli) -> None:
    listing = cli("templates").output
    for name in ("approval", "call", "email", "meeting", "note", "support"):
        assert name in listing
    data = json.loads(cli("templates", "--json").stdout)
    call = next(t for t in data if t["type"] == "call")
    assert call["required"] == ["date", "participants", "decisions", "next_steps"]
    assert cli("templates", "show", "call").output.startswith("---\ndescription:")
    cli("templates", "show", "nope", code=NotFoundError.exit_code)


def test_a_broken_template_is_named(cli: Cli) -> None:
    (cli.store.root / "templates").mkdir()
    (cli.store.root / "templates/bad.md").write_text("---\nrequired: [a\n---\n")
    result = cli("templates", code=FormatError.exit_code)
    assert "templates/bad.md:3: invalid YAML" in result.output


@pytest.mark.parametrize(("args", "says"), [
    (["--version"], f"ilog {__version__}\n"), (["--help"], "Usage: ilog [OPTIONS] COMMAND"),
    (["new", "--help"], "Usage: ilog new [OPTIONS]")])
def test_help_and_version(args: list[str], says: str) -> None:
    result = runner.invoke(args)
    assert result.exit_code == 0 and says in result.output


def test_read_only_store_is_a_clear_error() -> None:
    """Run as an unprivileged user (root ignores permissions) on a store it cannot write."""
    import os
    import shutil
    import sys
    import tempfile

    prefix = unprivileged()
    root = Path(tempfile.mkdtemp(prefix="ilog-ro-"))
    try:
        runner.invoke(["init", str(root), "--no-git"])
        for folder in (root, root / "clients"):
            folder.chmod(0o555)
        env = {**os.environ, "HOME": str(root), "ILOG_AUTHOR": "x",
               "XDG_CONFIG_HOME": str(root)}
        result = subprocess.run([*prefix, sys.executable, "-m", "ilog", "--store", str(root),
                                 "new", "acme", "--new-client", "--no-edit", "--type", "note",
                                 "-p", "x"], capture_output=True, text=True, env=env,
                                check=False)
        assert result.returncode == 22, result.stderr
        assert result.stderr.startswith("ilog: cannot write") and "Traceback" not in result.stderr
        assert list((root / "clients").iterdir()) == [root / "clients/.gitkeep"]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_parallel_check_finds_the_same_problems_in_the_same_order(
        cli: Cli, write_record, monkeypatch) -> None:
    from ilog.store import parallel

    for number in range(30):
        text = VALID_CALL if number % 7 else VALID_CALL.replace("type: call", "type: nope")
        write_record(text.replace("abcd1234efgh", f"{number:04d}abcdefg"),
                     name=f"2026-11-22-call-{number:04d}abcd.md")
    serial = cli("check", "--json", code=CheckFailedError.exit_code).stdout
    monkeypatch.setattr(parallel, "THRESHOLD", 2)
    assert cli("check", "--json", code=CheckFailedError.exit_code).stdout == serial
    assert json.loads(serial)["checked"] == 30 and len(json.loads(serial)["problems"]) == 5


def test_check_staged_checks_what_git_would_commit(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    runner.invoke(["init", str(root)])
    folder = root / "clients/acme/2026"
    folder.mkdir(parents=True)
    (folder / "2026-11-22-call-abcd1234.md").write_text(VALID_CALL.replace("    ", ""))
    (folder / "2026-11-23-bad-zzzz9999.md").write_text("broken\n")
    subprocess.run(["git", "-C", str(root), "add", "clients/acme/2026/2026-11-22-call-abcd1234.md"],
                   check=True)
    result = runner.invoke(["--store", str(root), "check", "--staged"])
    assert result.exit_code == 0 and "checked 1 file: no problems" in result.output
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    result = runner.invoke(["--store", str(root), "check", "--staged"])
    assert result.exit_code == CheckFailedError.exit_code and "no front matter" in result.output


def test_check_reads_what_ilog_reads_in_a_folder_or_a_commit(tmp_path: Path) -> None:
    """A record's attachments (a PDF, a .txt, even an .md) are no records: checking a
    client's folder, or the pre-commit hook on a commit that adds one, reads the record, not
    them (the whole-store check never did)."""
    root, note, notes = tmp_path / "repo", tmp_path / "n.txt", tmp_path / "minutes.md"
    runner.invoke(["init", str(root)])
    note.write_text("not a record\n")
    notes.write_text("# minutes, no front matter\n")
    made = runner.invoke(["--store", str(root), "new", "acme", "--new-client", "--no-edit",
                          "-p", "x", "-t", "note", "--attach", str(note), "--attach",
                          str(notes)])
    assert made.exit_code == 0, made.output
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    for args in (["--staged"], [str(root / "clients/acme")], []):
        result = runner.invoke(["--store", str(root), "check", *args, "--json"])
        assert result.exit_code == 0, (args, result.output)
        assert json.loads(result.stdout)["problems"] == []


def test_bom_and_crlf_records_are_accepted(cli: Cli, write_record) -> None:
    text = "\ufeff" + VALID_CALL.replace("    ", "").replace("\n", "\r\n")
    write_record(text, dedent=False)
    assert cli("check").exit_code == 0
    assert json.loads(cli("show", "abcd", "--json").stdout)["title"] == "Quarterly review"


def test_non_utf8_and_malformed_yaml_are_named_by_check_and_show(cli: Cli, write_record) -> None:
    path = write_record(VALID_CALL)
    path.write_bytes(path.read_bytes().replace(b"Quarterly", b"Quart\xe9rly"))
    write_record("---\ntitle: [oops\n---\n", name="2026-11-23-x-yyyy1111.md", dedent=False)
    result = cli("check", code=CheckFailedError.exit_code)
    assert "2026-11-22-call-abcd1234.md:6: not valid UTF-8" in result.output
    assert "2026-11-23-x-yyyy1111.md:3: invalid YAML" in result.output
    result = cli("show", "abcd", code=FormatError.exit_code)
    assert result.output.startswith("ilog: clients/acme/2026/2026-11-22-call-abcd1234.md:6:")


def test_client_names_complete_from_the_store(cli: Cli, monkeypatch) -> None:
    from ilog.cli.completion import complete_clients

    cli("new", "Acme Corp", "--new-client", "--no-edit", "-t", "note", "-p", "x")
    cli("new", "Beta", "--new-client", "--no-edit", "-t", "note", "-p", "x")
    monkeypatch.setenv("ILOG_STORE", str(cli.store.root))
    assert complete_clients(None, "") == [("acme-corp", "Acme Corp"), ("beta", "Beta")]
    assert complete_clients(None, "Ac") == [("acme-corp", "Acme Corp")]


# -- smaller outputs that read right (issue 11, item 10) -------------------------------------

@pytest.mark.parametrize(("number", "noun", "none", "expected"), [
    (1, "file", "", "1 file"), (3, "file", "", "3 files"), (0, "problem", "no", "no problems"),
    (2, "entry", "", "2 entries"), (2, "day", "", "2 days"), (2, "match", "", "2 matches"),
    (0, "record", "", "0 records"),
])
def test_counts_read_as_english(number: int, noun: str, none: str, expected: str) -> None:
    from ilog.views.text import counted

    assert counted(number, noun, none=none) == expected


def test_small_outputs_read_right(demo: Cli) -> None:
    assert "No client has gone without contact for longer than 9000d" in \
        demo("clients", "--cold", "9000d").output
    result = demo("new", "acme", "--no-edit", "-t", "email", "-p", "Jane", code=24)
    assert "required for an email record" in result.output and "a email" not in result.output
    out = demo("new", "acme", "--no-edit", "-t", "note", "-p", "Jane", "-m",
               "Called about the **cold room** order\n\nMore.", "--json").stdout
    assert json.loads(out)["title"] is None
    history = demo("history", "acme", "--full").output
    assert "note  Called about the cold room order" in history and "(untitled)" not in history
    assert "Timeline: 1 of 2 interactions" in demo("history", "muller", "--limit", "1").output
    demo("new", "solo", "--new-client", "--no-edit", "-t", "note", "-p", "Ann", "-T", "Hello")
    assert "Timeline: 1 interaction, newest first" in demo("history", "solo").output


@pytest.mark.parametrize("where", ["clients/acme-corp/client.yaml",
                                   "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"])
def test_an_unresolved_merge_conflict_is_named_as_one(demo: Cli, where: str) -> None:
    path = demo.store.root / where
    lines = path.read_text().splitlines(keepends=True)
    lines[2:3] = ["<<<<<<< HEAD\n", lines[2], "=======\n", lines[2].upper(), ">>>>>>> theirs\n"]
    path.write_text("".join(lines))
    result = demo("check", code=32)
    assert f"{where}:3: unresolved merge conflict" in result.output


def test_show_says_which_steps_are_done(demo: Cli) -> None:
    demo("done", "f1cj", "--note", "sent")
    text = demo("show", "gpezgqkf").output
    assert "Issue credit note for 3 hours @bob due 2026-09-10 (done " in text
    assert "Add approval step to our change process @alice due 2026-11-20\n" in text
    steps = json.loads(demo("show", "gpezgqkf", "--json").stdout)["next_steps"]
    assert [(s["short_id"], s["state"], s["done"]) for s in steps] == [
        ("f1cj35hd", "done", True), ("vdj1jt8b", "overdue", False)]


def test_every_command_has_examples_that_parse() -> None:
    """The examples in each command's help (its docstring) use only options that exist."""
    import importlib
    import shlex

    from ilog.cli.registry import COMMANDS

    for command in COMMANDS:
        module, name = command.target.split(":")
        doc = getattr(importlib.import_module(module), name).__doc__ or ""
        assert "Examples:" in doc, command.words
        examples = [line.strip() for line in doc.split("Examples:")[1].splitlines()
                    if line.strip().startswith("ilog ")]
        assert examples, command.words
        for example in examples:
            words = shlex.split(example.split(" < ")[0].split(" > ")[0])[1:]
            result = runner.invoke([*words, "--help"])
            assert result.exit_code == 0, (example, result.output)


def test_no_progress_bar_flashes_for_quick_work(monkeypatch) -> None:
    import io

    from rich.console import Console

    from ilog.cli import render

    out = io.StringIO()
    with render.progress_bar(Console(file=out, force_terminal=True), "Indexing") as advance:
        for done in range(100):
            advance(done, 100)
    assert out.getvalue() == ""
    monkeypatch.setattr(render, "PROGRESS_DELAY", 0.05)
    with render.progress_bar(Console(file=out, force_terminal=True), "Indexing") as advance:
        advance(50, 100)
        time.sleep(0.3)
    assert "Indexing" in out.getvalue()


def test_a_long_last_stage_shows_on_the_bar(monkeypatch) -> None:
    """Whoosh writing its segments says nothing until it is done: the bar shows the stage,
    pulsing with the time spent, instead of sitting at N/N (issue 11, item 14)."""
    import io

    from rich.console import Console

    from ilog.cli import render

    out = io.StringIO()
    monkeypatch.setattr(render, "PROGRESS_DELAY", 0.05)
    with render.progress_bar(Console(file=out, force_terminal=True), "Indexing") as advance:
        advance(100, 100)
        advance(0, 0, "Writing the index")
        time.sleep(0.3)  # no call while Whoosh commits
    assert "Writing the index" in out.getvalue()


@pytest.mark.parametrize(("profile", "field"), [
    ("name: Acme\ncontacts:\n  jane: jane@acme.example\n", "contacts"),
    ("name: {first: Acme}\n", "name"),
    ("- just\n- a list\n", None),
])
def test_a_profile_of_the_wrong_shape_is_named(demo: Cli, profile: str, field: str | None) -> None:
    (demo.store.root / "clients/acme-corp/client.yaml").write_text(profile)
    result = demo("check", code=32)
    assert "clients/acme-corp/client.yaml" in result.output
    assert (f"{field}: must be" in result.output) if field else "a mapping" in result.output
    assert "{'jane'" not in demo("history", "acme", code=None).output


def test_init_makes_the_store_that_store_names(tmp_path: Path, monkeypatch) -> None:
    """``ilog --store DIR init`` once made the store in the working folder instead."""
    here, target = tmp_path / "here", tmp_path / "named"
    here.mkdir()
    monkeypatch.chdir(here)
    done = runner.invoke(["--store", str(target), "init", "--no-git"])
    assert done.exit_code == 0, done.output
    assert (target / "ilog.toml").is_file() and not (here / "ilog.toml").exists()

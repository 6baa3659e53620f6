"""A store is often a clone of someone else's files: nothing in it may make ilog write,
delete or read outside it (docs/format.md, "Links"; issue 10's first class)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import DEMO, Cli
from ilog.errors import (
    ClientError,
    FormatError,
    NotFoundError,
    StoreError,
    UsageError,
    ValidationError,
)
from ilog.store.layout import Store

INITECH = "clients/initech/2026/2026-04-08-tps-report-process-review-sea0fjvp.md"
QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"


@pytest.fixture
def site(tmp_path: Path) -> tuple[Cli, Path]:
    """A copy of the demo store at tmp/site/store, and an 'elsewhere' folder beside it that
    nothing ilog does may touch."""
    root = tmp_path / "site" / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    elsewhere = tmp_path / "site" / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    return Cli(Store(root)), elsewhere


def untouched(elsewhere: Path) -> bool:
    return sorted(p.name for p in elsewhere.rglob("*")) == ["keep.txt"]


def test_a_client_field_that_is_a_path_is_no_client(site: tuple[Cli, Path]) -> None:
    demo, elsewhere = site
    record = demo.store.root / INITECH
    text = re.sub(r"^client: .*$", "client: ../../elsewhere/x", record.read_text(),
                  flags=re.MULTILINE)
    record.write_text(re.sub(r"^seal: .*\n", "", text, flags=re.MULTILINE))
    demo("hold", "sea0fjvp", "--reason", "x", code=ValidationError.exit_code)
    demo("done", "sea0", code=NotFoundError.exit_code)
    demo("actions", "--all")
    demo("history", "initech", code=36)
    assert "client: '../../elsewhere/x' is not a client's folder name" in \
        demo("check", code=32).output
    assert untouched(elsewhere) and not (elsewhere.parent / "x").exists()


@pytest.mark.parametrize("linked", ["clients/initech", "clients/initech/2026",
                                    "clients/acme-corp/steps", "tombstones", ".ilog"])
def test_nothing_is_written_or_deleted_through_a_linked_folder(
        site: tuple[Cli, Path], linked: str) -> None:
    demo, elsewhere = site
    target = demo.store.root / linked
    if target.exists():
        shutil.copytree(target, elsewhere / "moved", dirs_exist_ok=True)
        shutil.rmtree(target)
    else:
        (elsewhere / "moved").mkdir()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(elsewhere / "moved", target_is_directory=True)
    before = sorted(p.relative_to(elsewhere) for p in elsewhere.rglob("*"))
    if linked.startswith("clients/"):
        assert f"{linked}: is a link to a folder" in demo("check", code=None).output
    for args in (["new", "initech", "--no-edit", "-t", "note", "-p", "x", "--date", "2026-05-01"],
                 ["done", "f1cj"], ["erase", "initech", "--reason", "r", "--yes"],
                 ["purge", "--yes"], ["search", "printer"], ["hold", "sea0fjvp"]):
        demo(*args, code=None)
    assert sorted(p.relative_to(elsewhere) for p in elsewhere.rglob("*")) == before


def test_a_record_that_is_a_link_is_reported_not_read(site: tuple[Cli, Path]) -> None:
    demo, elsewhere = site
    record = demo.store.root / QUARTERLY
    outside = elsewhere / "record.md"
    shutil.move(record, outside)
    record.symlink_to(outside)
    demo("show", "36xjj334", code=FormatError.exit_code)
    history = demo("history", "acme", code=36)
    assert "Quarterly review" not in history.stdout.split("Could not read")[0]
    assert f"{QUARTERLY}: is a link" in demo("check", code=32).output
    assert QUARTERLY not in demo("search", "Renew", "--paths").stdout
    assert f"{QUARTERLY}: a link" in demo("verify", code=38).output
    assert outside.read_text().startswith("---")  # read by nobody, changed by nobody


@pytest.mark.parametrize("command", ["show", "edit", "amend", "hold"])
def test_a_path_given_must_be_a_record_of_the_store(site: tuple[Cli, Path],
                                                    command: str) -> None:
    demo, elsewhere = site
    outside = elsewhere / "2026-01-01-x-abcdabcd.md"
    outside.write_text((demo.store.root / QUARTERLY).read_text())
    for ref in (str(outside), f"{demo.store.root}/clients/../../elsewhere/{outside.name}",
                str(demo.store.root / "ilog.toml.md")):
        result = demo(command, ref, "--reason", "r", env={"EDITOR": "true"}, code=None) \
            if command == "amend" else demo(command, ref, env={"EDITOR": "true"}, code=None)
        assert result.exit_code in (NotFoundError.exit_code, 2), result.output
    assert outside.read_text() == (demo.store.root / QUARTERLY).read_text()


def test_a_client_folder_name_is_checked_before_it_becomes_a_path(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for bad in ("../x", "a/b", "/etc", "", ".."):
        with pytest.raises(ClientError):
            store.client_dir(bad)
    assert store.client_dir("acme-corp") == tmp_path / "clients" / "acme-corp"


def test_a_linked_derived_folder_is_refused(site: tuple[Cli, Path]) -> None:
    demo, elsewhere = site
    (demo.store.root / ".ilog").symlink_to(elsewhere, target_is_directory=True)
    result = demo("actions", code=StoreError.exit_code)
    assert "through a link" in result.output and untouched(elsewhere)
    assert os.path.islink(demo.store.root / ".ilog")


@pytest.mark.parametrize(("args", "code"), [
    (["new", "acme", "--no-edit", "-p", "x", "--date", "0001-01-01"], 25),
    (["new", "acme", "--no-edit", "-p", "x", "-n", "x due:in 10000 years"], 25),
    (["done", "f1cj", "--date", "in 10000 years"], 25),
    (["search", 'due:<"in 99999999999 days"'], 33),
    (["search", "date:[in 10000 years to today]"], 33),
])
def test_dates_no_command_could_file_are_refused_with_a_code(site: tuple[Cli, Path],
                                                             args: list[str],
                                                             code: int) -> None:
    demo, _ = site
    before = sorted(p for p in demo.store.root.rglob("*") if ".ilog" not in p.parts)
    result = demo(*args, code=code)
    assert "between the years 1900 and 2999" in result.output
    if args[0] == "new":
        assert ("--date: " if "--date" in args else "--next: ") in result.output
    assert sorted(p for p in demo.store.root.rglob("*") if ".ilog" not in p.parts) == before


def test_a_record_dated_beyond_the_range_is_reported_and_the_rest_searchable(
        site: tuple[Cli, Path]) -> None:
    demo, _ = site
    record = demo.store.root / INITECH
    record.write_text(re.sub(r"^date: .*$", "date: 9999-12-31T23:59:59-12:00",
                             record.read_text(), count=1, flags=re.MULTILINE))
    assert demo("search", "printer", "--paths").stdout.strip()
    assert "not between the years" in demo("check", code=32).output
    with (demo.store.root / "ilog.toml").open("a") as handle:
        handle.write('\n[retention]\ndefault = "99999999999y"\n')
    assert "longer than a thousand years" in demo("purge", code=23).output


@pytest.mark.parametrize("key", ["seal", "id", "client", "date", "author", "amends",
                                 "next_steps", "type"])
def test_set_cannot_forge_ilogs_own_fields(site: tuple[Cli, Path], key: str) -> None:
    demo, _ = site
    result = demo("new", "acme", "--no-edit", "-p", "x", "--set", f"{key}=forged",
                  code=UsageError.exit_code)
    assert f"--set {key}=...:" in result.output
    assert "forged" not in "".join(p.read_text() for p in demo.store.root.rglob("*.md"))


def test_a_program_cannot_pass_ilogs_own_fields_as_free_ones(site: tuple[Cli, Path]) -> None:
    from ilog.model import OWN_KEYS
    from ilog.ops.capture import Interaction, new_record

    demo, _ = site
    for key in OWN_KEYS:
        with pytest.raises(ValidationError, match="one of ilog's own fields"):
            new_record(demo.store, Interaction(client="acme", participants=["x"],
                                               fields={key: "forged"}))


def test_stale_temp_files_are_swept_wherever_ilog_writes(site: tuple[Cli, Path]) -> None:
    import time

    demo, _ = site
    old = time.time() - 7200
    stale = []
    for folder in ("clients/acme-corp/steps", "clients/initech/holds", "tombstones/2026",
                   "clients/acme-corp/2026"):
        (demo.store.root / folder).mkdir(parents=True, exist_ok=True)
        path = demo.store.root / folder / ".killed.yaml.0000dead.tmp"
        path.write_text("half")
        os.utime(path, (old, old))
        stale.append(path)
    demo("done", "f1cj")
    demo("hold", "sea0fjvp", "--reason", "matter 7")
    demo("new", "acme", "--no-edit", "-p", "x", "-t", "note")
    demo("erase", "globex", "--reason", "request 12", "--yes")  # tombstones
    assert [p for p in stale if p.exists()] == []


def test_temp_files_are_never_staged(tmp_path: Path) -> None:
    from conftest import git, runner

    root = tmp_path / "store"
    assert runner.invoke(["init", str(root)]).exit_code == 0
    (root / "clients" / ".x.md.0abc.tmp").write_text("a write in progress")
    git(root, "add", "-A")
    assert ".tmp" not in git(root, "status", "--porcelain")


def test_what_git_does_not_share_is_owner_only_whatever_the_umask(
        site: tuple[Cli, Path], tmp_path: Path) -> None:
    import stat
    import subprocess
    import sys

    demo, _ = site
    base = [sys.executable, "-m", "ilog", "--store", str(demo.store.root)]
    for args in (["search", "invoice"], ["new", "acme", "--no-edit", "-p", "x", "-t", "note"],
                 ["export", "audit", "acme", "--out", str(tmp_path / "pack")]):
        subprocess.run(base + args, check=True, capture_output=True,
                       preexec_fn=lambda: os.umask(0))  # the widest umask there is
    derived = demo.store.root / ".ilog"
    assert stat.S_IMODE(derived.stat().st_mode) == 0o700
    meta = derived / "meta"
    assert stat.S_IMODE(meta.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in meta.iterdir()} == {0o600}
    pack = tmp_path / "pack"
    assert {stat.S_IMODE(p.stat().st_mode) for p in pack.rglob("*") if p.is_file()} == {0o600}
    assert {stat.S_IMODE(p.stat().st_mode) for p in [pack, *pack.rglob("*")]
            if p.is_dir()} == {0o700}
    record = next((demo.store.root / "clients/acme-corp").rglob("*-note-*.md"))
    assert stat.S_IMODE(record.stat().st_mode) == 0o644  # shared by git: umask, never o+w


HOSTILE = "Renewal \x1b[2J\x1b]0;pwned\x07 \u202egnp.exe \x9b31m done"


def hostile_record(demo: Cli) -> Path:
    """The quarterly review with a title and a decision that would clear the screen, set the
    window title, reverse a line and recolour text if printed raw."""
    record = demo.store.root / QUARTERLY
    text = record.read_text().replace("title: Quarterly review",
                                      'title: "Renewal \\e[2J\\e]0;pwned\\a \\u202egnp.exe '
                                      '\\x9b31m done"')
    record.write_text(re.sub(r"^seal: .*\n", "", text, flags=re.MULTILINE))
    return record


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("args", [["show", "36xjj334"], ["history", "acme", "--full"],
                                  ["history", "acme", "--markdown"], ["search", "Renewal"],
                                  ["actions", "--all"], ["check"], ["verify"]])
def test_text_from_a_record_never_reaches_the_terminal_raw(site: tuple[Cli, Path],
                                                           args: list[str]) -> None:
    demo, _ = site
    hostile_record(demo)
    result = demo(*args, code=None)
    assert not UNSAFE.search(result.stdout + result.stderr), args
    if args[0] in ("show", "history") and "--markdown" not in args:
        assert "\\x1b[2J" in result.stdout and "\\u202egnp.exe" in result.stdout


def test_on_a_real_terminal_too(site: tuple[Cli, Path]) -> None:
    from test_history import run_on_terminal

    demo, _ = site
    hostile_record(demo)
    for args in (["show", "36xjj334"], ["history", "acme"], ["search", "Renewal"]):
        screen = run_on_terminal(demo.store.root, *args, env={"PAGER": "cat"})
        without_styles = re.sub(r"\x1b\[[0-9;]*m", "", screen)  # rich's own colours
        assert "\x1b[2J" not in screen and "\u202e" not in screen and "pwned\x07" not in screen
        assert "\\x1b[2J" in without_styles, args


def test_json_keeps_the_text_exactly_but_escaped(site: tuple[Cli, Path]) -> None:
    import json

    demo, _ = site
    hostile_record(demo)
    out = demo("show", "36xjj334", "--json").stdout
    assert not UNSAFE.search(out)
    assert json.loads(out)["title"] == HOSTILE


def test_raw_is_exact_into_a_file_only(site: tuple[Cli, Path]) -> None:
    demo, _ = site
    record = hostile_record(demo)
    assert demo("show", "36xjj334", "--raw").stdout == record.read_text()  # piped: exact


def test_an_unreadable_hold_file_counts_as_a_hold(site: tuple[Cli, Path]) -> None:
    import json

    demo, _ = site
    record_id = re.search(r"^id: (\S+)$", (demo.store.root / INITECH).read_text(),
                          re.MULTILINE)[1]  # type: ignore[index]
    holds = demo.store.root / "clients/initech/holds"
    holds.mkdir()
    (holds / f"20261101T000000000000Z-{record_id}-hold-ab12.yaml").write_bytes(
        b"record: \xff\xfe not utf-8\n")
    with (demo.store.root / "ilog.toml").open("a") as handle:
        handle.write('\n[retention]\ndefault = "1d"\n')
    plan = json.loads(demo("purge", "--json").stdout)
    expired = [r["id"] for item in plan["expired"] for r in item["records"]]
    assert record_id not in expired
    assert record_id in [r["id"] for item in plan["held"] for r in item["records"]]
    demo("hold", "sea0fjvp", code=35)  # held already: the unreadable file says so


def test_a_template_that_is_not_utf8_is_named(site: tuple[Cli, Path]) -> None:
    demo, _ = site
    (demo.store.root / "templates").mkdir()
    (demo.store.root / "templates/visit.md").write_bytes(b"---\nrequired: [\xff]\n---\n")
    for args in (["templates"], ["check"], ["new", "acme", "--no-edit", "-p", "x"]):
        result = demo(*args, code=FormatError.exit_code)
        assert "templates/visit.md" in result.output and "UTF-8" in result.output


def test_a_line_break_in_a_file_name_breaks_nothing(site: tuple[Cli, Path]) -> None:
    demo, _ = site
    record = demo.store.root / QUARTERLY
    odd = record.with_name("2026-11-22-quarterly\nreview-36xjj334.md")
    record.rename(odd)
    assert demo("search", "invoice", "--paths").stdout.count("\n") == 2
    demo("actions")
    demo("history", "acme")
    assert "holds a control character" in demo("check", code=32).output


def test_a_full_disk_or_a_file_size_limit_is_one_clear_error(site: tuple[Cli, Path]) -> None:
    import resource
    import subprocess
    import sys

    demo, _ = site
    base = [sys.executable, "-m", "ilog", "--store", str(demo.store.root)]

    def small_files() -> None:  # EFBIG: RLIMIT_FSIZE needs no privileges
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    for args in (["reindex"], ["search", "invoice"]):
        done = subprocess.run(base + args, preexec_fn=small_files, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 34 and "File too large" in done.stderr
        assert "Traceback" not in done.stderr
        assert not list((demo.store.root / ".ilog").glob("index.new-*"))
    healed = subprocess.run(base + ["search", "invoice", "--paths"], capture_output=True,
                            text=True, check=True)
    assert healed.stdout.count("\n") == 2
    with open("/dev/full", "w") as full:
        done = subprocess.run(base + ["new", "acme", "--no-edit", "-p", "x", "-t", "note"],
                              stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == StoreError.exit_code
    assert "cannot write the output: No space left on device" in done.stderr
    assert "was written to clients/acme-corp/" in done.stderr


def test_every_own_field_has_its_advice() -> None:
    from ilog.cli.capture import OWN_FIELDS
    from ilog.model import OWN_KEYS

    assert set(OWN_FIELDS) == set(OWN_KEYS)


@pytest.mark.parametrize("where", [f"{QUARTERLY[:-3]}-fifo.md", "clients/acme-corp/client.yaml",
                                   "clients/acme-corp/steps/x.yaml", "ilog.toml"])
def test_a_fifo_in_the_store_is_reported_never_waited_on(site: tuple[Cli, Path],
                                                         where: str) -> None:
    """A FIFO (or a device) where ilog reads a file would block it for ever: it is named."""
    demo, _ = site
    path = demo.store.root / where
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = demo("check", code=None)
    assert "is not a regular file" in result.output and where.split("/")[-1] in result.output
    assert result.exit_code in (FormatError.exit_code, 32)
    for args in (["history", "acme"], ["actions"], ["search", "invoice"]):
        assert demo(*args, code=None).exit_code in (0, 23, 36)


def test_a_lock_file_planted_as_a_link_is_refused(demo: Cli, tmp_path: Path) -> None:
    """The derived data's lock is opened without following links (portable.exclusive)."""
    demo("search", "renew")
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    lock = demo.store.root / ".ilog/index.lock"
    lock.unlink()
    lock.symlink_to(target)
    out = demo("search", "renew", code=21).output
    assert "cannot take the lock" in out and target.read_text() == "keep"

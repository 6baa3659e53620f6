"""Hostile input, as a table: each case plants something in a copy of the demo store (or
passes it on the command line) and runs one command. Every case must end with a documented
exit code (never 1, never a traceback), an error of one line that names the file, field,
line or argument concerned, no write outside the store, and within 5 seconds.

docs/reliability.md counts the cases by family; ``python -m pytest tests/test_hostile.py``
runs them all.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import DEMO, runner

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
PLANTED = "clients/acme-corp/2026/2026-11-23-hostile-h0st11e0.md"
PROFILE = "clients/acme-corp/client.yaml"
EVENTS = "clients/acme-corp/steps"
TIME_LIMIT = 5
#: The exit codes docs/exit-codes.md documents (1, an internal error, is never acceptable).
DOCUMENTED = {int(code) for code in re.findall(
    r"^\| (\d+) \|", (Path(__file__).parents[1] / "docs/exit-codes.md").read_text(), re.MULTILINE)}
#: Commands that list problems (on stdout, then one summary line on stderr).
LISTING = {32, 36, 38}
Plant = Callable[[Path], object]


@dataclass(frozen=True)
class Case:
    family: str
    name: str
    args: tuple[str, ...]
    codes: tuple[int, ...]
    plant: Plant | None = None
    #: Text the output must hold: the path, field, line or argument named.
    names: str = ""
    stdin: str | None = None


# -- what the cases plant --------------------------------------------------------------------

def put(relative: str, data: str | bytes) -> Plant:
    def plant(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return plant


def record(front: str, body: str = "Body.\n", *, name: str = PLANTED) -> Plant:
    """A record of acme-corp whose front matter is ``front`` (YAML lines)."""
    return put(name, f"---\n{front}---\n\n{body}")


def fields(**changes: str) -> str:
    """A valid unsealed note's front matter, with some fields replaced (or added)."""
    values = {"id": "h0st11e0aaaaaaaaaaaa", "client": "acme-corp", "type": "note",
              "date": "2026-11-23T10:00:00+01:00", "title": "Hostile",
              "participants": "\n- Jane Doe", **changes}
    return "".join(f"{key}: {value}\n" for key, value in values.items())


def quarterly(old: str, new: str) -> Plant:
    """The quarterly review (unsealed) with ``old`` replaced by ``new``."""
    def plant(root: Path) -> None:
        path = root / QUARTERLY
        text = re.sub(r"^seal: .*\n", "", path.read_text(), flags=re.MULTILINE)
        assert old in text, old
        path.write_text(text.replace(old, new))
    return plant


def encoded(transform: Callable[[str], bytes]) -> Plant:
    """The quarterly review's bytes as ``transform`` makes them from its (unsealed) text."""
    def plant(root: Path) -> None:
        path = root / QUARTERLY
        unsealed = re.sub(r"^seal: .*\n", "", path.read_text(), flags=re.MULTILINE)
        path.write_bytes(transform(unsealed))
    return plant


def special(relative: str, make: Callable[[Path], object]) -> Plant:
    """``relative`` replaced by what ``make`` creates there (a link, a FIFO, a folder...)."""
    def plant(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        make(path)
    return plant


def link(relative: str, target: str) -> Plant:
    """``relative`` becomes a link to ``target`` (absolute, or relative to the site: the
    store's parent folder)."""
    depth = len(Path(relative).parts)
    return special(relative, lambda path: path.symlink_to(
        target if target.startswith("/") else path.parents[depth] / target))


def fifo(relative: str) -> Plant:
    return special(relative, os.mkfifo)


def folder(relative: str) -> Plant:
    return special(relative, lambda p: p.mkdir())


def plain_file(relative: str) -> Plant:
    return special(relative, lambda p: p.write_text("not a folder\n"))


def both(*plants: Plant) -> Plant:
    def plant(root: Path) -> None:
        for each in plants:
            each(root)
    return plant


def nested(depth: int, opening: str, closing: str, inner: str = "x") -> str:
    return opening * depth + inner + closing * depth


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9))
ESC = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J"
BIDI = "\u202eevil\u202c"
OUTSIDE = "elsewhere/keep.md"
NEW = ("new", "acme", "--no-edit", "-t", "note", "-p", "Jane Doe")
CHECK = ("check",)


def cases() -> Iterator[Case]:
    # -- paths given on the command line ----------------------------------------------------
    family = "paths in arguments"
    for command in (("show",), ("edit",), ("amend", "--reason", "r", "--stdin"),
                    ("hold", "--reason", "r")):
        for given, label in ((f"../{OUTSIDE}", "relative"), ("ABS", "absolute"),
                             (f"clients/acme-corp/2026/../../../../{OUTSIDE}", "dotted")):
            yield Case(family, f"{command[0]} {label} path outside", (*command[:1], given,
                       *command[1:]), (27,), names="keep.md", stdin="---\n---\n")
    yield Case(family, "show a store file that is no record", ("show", PROFILE), (27,),
               names="client.yaml")
    for name in ("../../elsewhere", "/tmp/x", "acme/../../x", "..", ".", "a\\b", "con"):
        yield Case(family, f"new client {name!r}", ("new", name, "--new-client", "--no-edit",
                   "-t", "note", "-p", "x"), (26,))
    yield Case(family, "new client with a 300-character name", ("new", "x" * 300, "--new-client",
               "--no-edit", "-t", "note", "-p", "x"), (0,), names="x" * 64 + "/")
    yield Case(family, "history of a path", ("history", "../.."), (26,), names="../..")
    yield Case(family, "erase a path", ("erase", "../elsewhere", "--reason", "r", "--yes"), (26,),
               names="../elsewhere")
    yield Case(family, "type that is a path", (*NEW[:3], "-t", "../../elsewhere/keep"), (27,),
               names="../../elsewhere/keep")
    yield Case(family, "step id that is a path", ("done", "../x"), (27,), names="../x")
    yield Case(family, "store that is no store", ("--store", "../elsewhere", "check"), (21,),
               names="elsewhere")

    # -- paths in fields read from files ----------------------------------------------------
    family = "paths in fields"
    for key, value in (("client", "../../elsewhere/x"), ("client", "/etc"),
                       ("id", "../../../elsewhere/x"), ("type", "../../templates/x")):
        yield Case(family, f"{key}: {value}", CHECK, (32,), record(fields(**{key: value})),
                   names=key)
    yield Case(family, "a step id that is a path", CHECK, (32,), record(
        fields(next_steps="\n- id: ../../x\n  text: t\n  owner: bob\n  due: 2026-12-01")),
        names="next_steps")
    yield Case(family, "an event naming a path", ("actions", "--all"), (0, 36), put(
        f"{EVENTS}/2026-11-23-x-done-aaaa.yaml", "step: ../../x\nrecord: ../y\nevent: done\n"
        "at: 2026-11-23\nrecorded: 2026-11-23T10:00:00Z\n"))
    yield Case(family, "a hold naming a path", ("purge", "--yes"), (0,), put(
        "clients/acme-corp/holds/x.yaml", "record: ../../elsewhere/keep\nevent: hold\n"))
    yield Case(family, "a tombstone naming a path", ("verify",), (0, 38, 39), put(
        "tombstones/aaaaaaaaaaaaaaaaaaaa.yaml", "record: ../../elsewhere/keep.md\n"))

    # -- links, FIFOs, folders where files are expected -------------------------------------
    family = "links and special files"
    for args in (CHECK, ("history", "acme"), ("search", "Jane", "--paths")):
        yield Case(family, f"{args[0]}: a record linked to a file outside", args, (0, 32, 36),
                   link(PLANTED, f"/{OUTSIDE}"), names="" if args[0] == "search" else "link")
    yield Case(family, "a record linked to /dev/zero", CHECK, (32,), link(PLANTED, "/dev/zero"),
               names="link")
    yield Case(family, "a client folder linked outside: new", NEW, (26,),
               link("clients/acme-corp", "elsewhere"), names="acme")
    yield Case(family, "a client folder linked outside: new --new-client",
               ("new", "zeta", "--new-client", *NEW[2:]), (21,),
               link("clients/zeta", "elsewhere"), names="link")
    for where in (PLANTED, PROFILE, f"{EVENTS}/x.yaml", "ilog.toml"):
        yield Case(family, f"a FIFO as {where.rsplit('/', 1)[-1]}", CHECK, (23, 32), fifo(where),
                   names="not a regular file")
    yield Case(family, "a FIFO profile: history", ("history", "acme"), (36,), fifo(PROFILE),
               names="client.yaml")
    yield Case(family, "a folder as ilog.toml", CHECK, (23,), folder("ilog.toml"),
               names="ilog.toml")
    yield Case(family, "a folder as a record", CHECK, (0,), folder(PLANTED))
    yield Case(family, "a folder as client.yaml", ("history", "acme"), (0, 36), folder(PROFILE))
    yield Case(family, "a file as steps/", ("done", "f1cj"), (21, 22), plain_file(EVENTS),
               names="steps")
    yield Case(family, "a file as a year folder", CHECK, (0,), plain_file("clients/acme-corp/2025"))
    yield Case(family, "a file as clients/", CHECK, (0, 21), plain_file("clients"))
    yield Case(family, "a file as .ilog", ("search", "x"), (34,), plain_file(".ilog"),
               names=".ilog")
    yield Case(family, "a file as tombstones/", ("verify",), (21,), plain_file("tombstones"),
               names="tombstones")
    yield Case(family, "clients/ linked outside", ("history", "acme"), (21,),
               link("clients", "elsewhere"), names="is a link")
    yield Case(family, "a linked templates folder", ("templates",), (0, 21, 23),
               link("templates", "elsewhere"))

    # -- YAML -------------------------------------------------------------------------------
    family = "YAML"
    for name, front in (
        ("alias bomb", BOMB),
        ("python tag", "!!python/object/apply:os.system ['touch /tmp/ilog-pwned']\n"),
        ("binary tag", fields(title="!!binary aGVsbG8=")),
        ("custom tag", fields(title="!evil x")),
        ("duplicate key", fields() + "title: Again\n"),
        ("merge key", fields() + "base: &b {x: 1}\nother:\n  <<: *b\n"),
        ("deep lists", fields(title=nested(5000, "[", "]"))),
        ("deep mappings", fields(title=nested(5000, "{a: ", "}"))),
        ("huge front matter", fields() + "".join(f"k{i}: {'v' * 100}\n" for i in range(60_000))),
        ("huge scalar", fields(title="x" * 3_000_000)),

        ("date as a number", fields(date="20261122")),
        ("a list, not a mapping", "- a\n- b\n"),

        ("tab indentation", fields(participants="\n\t- Jane")),
        ("empty", ""),
        ("participants as a mapping", fields(participants="{a: b}")),
        ("next_steps as text", fields(next_steps="call them")),
        ("id as a number", fields(id="12345678901234567890")),
        ("key not text", fields() + "? [a, b]\n: c\n"),
        ("null key", fields() + "~: x\n"),
        ("very long key", fields() + "k" * 200_000 + ": x\n"),

    ):
        yield Case(family, name, CHECK, (32,), record(front), names=PLANTED.rsplit("/", 1)[-1])
    for name, front in (("YAML 1.1 boolean title", fields(title="no")),
                        ("a second document marker", fields() + "---\nmore: x\n"),
                        ("an anchor no alias uses", fields(title="&t Hostile"))):
        yield Case(family, name, CHECK, (0,), record(front))  # plain text, body, harmless
    yield Case(family, "front matter never closed", CHECK, (32,),
               put(PLANTED, "---\n" + fields()), names="front matter")
    yield Case(family, "no front matter", CHECK, (32,), put(PLANTED, "Just text.\n"),
               names="front matter")
    yield Case(family, "invalid ilog.toml", CHECK, (23,), put("ilog.toml", "[store\n"),
               names="ilog.toml")
    yield Case(family, "deeply nested ilog.toml", CHECK, (23,),
               put("ilog.toml", "x = " + nested(50_000, "[", "]", "1") + "\n"), names="ilog.toml")
    yield Case(family, "ilog.toml [store] not a table", CHECK, (23,),
               put("ilog.toml", 'store = "x"\n'), names="store")
    yield Case(family, "alias bomb in a template", ("templates",), (0, 23),
               put("templates/note.md", "---\n" + BOMB + "---\n"), names="note")
    yield Case(family, "alias bomb in a profile", ("history", "acme"), (36,),
               put(PROFILE, BOMB), names="client.yaml")
    yield Case(family, "garbage event file", ("actions",), (0, 36),
               put(f"{EVENTS}/x.yaml", "{[}: \x00"))
    yield Case(family, "tags in a hold file", ("purge", "--yes"), (0,),
               put("clients/acme-corp/holds/x.yaml", "!!python/name:os.system x\n"))
    yield Case(family, "alias bomb in a tombstone", ("verify",), (0, 38, 39),
               put("tombstones/aaaaaaaaaaaaaaaaaaaa.yaml", BOMB))

    # -- encodings --------------------------------------------------------------------------
    family = "encodings"
    for name, transform in (
        ("Latin-1", lambda t: t.replace("Renew", "Renéw").encode("latin-1")),
        ("UTF-16 LE with BOM", lambda t: t.encode("utf-16")),
        ("UTF-16 BE", lambda t: t.encode("utf-16-be")),
        ("NUL in the body", lambda t: (t + "\x00tail\n").encode()),
        ("NUL in the front matter", lambda t: t.replace("Quarterly", "Quar\x00terly").encode()),
        ("lone surrogate", lambda t: t.encode().replace(b"Quarterly", b"Quar\xed\xa0\x80terly")),
        ("overlong encoding", lambda t: t.encode().replace(b"Quarterly", b"Quar\xc0\xafterly")),
        ("cut multi-byte", lambda t: t.encode() + b"\xe2\x82"),
    ):
        yield Case(family, name, CHECK, (32,), encoded(transform), names="36xjj334")
    for name, transform in (
        ("UTF-8 with BOM", lambda t: b"\xef\xbb\xbf" + t.encode()),
        ("NEL in the title", lambda t: t.replace("Quarterly", "Quar\x85terly").encode()),
        ("U+2028 in the title", lambda t: t.replace("Quarterly", "Quar\u2028terly").encode()),
        ("U+2029 in the body", lambda t: (t + "a\u2029b\n").encode()),
    ):
        yield Case(family, name, CHECK, (0, 32), encoded(transform))
    yield Case(family, "undecodable argument", (*NEW, "-m", "caf\udce9"), (0, 2, 20))
    yield Case(family, "non-UTF-8 ilog.toml", CHECK, (23,),
               put("ilog.toml", b'[store]\nname = "caf\xe9"\n'), names="ilog.toml")
    yield Case(family, "non-UTF-8 profile", ("history", "acme"), (36,),
               put(PROFILE, b"name: Acme \xff\n"), names="client.yaml")
    yield Case(family, "UTF-16 template", ("templates",), (0, 23),
               put("templates/note.md", "---\nrequired: [date]\n---\n".encode("utf-16")),
               names="note")
    yield Case(family, "BOM in ilog.toml", CHECK, (0, 23),
               put("ilog.toml", b'\xef\xbb\xbf[store]\nname = "x"\n'))

    # -- line endings -----------------------------------------------------------------------
    family = "line endings"
    for name, transform in (
        ("CRLF", lambda t: t.replace("\n", "\r\n").encode()),
        ("CR only", lambda t: t.replace("\n", "\r").encode()),
        ("mixed", lambda t: t.replace("\n", "\r\n", 5).encode()),
        ("no final line break", lambda t: t.rstrip("\n").encode()),
        ("CRLF delimiters only", lambda t: t.replace("---\n", "---\r\n").encode()),
    ):
        yield Case(family, name, CHECK, (0, 32), encoded(transform))
    yield Case(family, "CRLF through stdin", (*NEW, "--stdin"), (0,),
               stdin="Notes\r\nover two lines\r\n")

    # -- dates ------------------------------------------------------------------------------
    family = "dates"
    for name, value in (("30 February", "2026-02-30"), ("year 1", "0001-01-01T00:00:00Z"),
                        ("year 9999", "9999-12-31T23:59:59-12:00"),
                        ("offset +25:00", "2026-11-23T10:00:00+25:00"),
                        ("leap second", "2026-12-31T23:59:60Z"), ("year 1899", "1899-12-31"),
                        ("a number", "1700000000"), ("empty", "''")):
        yield Case(family, f"date: {name}", CHECK, (32,), record(fields(date=value)),
                   names="date")
    yield Case(family, "due 29 February 2026", CHECK, (32,), record(fields(
        next_steps="\n- id: aaaabbbbcccc\n  text: t\n  owner: bob\n  due: 2026-02-29")),
        names="day is out of range")
    for name, args in (
        ("--date month 13", (*NEW, "--date", "2026-13-01")),
        ("--date in 10000 years", (*NEW, "--date", "in 10000 years")),
        ("--date year 0", (*NEW, "--date", "0000-01-01")),
        ("--next due in 99999999999 days", (*NEW, "--next", "x @bob due:in 99999999999 days")),
        ("--since in the year 99999", ("history", "acme", "--since", "99999-01-01")),
        ("search since year 0", ("search", "x", "--since", "0000-01-01")),
        ("done on a date 10000 years ago", ("done", "f1cj", "--date", "10000 years ago")),
    ):
        yield Case(family, name, args, (2, 25), names="date" if "date" in name else "")
    yield Case(family, "a date query beyond the range", ("search", "date:>99999"), (0, 25, 33))
    yield Case(family, "retention of 99999999999 years", ("purge",), (23, 25),
               put("ilog.toml", '[retention]\ndefault = "99999999999y"\n'), names="retention")

    # -- names --------------------------------------------------------------------------------
    family = "names"
    for name, folder_name in (("case twin", "Acme-Corp"), ("normalization twin", "cafe\u0301"),
                              ("trailing dot", "acme."), ("Windows-reserved", "nul"),
                              ("over-long", "a" * 200)):
        yield Case(family, f"a client folder named {name}", CHECK, (32,),
                   put(f"clients/{folder_name}/client.yaml", "name: Twin\n"),
                   names=folder_name[:20])
    yield Case(family, "a record named with a colon and backslash", CHECK, (0, 32),
               put("clients/acme-corp/2026/2026-11-23-a:b\\c-h0st11e0.md", "---\n" + fields()
                   + "---\n"))
    yield Case(family, "an over-long record name", CHECK, (0, 32),
               put(f"clients/acme-corp/2026/2026-11-23-{'x' * 200}-h0st11e0.md",
                   "---\n" + fields() + "---\n"))
    yield Case(family, "two records with one id", CHECK, (32,), both(
        record(fields()), record(fields(), name=PLANTED.replace("hostile", "twin"))),
        names="h0st11e0")
    yield Case(family, "a file name whose id is not the record's", CHECK, (32,),
               record(fields(id="zzzzzzzzaaaaaaaaaaaa")), names="h0st11e0")
    yield Case(family, "a 10,000-character title", (*NEW, "--title", "t" * 10_000), (0,))
    yield Case(family, "a client named with emoji only", ("new", "\U0001F600", "--new-client",
               "--no-edit", "-t", "note", "-p", "x"), (0, 26))  # anyascii: "grinning"

    # -- escape sequences -------------------------------------------------------------------
    family = "escape sequences"
    yield Case(family, "OSC 52 in a title: show", ("show", "36xjj334"), (0,),
               quarterly("title: Quarterly review", 'title: "Quarterly \\e]52;c;eA==\\a review"'),
               names="\\x1b]52")
    yield Case(family, "a raw escape in the front matter", CHECK, (32,),
               quarterly("Quarterly review", f"Quarterly {ESC}review"), names=":2:")
    yield Case(family, "escapes in a client argument", ("history", f"acme{ESC}"), (26,),
               names="\\x1b")
    yield Case(family, "escapes in a file name: check", CHECK, (32,),
               put(f"clients/acme-corp/2026/2026-11-23-{ESC}-h0st11e0.md", "x"), names="\\x1b")
    yield Case(family, "bidi override in a participant: history", ("history", "acme"), (0,),
               quarterly("Jane Doe", f"Jane {BIDI} Doe"), names="\\u202e")
    yield Case(family, "escapes in the store's name: where", ("where",), (0,),
               put("ilog.toml", f'[store]\nname = "{ESC}"\n'.replace("\x1b", "\\u001b")
                   .replace("\x07", "\\u0007")))
    yield Case(family, "escapes in a profile's name: clients", ("clients",), (0,),
               put(PROFILE, 'name: "Acme\\e[31m red"\n'), names="\\x1b")
    yield Case(family, "escapes in an error about a field", CHECK, (32,),
               record(fields(type='"x\\e[2J"')), names="\\x1b")

    # -- huge input -------------------------------------------------------------------------
    family = "huge input"
    yield Case(family, "a 1 MB query", ("search", "invoice " * 130_000), (0, 33))
    yield Case(family, "10,000 alternatives", ("search", " OR ".join(["x"] * 10_000)), (0, 33))
    yield Case(family, "5,000 nested parentheses", ("search", nested(5000, "(", ")")), (0, 33))
    yield Case(family, "a wildcard maze", ("search", "*a*" * 300), (0, 33))
    yield Case(family, "a fuzzy word with 9 edits (the query fuzzer's find)",
               ("search", "efef?pta.atianeciraft:aneciraf~9"), (33,), names="~9")
    yield Case(family, "a fuzzy word with 6 edits", ("search", "invoice~6 tag:billing"), (33,),
               names="~6")
    yield Case(family, "a 20 MB record body: search", ("search", "needle", "--paths"), (0,),
               record(fields(), "needle\n" + "word " * 4_000_000))
    yield Case(family, "a 200,000-line body: check", CHECK, (0,),
               record(fields(), "line\n" * 200_000))
    yield Case(family, "a 10 MB record on stdin", (*NEW, "--stdin"), (0,),
               stdin="word " * 2_000_000)
    yield Case(family, "100,000 participants on the command line",
               ("new", "acme", "--no-edit", "-t", "note", *["-p", "x"] * 20_000), (0,))


CASES = list(cases())


def outside(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site outside the store: (size, mtime) by path."""
    found = {}
    for path in site.rglob("*"):
        if "store" not in path.relative_to(site).parts[:1]:
            info = path.lstat()
            found[str(path.relative_to(site))] = (info.st_size, info.st_mtime_ns)
    return found


class TooSlow(BaseException):
    """Raised by the alarm when a case takes longer than TIME_LIMIT."""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(DEMO, site / "store", ignore=shutil.ignore_patterns(".ilog"))
    (site / "elsewhere").mkdir()
    shutil.copy(site / "store" / QUARTERLY, site / OUTSIDE)
    return site


def test_there_are_at_least_a_hundred_cases() -> None:
    assert len(CASES) >= 100 and len({(c.family, c.name) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.family}: {c.name}" for c in CASES])
def test_hostile_input(site: Path, case: Case) -> None:
    root = site / "store"
    if case.plant is not None:
        case.plant(root)
    before = outside(site)
    args = [str(site / OUTSIDE) if a == "ABS" else a for a in case.args]
    cwd = os.getcwd()

    def too_slow(*_: object) -> None:
        raise TooSlow(f"over {TIME_LIMIT} s")

    signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(TIME_LIMIT)
    try:
        os.chdir(root)
        result = runner.invoke(["--store", str(root), *args], input=case.stdin)
    finally:
        signal.alarm(0)
        os.chdir(cwd)
    shown = result.stdout + result.stderr
    assert result.exit_code in DOCUMENTED and result.exit_code != 1, (result.exit_code, shown)
    assert result.exit_code in case.codes, (result.exit_code, shown[-2000:])
    assert "Traceback" not in shown
    if result.exit_code not in (0, *LISTING):
        assert result.stderr.startswith("ilog: ") and result.stderr.count("\n") == 1, \
            result.stderr
    assert case.names in shown, shown[-2000:]
    assert "\x1b" not in shown and "\u202e" not in shown
    assert outside(site) == before
    assert not Path("/tmp/ilog-pwned").exists()

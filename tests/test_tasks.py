"""Next steps as iCalendar tasks both ways (issue 14, items 3 and 4): ilog export tasks and
ilog import tasks, read by icalendar and vobject, and a round trip through the real todoman."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import Cli
from ilog.errors import UsageError

SOW = "qanpzjzjw5b2"  # acme-corp, "Send the revised SOW", bob, due 2026-11-27
TODO = shutil.which("todo") or str(Path(sys.executable).with_name("todo"))
HAS_TODOMAN = Path(TODO).is_file()


def open_ids(cli: Cli, *args: str) -> set[str]:
    return {a["id"] for a in json.loads(cli("actions", *args, "--json").stdout)}


def export(cli: Cli, out: Path, *args: str) -> dict:
    return dict(json.loads(cli("export", "tasks", "--out", str(out), *args, "--json").stdout))


def todo_of(path: Path) -> icalendar.Todo:
    [todo] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VTODO")
    return todo


def calendar_of(todo: icalendar.Todo) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//someone else//EN")
    cal.add("version", "2.0")
    cal.add_component(todo)
    return bytes(cal.to_ical())


def edit(path: Path, **changes: object) -> None:
    """Change a task's file as a task app would (status, due, completed)."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    [todo] = cal.walk("VTODO")
    for key, value in changes.items():
        todo.pop(key, None)
        todo.add(key, value)
    path.write_bytes(cal.to_ical())


def test_a_vdir_holds_one_task_per_open_step_read_by_two_parsers(demo: Cli,
                                                                   tmp_path: Path) -> None:
    import vobject

    out = tmp_path / "tasks"
    done = export(demo, out)
    files = sorted(out.iterdir())
    assert len(files) == len(done["written"]) == len(open_ids(demo))
    assert {f.name for f in files} == {f"ilog-{i}.ics" for i in open_ids(demo)}
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # client names: owner-only
        todo = todo_of(path)
        other = vobject.readOne(path.read_text()).vtodo
        assert str(todo["uid"]) == other.uid.value == f"{path.name[5:-4]}@ilog"
        assert str(todo["summary"]) == other.summary.value
        assert str(todo["status"]) == "NEEDS-ACTION"
        assert "ilog show " in str(todo["description"])
    sow = todo_of(out / f"ilog-{SOW}.ics")
    assert str(sow["summary"]) == "Send the revised SOW (Acme Corp)"
    assert sow["due"].dt.isoformat() == "2026-11-27"
    assert [str(c) for c in sow["categories"].cats] == ["renewal"]
    [alarm] = sow.walk("VALARM")
    assert alarm["trigger"].to_ical() == b"-P1D" and alarm["trigger"].params["RELATED"] == "END"
    assert "Quarterly review (call, 2026-11-22)" in str(sow["description"])


def test_reexporting_updates_in_place_and_removes_what_is_gone(demo: Cli,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "tasks"
    export(demo, out, "--owner", "bob")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = export(demo, out, "--owner", "bob")
    assert again["written"] == [] and again["unchanged"] == len(before)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    demo("step", "qanp", "--due", "2026-12-14")
    demo("done", "f1cj")
    moved = export(demo, out, "--owner", "bob")
    assert moved["written"] == [f"ilog-{SOW}.ics"]
    assert moved["removed"] == ["ilog-f1cj35hdv77r.ics"]
    sow = todo_of(out / f"ilog-{SOW}.ics")
    assert (sow["due"].dt.isoformat(), int(sow["sequence"])) == ("2026-12-14", 1)
    assert sow["last-modified"].dt >= sow["dtstamp"].dt
    every = export(demo, out, "--owner", "bob", "--all")
    assert "ilog-f1cj35hdv77r.ics" in every["written"]
    done = todo_of(out / "ilog-f1cj35hdv77r.ics")
    assert str(done["status"]) == "COMPLETED" and done["completed"].dt.tzinfo is not None
    assert not done.walk("VALARM")
    demo("step", "qanp", "--owner", "carol")
    assert f"ilog-{SOW}.ics" in export(demo, out, "--owner", "bob")["removed"]


def test_one_ics_file_holds_every_task_once(demo: Cli, tmp_path: Path) -> None:
    import vobject

    out = tmp_path / "acme.ics"
    export(demo, out, "--client", "acme", "--remind", "none")
    export(demo, out, "--client", "acme", "--remind", "none")
    uids = [str(t["uid"]) for t in icalendar.Calendar.from_ical(out.read_bytes()).walk("VTODO")]
    assert sorted(uids) == sorted(f"{i}@ilog" for i in open_ids(demo, "--client", "acme"))
    assert len(vobject.readOne(out.read_text()).vtodo_list) == len(uids)
    assert b"VALARM" not in out.read_bytes()
    assert all(int(t["sequence"]) == 0
               for t in icalendar.Calendar.from_ical(out.read_bytes()).walk("VTODO"))
    result = demo("export", "tasks", "--out", str(out), "--remind", "soon",
                  code=UsageError.exit_code)
    assert "30m, 2h, 7d or 2w (or none)" in result.output
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "ilog" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('remind = "2h"\n')
    export(demo, tmp_path / "two-hours")
    [alarm] = todo_of(next((tmp_path / "two-hours").glob(f"ilog-{SOW}.ics"))).walk("VALARM")
    assert alarm["trigger"].to_ical() == b"-PT2H"
    config.write_text('remind = "soon"\n')
    result = demo("export", "tasks", "--out", str(out), code=UsageError.exit_code)
    assert "config.toml: remind: 'soon' is no span of time" in result.output
    config.unlink()
    theirs = tmp_path / "personal.ics"
    theirs.write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone//EN\r\nEND:VCALENDAR\r\n")
    result = demo("export", "tasks", "--out", str(theirs), code=UsageError.exit_code)
    assert "ilog never overwrites it" in result.output
    assert theirs.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone")
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    result = demo("export", "tasks", "--out", str(notes), code=UsageError.exit_code)
    assert "is a file: give a folder" in result.output and notes.read_text() == "mine"
    assert "no next step matches" in demo("export", "tasks", "--owner", "nobody", "--out",
                                          str(tmp_path / "none")).stderr


def test_import_takes_what_the_task_app_did_once(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tasks"
    export(demo, out)
    when = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)
    edit(out / f"ilog-{SOW}.ics", status="COMPLETED", completed=when)
    edit(out / "ilog-f1cj35hdv77r.ics", due=date(2026, 12, 20))
    edit(out / "ilog-zab5rrb146vh.ics", status="CANCELLED",
         **{"last-modified": datetime(2026, 11, 28, 9, tzinfo=UTC)})
    foreign = icalendar.Todo()
    foreign.add("uid", "dentist@example.com")
    foreign.add("summary", "Dentist")
    (out / "dentist.ics").write_bytes(calendar_of(foreign))
    kept = export(demo, out)["kept"]  # changed in the app, not yet taken: left alone
    assert {k["file"] for k in kept} == {f"ilog-{SOW}.ics", "ilog-f1cj35hdv77r.ics",
                                        "ilog-zab5rrb146vh.ics"}
    taken = json.loads(demo("import", "tasks", str(out), "--json").stdout)
    assert sorted((c["step"][:4], c["change"]) for c in taken["changes"]) == [
        ("f1cj", "moved to 2026-12-20"), ("qanp", "done"), ("zab5", "dropped")]
    assert taken["foreign"] == [{"file": "dentist.ics", "summary": "Dentist"}]
    assert SOW not in open_ids(demo) and "zab5rrb146vh" not in open_ids(demo)
    step = json.loads(demo("step", "qanp", "--json").stdout)
    assert step["done_at"] == "2026-11-29T15:30:00+00:00"
    assert step["done_by"] == "author@example.test"
    assert json.loads(demo("step", "f1cj", "--json").stdout)["due"] == "2026-12-20"
    dropped = json.loads(demo("step", "zab5", "--json").stdout)
    assert datetime.fromisoformat(dropped["cancelled_at"]) == datetime(2026, 11, 28, 9,
                                                                        tzinfo=UTC)
    assert dropped["cancel_reason"] == "cancelled in the task app"
    again = json.loads(demo("import", "tasks", str(out), "--json").stdout)
    assert again["changes"] == [] and again["skipped"] == []
    after = export(demo, out)
    assert after["kept"] == [] and f"ilog-{SOW}.ics" in after["removed"]


def test_import_reopens_and_skips_what_it_cannot_take(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tasks"
    demo("done", "qanp")
    export(demo, out, "--all")
    edit(out / f"ilog-{SOW}.ics", status="NEEDS-ACTION")
    edit(out / "ilog-f1cj35hdv77r.ics", due=date(2020, 1, 1))  # before the call
    taken = json.loads(demo("import", "tasks", str(out), "--json").stdout)
    assert [(c["step"][:4], c["change"]) for c in taken["changes"]] == [("qanp", "reopened")]
    assert [s["file"] for s in taken["skipped"]] == ["ilog-f1cj35hdv77r.ics"]
    assert "before" in taken["skipped"][0]["why"]
    assert SOW in open_ids(demo)


def test_hostile_files_in_the_folder(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tasks"
    export(demo, out)
    outside = tmp_path / "precious.ics"
    outside.write_text("keep me")
    (out / "ilog-zzzzzzzzzzzz.ics").symlink_to(outside)  # a link named like ilog's file
    bogus = icalendar.Todo()
    bogus.add("uid", "../../etc@ilog")
    bogus.add("x-ilog-step", "../../etc")
    (out / "bogus.ics").write_bytes(calendar_of(bogus))
    (out / "broken.ics").write_bytes(b"\x00\xffnot a calendar")
    (out / "ilog-yyyyyyyyyyyy.ics").write_bytes(calendar_of(bogus))  # named as ilog names
    mine = (out / f"ilog-{SOW}.ics")
    mine.write_bytes(calendar_of(bogus))  # a step's own file, taken over by another task
    kept = export(demo, out)["kept"]
    assert kept == [{"file": f"ilog-{SOW}.ics", "why": "holds no task ilog wrote; left alone"}]
    assert (out / "ilog-yyyyyyyyyyyy.ics").read_bytes() == mine.read_bytes()
    assert outside.read_text() == "keep me" and (out / "ilog-zzzzzzzzzzzz.ics").is_symlink()
    taken = json.loads(demo("import", "tasks", str(out), "--json").stdout)
    assert taken["changes"] == [] and "bogus.ics" in {f["file"] for f in taken["foreign"]}
    demo("import", "tasks", str(tmp_path / "nowhere"), code=UsageError.exit_code)


@pytest.fixture
def todoman(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A todoman configured to read one vdir list (in the test's isolated XDG dirs)."""
    if not HAS_TODOMAN:
        pytest.skip("todoman is not installed (pip install -e '.[test]' installs it)")
    tasks = tmp_path / "calendars" / "ilog"
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "todoman" / "config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'path = "{tasks.parent}/*"\ndate_format = "%Y-%m-%d"\n'
                      'time_format = "%H:%M"\ndefault_list = "ilog"\n')
    return tasks, dict(os.environ)


def todo(env: dict[str, str], *args: str) -> str:
    return subprocess.run([TODO, *args], capture_output=True, text=True, check=True, env=env,
                          stdin=subprocess.DEVNULL).stdout


def listed(env: dict[str, str]) -> list[dict]:
    return list(json.loads(todo(env, "--porcelain", "list")))


def test_the_round_trip_through_todoman(demo: Cli, todoman: tuple[Path, dict[str, str]]) -> None:
    tasks, env = todoman
    export(demo, tasks)
    seen = listed(env)
    steps = {a["id"]: a for a in json.loads(demo("actions", "--json").stdout)}
    assert len(seen) == len(steps)
    for task in seen:
        step = steps[next(i for i in steps if task["summary"].startswith(steps[i]["text"]))]
        due = datetime.fromtimestamp(task["due"], UTC).date().isoformat() if task["due"] else None
        assert due == step["due"] and not task["completed"]
    sow = next(t for t in seen if t["summary"].startswith("Send the revised SOW"))
    todo(env, "done", str(sow["id"]))
    demo("import", "tasks", str(tasks))
    assert SOW not in open_ids(demo)
    assert json.loads(demo("step", "qanp", "--json").stdout)["state"] == "done"
    demo("step", "f1cj", "--due", "2026-12-24")
    export(demo, tasks)
    credit = next(t for t in listed(env) if t["summary"].startswith("Issue credit note"))
    assert datetime.fromtimestamp(credit["due"], UTC).date().isoformat() == "2026-12-24"
    assert not any(t["summary"].startswith("Send the revised SOW") for t in listed(env))


def test_what_a_task_app_prints_holds_nothing_a_terminal_obeys() -> None:
    from ilog.exchange import vtodo
    from ilog.model import NextStep, Record, TrackedStep

    step = NextStep("abcdabcdabcd", "Pay\nnow \x1b[2J\u202e", "bob\x07", date(2026, 12, 1))
    record = Record(id="r" * 20, client="acme", type="call", date=date(2026, 11, 1),
                    title="x\x1b]0;owned\x07", tags=["a\x1bb"])
    tracked = TrackedStep(step, "acme", record.id, record.title, "p", original=step,
                          tags=tuple(record.tags))
    wanted = vtodo.Wanted.of(tracked, "Acme", timedelta(days=1))
    data = vtodo.calendar([vtodo.vtodo(wanted, sequence=0, now=datetime.now(UTC))])
    assert not any(ch in data.decode() for ch in "\x1b\x07\u202e")
    [task] = vtodo.read_tasks(data, "x.ics")
    assert task.summary == "Pay now \\x1b[2J\\u202e (Acme)" and task.step == "abcdabcdabcd"



@settings(max_examples=150, deadline=None)
@given(text=st.text(min_size=1, max_size=80), tags=st.lists(st.text(max_size=20), max_size=3),
       due=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2999, 12, 31)),
                     st.datetimes(datetime(1990, 1, 1), datetime(2999, 12, 31),
                                  timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)),
                                                             timezone(timedelta(hours=5,
                                                                                minutes=30))]))),
       closed=st.sampled_from([None, "done", "cancelled"]))
@example(text="\\N", tags=[], due=None, closed=None)  # read back as a line end
def test_a_task_reads_back_as_it_was_written(text: str, tags: list[str], due: object,
                                             closed: str | None) -> None:
    """What import compares (step id, status, due date, X-ILOG-STATE) survives the file."""
    from ilog.exchange import vtodo
    from ilog.model import Completion, NextStep, Record, TrackedStep

    step = NextStep("abcd1234efgh", text, "bob", due)  # type: ignore[arg-type]
    record = Record(id="r" * 20, client="acme", type="call", date=date(1990, 1, 1),
                    title=text, tags=tags)
    done = None if closed is None else Completion(datetime(2026, 11, 1, tzinfo=UTC), "x",
                                                  cancelled=closed == "cancelled")
    tracked = TrackedStep(step, "acme", record.id, text, "p", done, original=step,
                          record_type="call", tags=tuple(tags))
    wanted = vtodo.Wanted.of(tracked, "Acme", timedelta(hours=2))
    data = vtodo.calendar([vtodo.vtodo(wanted, sequence=3, now=datetime.now(UTC))])
    assert vtodo.unchanged(data, wanted)  # the quick tests of export and import see it as
    assert vtodo.untouched(data)  # written, with nothing to take
    [task] = vtodo.read_tasks(data, "x.ics")
    assert (task.step, task.uid, task.sequence) == ("abcd1234efgh", "abcd1234efgh@ilog", 3)
    second = due.replace(microsecond=0) if isinstance(due, datetime) else due
    assert task.status == vtodo.status_of(tracked) and task.due == second
    assert not task.changed_in_the_app and vtodo.parse_state(task.exported)[1] == second
    assert task.summary.endswith("(Acme)") and "\n" not in task.summary
    if closed == "done":
        assert task.completed == datetime(2026, 11, 1, tzinfo=UTC)
    other = "COMPLETED" if closed is None else "NEEDS-ACTION"
    changed = data.replace(f"STATUS:{task.status}".encode(), f"STATUS:{other}".encode())
    assert not vtodo.unchanged(changed, wanted) and not vtodo.untouched(changed)


def test_a_task_whose_step_is_gone_is_listed(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tasks"
    export(demo, out)
    demo("void", "36xjj334", "--reason", "recorded twice")
    edit(out / f"ilog-{SOW}.ics", status="COMPLETED")
    taken = json.loads(demo("import", "tasks", str(out), "--json").stdout)
    assert taken["skipped"] == [{"file": f"ilog-{SOW}.ics", "why": "its step is no longer in "
                                 "the store (withdrawn, moved away or erased)"}]
    assert f"ilog-{SOW}.ics" in export(demo, out)["removed"]


def test_a_tasks_digest_is_its_values_in_one_canonical_encoding() -> None:
    """Not repr(), which may change with Python's version: the same task has this digest on
    every Python ilog runs on, so an export never rewrites tasks that did not change."""
    from ilog.exchange.vtodo import Wanted

    plain = Wanted("abcd1234efgh", "Send the SOW (Acme)", "NEEDS-ACTION", date(2026, 11, 27),
                   None, "Acme: call", ("renewal",), timedelta(days=1), "Send the SOW")
    other = Wanted("abcd1234efgh", "Überweisung (Müller)", "COMPLETED",
                   datetime(2026, 11, 27, 9, 30, tzinfo=timezone(timedelta(hours=1))),
                   datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "d", (), None, "x")
    assert (plain.digest, other.digest) == ("eb5df580dd854440797ab49de863dd6b",
                                            "596f2bba54f0f197308c87d9f232b81e")


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from ilog.store import atomic
with atomic._temp_copy(Path(sys.argv[1]), b"BEGIN:VCALENDAR" * 100, private=True):
    os.kill(os.getpid(), signal.SIGKILL)  # as a kill -9 in the middle of an export
"""


def killed_write(path: Path) -> Path:
    """What an export killed while writing ``path`` leaves: its temporary file."""
    subprocess.run([sys.executable, "-c", KILLED_WRITE, str(path)], check=False)
    [left] = path.parent.glob(f".{path.name}.*.tmp")
    return left


@pytest.mark.parametrize("target", ["tasks", "tasks.ics"])
def test_the_next_export_removes_what_a_killed_one_left_and_nothing_else(
        demo: Cli, tmp_path: Path, target: str) -> None:
    """Issue 24 B3: a killed export left .ilog-*.ics.*.tmp in the task folder for ever
    (only an hour-old one was swept, and only by an export that wrote something). A live
    write's file and a task app's own temporary files stay."""
    out = tmp_path / target
    export(demo, out, "--owner", "bob")
    folder = out if out.is_dir() else out.parent
    name = f"ilog-{SOW}.ics" if out.is_dir() else out.name
    left = killed_write(folder / name)
    theirs = folder / ".tasks.0123abcd.tmp"
    theirs.write_bytes(b"a task app's write in progress")
    from ilog.store import atomic  # the live write of another ilog

    with atomic._temp_copy(folder / "ilog-live.ics", b"BEGIN", private=True) as live:
        export(demo, out, "--owner", "bob")
        assert not left.exists() and live.exists() and theirs.exists()

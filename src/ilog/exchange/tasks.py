"""Next steps in people's task apps: ``ilog export tasks`` writes them as iCalendar tasks
(a vdir, one ``.ics`` per task, or one ``.ics`` file), ``ilog import tasks`` reads back what
was done, dropped or moved there (vtodo.py holds the mapping; follow-ups.md the round trip).

The exported files hold client names and promises, and git does not share them: they are
owner-only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ilog.derived import clientcache
from ilog.errors import DateError, FormatError, IlogError, UsageError
from ilog.exchange import vtodo
from ilog.exchange.vtodo import CANCELLED, COMPLETED, OPEN, Task
from ilog.fileformat import durations
from ilog.fileformat.codec import iso
from ilog.model import TrackedStep
from ilog.ops.actions import ActionFilter, find_step, list_actions
from ilog.ops.steps import Change, change, mark
from ilog.store import atomic
from ilog.store.layout import Store

#: A vdir file ilog writes: ``ilog-STEPID.ics``.
_OURS = re.compile(r"ilog-([0-9a-z]{4,40})\.ics")
_GONE = "its step is no longer in the store (withdrawn, moved away or erased)"
#: The most a file may hold to be read as a task (a task is a few hundred bytes).
MAX_TASK_BYTES = 1_000_000


@dataclass
class Exported:
    """What an export did, file by file (names relative to the folder, or the file)."""

    target: Path
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    #: Files left alone because the task app changed them since: (file, why).
    kept: list[tuple[str, str]] = field(default_factory=list)


def reminder(text: str) -> timedelta | None:
    """``1d``, ``2h``, ``30m``, ``1w`` (fileformat/durations.py) -> how long before;
    ``0``/``none``/"" -> no alarm."""
    if text.strip().lower() in ("", "0", "none", "no", "off"):
        return None
    try:
        return durations.parse_duration(text, durations.CLOCK, "a reminder").length()
    except DateError as exc:
        raise UsageError(f"{exc} (or none)") from None


def export_tasks(store: Store, wanted: ActionFilter, out: Path, *,
                 remind: timedelta | None, now: datetime | None = None) -> Exported:
    """Write the steps ``wanted`` selects (open ones, or all with ``include_done``) to ``out``:
    a folder (a vdir, one task per file), or a file ending in ``.ics``."""
    now = now or datetime.now().astimezone()
    steps = _with_names(store, list_actions(store, wanted))
    out = out.resolve()
    if out.suffix.lower() == ".ics":
        _refuse_foreign_file(out)
        return _export_file(steps, out, remind, now)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file: give a folder (a vdir, one .ics file a task) or a "
                         "path ending in .ics")
    return _export_folder(store, steps, out, remind, now)


def _refuse_foreign_file(out: Path) -> None:
    """An .ics file ilog did not write (someone's calendar) is never overwritten."""
    if not out.exists():
        return
    if not out.is_file():
        raise UsageError(f"{out} is not a file; give a path ending in .ics for one file")
    data = _read(out)
    if data.strip() and f"PRODID:{vtodo.PRODID}".encode() not in data:
        raise UsageError(f"{out} is a calendar ilog did not write; ilog never overwrites it: "
                         "give a new file or a folder")


def _with_names(store: Store, steps: list[TrackedStep]) -> list[tuple[TrackedStep, str]]:
    """Each step with its client's name (from the summaries ``list_actions`` brought up to
    date: no client's files are read again)."""
    slugs = sorted({step.client for step in steps})
    names = {slug: summary.client.name or slug
             for slug, summary in clientcache.summaries_of(store, slugs).items()}
    return [(step, names.get(step.client, step.client)) for step in steps]


def _export_folder(store: Store, steps: list[tuple[TrackedStep, str]], out: Path,
                   remind: timedelta | None, now: datetime) -> Exported:
    atomic.make_dirs(out, private=not out.exists())
    sweeps = atomic.Sweeps(math.inf, prefix=".ilog-")  # once: what a killed export left
    sweeps(out)
    done = Exported(out)
    present = {entry.name for entry in out.iterdir() if _OURS.fullmatch(entry.name)
               and entry.is_file() and not entry.is_symlink()}
    for tracked, client in steps:
        name = f"ilog-{tracked.step.id}.ics"
        wanted = vtodo.Wanted.of(tracked, client, remind)
        sequence = 0
        if name in present:
            present.discard(name)
            data = _read(out / name)
            if vtodo.unchanged(data, wanted):
                done.unchanged += 1
                continue
            old = _ours(data, name)
            if old is None:
                done.kept.append((name, "holds no task ilog wrote; left alone"))
                continue
            if _changed_there(old, against=tracked):
                done.kept.append((name, _why_kept(old)))
                continue
            if old.digest == wanted.digest and not _changed_there(old):
                done.unchanged += 1  # rewritten by an app, same task
                continue
            sequence = old.sequence + 1
        atomic.replace_file(out / name, vtodo.calendar(
            [vtodo.vtodo(wanted, sequence=sequence, now=now)]), private=True, sweeps=sweeps)
        done.written.append(name)
    for name in sorted(present):
        old = _ours(_read(out / name), name)
        if old is None:
            continue
        if _changed_there(old) and _not_taken(store, old):
            done.kept.append((name, _why_kept(old) + "; its step is no longer exported"))
            continue
        atomic.remove(out / name)
        done.removed.append(name)
    return done


def _read(path: Path) -> bytes:
    """A task file's bytes (b"" if it cannot be read, or is far too big to be a task)."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_TASK_BYTES + 1)[:MAX_TASK_BYTES]
    except OSError:
        return b""


def _ours(data: bytes, name: str) -> Task | None:
    """The one task ilog wrote in a file's bytes, or None."""
    tasks = [task for task in _parsed(data, name) if task.step]
    return tasks[0] if len(tasks) == 1 else None


def _not_taken(store: Store, task: Task) -> bool:
    """Whether a task changed in the app has a step whose state does not show the change yet
    (a step gone from the store has nothing to take it)."""
    try:
        return _changed_there(task, against=find_step(store, task.step)[1])
    except IlogError:
        return False


def _export_file(steps: list[tuple[TrackedStep, str]], out: Path,
                 remind: timedelta | None, now: datetime) -> Exported:
    """One calendar file with every task (for apps that import or subscribe to a file)."""
    atomic.make_dirs(out.parent)
    before = {task.step: task for task in _tasks_in(out) if task.step} if out.is_file() else {}
    todos, done = [], Exported(out)
    for tracked, client in steps:
        wanted, old = vtodo.Wanted.of(tracked, client, remind), before.get(tracked.step.id)
        sequence = 0 if old is None else old.sequence + (old.digest != wanted.digest)
        done.written.append(tracked.step.id)
        todos.append(vtodo.vtodo(wanted, sequence=sequence, now=now))
    done.removed = sorted(set(before) - set(done.written))
    atomic.replace_file(out, vtodo.calendar(todos), private=True,
                        sweeps=atomic.Sweeps(math.inf, prefix=f".{out.name}."))
    return done


def _changed_there(task: Task, *, against: TrackedStep | None = None) -> bool:
    """Whether the task app changed the task's status or due date since ilog wrote it; with
    ``against``, only if the change is not in ilog yet (an import took it)."""
    if not task.changed_in_the_app:
        return False
    if against is None:
        return True
    return not task.shows(vtodo.status_of(against), vtodo.written_due(against.step.due))


def _why_kept(task: Task) -> str:
    status, due = vtodo.parse_state(task.exported)
    what = []
    if task.status != status:
        what.append(f"marked {task.status.lower()}")
    if task.due != due:
        what.append("given another due date")
    return (f"{' and '.join(what) or 'changed'} in the task app since the last export; "
            "'ilog import tasks' takes it first")


def _tasks_in(path: Path) -> list[Task]:
    return _parsed(_read(path), path.name)


def _parsed(data: bytes, name: str) -> list[Task]:
    """Every task in a file's bytes ([] if they are no iCalendar data)."""
    try:
        return vtodo.read_tasks(data, name)
    except FormatError:
        return []


# -- import --------------------------------------------------------------------------------

@dataclass
class Imported:
    """What an import did: each change as (step id, text), what it left alone and why."""

    changes: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    #: Tasks ilog did not write: (file, summary).
    foreign: list[tuple[str, str]] = field(default_factory=list)
    #: Tasks ilog wrote that it could not take: (file, why).
    skipped: list[tuple[str, str]] = field(default_factory=list)


def import_tasks(store: Store, folder: Path, *, now: datetime | None = None) -> Imported:
    """Take what was done, dropped, reopened or moved in a vdir's tasks into ilog, as events
    by you; running it again changes nothing."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder of tasks (a vdir: one .ics file a task)")
    done = Imported()
    tasks = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".ics" or not path.is_file() or path.is_symlink():
            continue
        data = _read(path)
        if vtodo.untouched(data):  # as ilog wrote it: nothing to take, no need to parse
            done.unchanged += 1
            continue
        tasks += [(path.name, task) for task in _parsed(data, path.name)]
    done.foreign = [(name, task.summary) for name, task in tasks if not task.step]
    ours = [(name, task) for name, task in tasks if task.step]
    steps = _steps_named(store, {task.step for _, task in ours}) if ours else {}
    for name, task in ours:
        tracked = steps.get(task.step)
        if tracked is None:
            done.skipped.append((name, _GONE))
            continue
        try:
            changes = _take(store, task, tracked, now)
        except IlogError as exc:
            done.skipped.append((name, str(exc)))
            continue
        done.changes += [(task.step, change) for change in changes]
        done.unchanged += not changes
    return done


def _steps_named(store: Store, ids: set[str]) -> dict[str, TrackedStep]:
    """The steps with these ids, open or closed, as they stand now: only the clients that
    have one, and of those only the records that hold one, are read."""
    found: dict[str, TrackedStep] = {}
    for summary in clientcache.summaries(store):
        among = ids.intersection(summary.step_ids)
        if among:
            files = clientcache.client_files(store, summary.client.slug)
            found.update((tracked.step.id, tracked) for tracked in files.steps_among(among))
    return found


def _take(store: Store, task: Task, tracked: TrackedStep,
          now: datetime | None) -> list[str]:
    """The events the task's changes (since ilog wrote it) call for, recorded; in words."""
    status, due = vtodo.parse_state(task.exported)
    when = _no_later(task.modified, now)
    said = []
    if (task.due is not None and task.due != due
            and task.due != vtodo.written_due(tracked.step.due) and tracked.closed is None):
        change(store, task.step, Change(due=iso(task.due) or "", note="moved in the task app",
                                         when=when), now=now)
        said.append(f"moved to {iso(task.due)}")
    if task.status != status:
        if task.status == COMPLETED and tracked.closed is None:
            mark(store, task.step, done=True, note="done in the task app",
                 when=_no_later(task.completed, now) or when, now=now)
            said.append("done")
        elif task.status == CANCELLED and tracked.closed is None:
            change(store, task.step, Change(cancel=True, note="cancelled in the task app",
                                             when=when), now=now)
            said.append("dropped")
        elif task.status not in (COMPLETED, CANCELLED) and status != OPEN \
                and tracked.closed is not None:
            mark(store, task.step, done=False, note="reopened in the task app", now=now)
            said.append("reopened")
    return said


def _no_later(moment: datetime | None, now: datetime | None) -> str:
    """A task app's time for the event (ISO 8601; "" for now): never later than now, as a
    clock a few minutes ahead on another machine would make it."""
    if moment is None:
        return ""
    return iso(min(moment, now or datetime.now().astimezone())) or ""

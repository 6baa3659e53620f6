"""``ilog changes``: who recorded, completed, amended, withdrew or deleted what, and when,
read from git's history of the current branch (newest first).

Each file a commit added, changed or deleted under ``clients/`` (or ``tombstones/``) is one
change. What a new record is (an interaction, an amendment, a withdrawal) and its title are
read from the committed file itself, for the changes shown only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ilog.model import HOLD, RELEASE, StepEventKind
from ilog.store import gitrepo
from ilog.store.events import kind_of, subject_of
from ilog.store.layout import (
    CLIENTS,
    EVENT,
    OTHER_EVENT,
    PROFILE_KIND,
    RECORD,
    TOMBSTONES,
    Store,
    kind,
)

#: The fields a committed record or tombstone is told by (read without parsing the file).
_FIELD = re.compile(rb"^(title|type|amends|voided|moved_to|kind|record):[ \t]*(.*?)[ \t]*$",
                    re.MULTILINE)


@dataclass
class StoreChange:
    """One file one commit changed, said as what a person did."""

    commit: str
    when: datetime
    author: str
    action: str
    path: str
    client: str = ""
    #: What it was about: ``call "Quarterly review"``, a step or a record id.
    about: str = ""


def changes(store: Store, *, limit: int = 20, client: str = "") -> list[StoreChange]:
    """The newest ``limit`` changes (of ``client``'s folder only, if given). Reads git's
    history only; writes nothing."""
    gitrepo.require_commits(store.root)
    folders = [f"{CLIENTS}/{client}/"] if client else [f"{CLIENTS}/", f"{TOMBSTONES}/"]
    found: list[tuple[StoreChange, str]] = []
    commit, when, author = "", datetime.now(UTC), ""
    for line in gitrepo.lines(store.root, "log", "--no-renames", "--raw", "--no-abbrev",
                              "--relative", "--format=%x00%H %ct %an <%ae>", "--", *folders):
        if line.startswith("\0"):
            commit, stamp, author = line[1:].split(" ", 2)
            when = datetime.fromtimestamp(int(stamp), UTC)
        elif line.startswith(":") and len(found) < limit:
            meta, _, path = line.partition("\t")
            _, _, _, blob, state = meta.split()
            change = _said(StoreChange(commit, when, author, "", path), state[0])
            if change is not None:
                found.append((change, blob))
        elif len(found) >= limit:
            break
    contents = gitrepo.blobs(store.root, [blob for change, blob in found
                                          if change.action in ("recorded", "deleted (tombstone)")])
    for change, blob in found:
        if blob in contents:
            _read_into(change, contents[blob])
    return [change for change, _ in found]


def _said(change: StoreChange, state: str) -> StoreChange | None:
    """What the change of one file was (None for files ilog does not read)."""
    path = change.path
    found = kind(path)
    change.client = path.split("/")[1] if path.startswith(f"{CLIENTS}/") else ""
    if found == RECORD:
        change.action = {"A": "recorded", "M": "changed a record file",
                         "D": "deleted a record file"}.get(state, "changed a record file")
        change.about = Path(path).stem
    elif found == EVENT and state == "A":
        name = Path(path).name
        event = kind_of(name)
        verb = StepEventKind(event).verb if event in tuple(StepEventKind) else "changed"
        change.action = "completed step" if event == StepEventKind.DONE else f"{verb} step"
        change.about = subject_of(name)
    elif found == OTHER_EVENT and state == "A":
        change.action = {HOLD: "placed a hold", RELEASE: "released a hold"}.get(
            kind_of(Path(path).name), "attached a file")
        change.about = subject_of(Path(path).name)
    elif found == PROFILE_KIND:
        change.action = "added the client" if state == "A" else "changed the client's profile"
    elif path.startswith(f"{TOMBSTONES}/") and state == "A":
        change.action, change.about = "deleted (tombstone)", Path(path).stem
    else:
        return None
    return change


def _read_into(change: StoreChange, data: bytes) -> None:
    """Tell a recorded interaction from an amendment or a withdrawal, and name it."""
    fields = {key.decode(): value.decode("utf-8", "replace").strip("'\"")
              for key, value in _FIELD.findall(data[:8192])}
    if change.action == "deleted (tombstone)":
        change.action = f"{fields.get('kind', 'deleted')}: deleted record"
        change.about = fields.get("record", change.about)
        return
    if fields.get("voided") == "true":
        change.action = "moved away" if fields.get("moved_to") else "withdrew"
    elif fields.get("amends"):
        change.action = "amended"
    title = fields.get("title", "")
    change.about = f'{fields.get("type", "")} "{title}"'.strip() if title else \
        fields.get("type", change.about)

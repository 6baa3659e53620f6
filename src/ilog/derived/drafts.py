"""Drafts: the text of an editor session, kept in ``.ilog/drafts/`` (owner-only) until it is
saved, and after if nothing was. One place names them (``KIND-SUBJECT-PID.md``), lists them
and finds a client's (an erasure deletes those)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ilog.store import atomic
from ilog.store.layout import Store

FOLDER = "drafts"
#: ``KIND-SUBJECT-PID.md``: a new record for a client (SUBJECT: its slug), or an edit or an
#: amendment of a record (SUBJECT: its short id).
NEW, EDIT, AMEND = "new", "edit", "amend"
_NAME = re.compile(rf"^({NEW}|{EDIT}|{AMEND})-(.+)-(\d+)\.md$")


@dataclass(frozen=True)
class Draft:
    path: Path
    kind: str  # new, edit or amend
    subject: str  # the client's slug (new) or the record's short id
    saved: datetime
    first_line: str  # the first line of the notes, or of the front matter's title


def new_draft(store: Store, kind: str, subject: str) -> Path:
    """Where this process keeps its draft of ``kind`` for ``subject`` (the folder made)."""
    folder = store.derived_dir / FOLDER
    atomic.make_dirs(folder, private=True)
    return folder / f"{kind}-{subject}-{os.getpid()}.md"


def drafts(store: Store) -> list[Draft]:
    """Every kept draft, newest first."""
    folder = store.derived_dir / FOLDER
    try:
        entries = [e for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None:
            continue
        text = Path(entry.path).read_text("utf-8", errors="replace")
        saved = datetime.fromtimestamp(int(entry.stat().st_mtime)).astimezone()
        found.append(Draft(Path(entry.path), match[1], match[2], saved, _gist(text)))
    return sorted(found, key=lambda d: d.saved, reverse=True)


def of_client(store: Store, slug: str, short_ids: list[str]) -> list[Draft]:
    """The drafts typed for a client: new records for it, edits and amendments of its
    records."""
    return [d for d in drafts(store) if (d.kind == NEW and d.subject == slug)
            or (d.kind != NEW and d.subject in short_ids)]


def _gist(text: str) -> str:
    """What the draft is about: its title, else the first line of its notes."""
    title = re.search(r"^title:[ \t]*(\S.*)$", text, re.MULTILINE)
    if title:
        return title[1].strip().strip("'\"")[:60]
    body = text.split("\n---", 2)[-1] if text.startswith("---") else text
    first = next((line.strip() for line in body.splitlines()
                  if line.strip() and not line.startswith("#")), "")
    return first[:60]

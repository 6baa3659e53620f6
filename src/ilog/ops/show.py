"""Showing a record: the version asked for, every version, and what changed between them."""


from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field

from ilog.derived import clientcache
from ilog.derived.lookup import find_record
from ilog.errors import ClientError
from ilog.fileformat import seal
from ilog.model import OtherVersion, Record, TrackedStep
from ilog.ops.amend import chain_of
from ilog.ops.recordfiles import later_files
from ilog.store.layout import Store
from ilog.store.reading import read_file


@dataclass
class Shown:
    """A record as ``show`` presents it: the version asked for, and all of its versions."""

    asked: Record
    text: str  # the asked record's file, as stored
    versions: list[Record]  # every version, oldest first (just ``asked`` if never amended)
    #: Each version's next steps with their completions, by the version's id.
    steps: dict[str, list[TrackedStep]] = field(default_factory=dict)
    #: The interaction's other current versions, if it diverged.
    diverged: list[OtherVersion] = field(default_factory=list)

    @property
    def latest(self) -> Record:
        return self.versions[-1]


def show(store: Store, ref: str) -> Shown:
    """A record, its file's text, and every version of it (amend.py). Writes only derived
    data: its client's cache shard, as history does."""
    path = find_record(store, ref)
    asked = store.read(path)
    versions = chain_of(store, asked)
    later = later_files(store, asked.client) if asked.client else {}
    for version in versions:  # with the files added after it was sealed
        version.attachments = version.attachments + later.get(version.id, [])
    try:
        files = clientcache.client_files(store, asked.client)
        steps = {v.id: files.tracked(v) for v in versions}
        diverged = files.diverged(versions[-1].id)
    except ClientError:  # a record outside any client's folder: no completions to find
        steps, diverged = {}, []
    return Shown(asked, read_file(path, str(asked.path)).decode("utf-8", "replace"), versions,
                 steps, diverged)


def version_diffs(store: Store, versions: list[Record]) -> list[str]:
    """A unified diff of the files from each version to the next (seal lines left out)."""
    texts = [(v, seal.without(read_file(store.file_of(v), str(v.path))).decode("utf-8", "replace"))
             for v in versions]
    return ["".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                         str(a.path), str(b.path)))
            for (a, old), (b, new) in itertools.pairwise(texts)]



"""Versions of a record. A record is never changed once sealed: a correction is an amendment,
a new record that names the one it corrects (``amends: ID``), says why (``amend_reason``) and
when (``amended``). The versions of a record form a chain, oldest first; people see the latest.

Two amendments of the same version (made at once in two clones) fork the chain: the
interaction has *diverged*. It still counts once everywhere: one head is its current version
(the one whose id sorts last, so every clone and every view picks the same), the others are
listed as diverged, and ``ilog verify`` names them. An amendment of a diverged interaction
says which other heads it reconciles (``reconciles: [ID, ...]``); after it, one version is
current again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

AMENDS, REASON, AMENDED, RECONCILES = "amends", "amend_reason", "amended", "reconciles"
#: A withdrawal (``ilog void``, ``ilog move``) is the last version of a record: it says the
#: interaction is withdrawn (``voided: true``) and, after a move, where it went (``moved_to:
#: CLIENT/ID``); the record that took its place says where it came from (``moved_from``).
VOIDED, MOVED_TO, MOVED_FROM = "voided", "moved_to", "moved_from"
#: The fields an amendment carries; they are set by ilog, never copied from the original.
FIELDS = (AMENDS, REASON, AMENDED, VOIDED, MOVED_TO, RECONCILES)
MIN_PREFIX = 8


def amends_of(extra: dict[str, Any]) -> str:
    """The id (or id prefix) a record's ``amends`` field names, or ""."""
    value = extra.get(AMENDS)
    return value.strip().lower() if isinstance(value, str) else ""


def reconciles_of(extra: dict[str, Any]) -> list[str]:
    """The ids (or id prefixes) of the other current versions a record reconciles."""
    value = extra.get(RECONCILES)
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [item.strip().lower() for item in items if isinstance(item, str) and item.strip()]


def voided(extra: dict[str, Any]) -> str:
    """``"yes"`` if the record is a withdrawal, else ``""`` (as the index keeps it)."""
    return "yes" if extra.get(VOIDED) is True else ""


def moved_to(extra: dict[str, Any]) -> str:
    """Where a withdrawal says the record went (``CLIENT/ID``), or ""."""
    value = extra.get(MOVED_TO)
    return value if isinstance(value, str) else ""


@dataclass
class Chains:
    """How the records of one client amend each other."""

    #: id -> the id it amends (resolved to a full id where the record exists).
    amends: dict[str, str] = field(default_factory=dict)
    #: id -> the ids of the records that amend it.
    amended_by: dict[str, list[str]] = field(default_factory=dict)
    #: id -> what its ``amends`` names, where no such record exists.
    missing: dict[str, str] = field(default_factory=dict)
    #: ids whose chain of ``amends`` comes back to themselves.
    loops: set[str] = field(default_factory=set)
    #: Current versions of a diverged interaction that are not the one it counts as.
    outvoted: set[str] = field(default_factory=set)

    def superseded(self, record_id: str) -> bool:
        """Whether a later version exists, or the record is a diverged head that is not the
        interaction's current version (a record in a loop never counts as superseded)."""
        return ((bool(self.amended_by.get(record_id)) and record_id not in self.loops)
                or record_id in self.outvoted)

    def diverged(self, record_id: str) -> list[str]:
        """The current versions of ``record_id``'s interaction if it has diverged (the one
        it counts as last), else []."""
        heads = sorted(self.latest(record_id))
        return heads if len(heads) > 1 else []

    def first(self, record_id: str) -> str:
        """The original of the chain ``record_id`` is in."""
        seen = {record_id}
        while record_id in self.amends and self.amends[record_id] not in seen:
            record_id = self.amends[record_id]
            seen.add(record_id)
        return record_id

    def latest(self, record_id: str) -> list[str]:
        """The current versions of the chain ``record_id`` is in (one unless it forked)."""
        heads, todo, seen = [], [self.first(record_id)], set()
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            later = [i for i in self.amended_by.get(current, []) if i not in seen]
            if later:
                todo += later
            else:
                heads.append(current)
        return heads or [record_id]

    def versions(self, record_id: str) -> list[str]:
        """Every version of the chain ``record_id`` is in, oldest first (forks: each branch
        in turn)."""
        ordered, todo = [], [self.first(record_id)]
        while todo:
            current = todo.pop(0)
            if current not in ordered:
                ordered.append(current)
                todo += self.amended_by.get(current, [])
        return ordered


def groups(chain: Chains, ids: Iterable[str]) -> list[list[str]]:
    """Every version of each chain the ``ids`` are in, oldest first, chain by chain (in the
    order of their originals' ids)."""
    return [chain.versions(first) for first in sorted({chain.first(i) for i in ids})]


def chains(records: Iterable[tuple[str, str]],
           reconciled: Iterable[tuple[str, list[str]]] = ()) -> Chains:
    """The chains of records given as (id, what its ``amends`` field names); ``reconciled``:
    (id, the other heads its ``reconciles`` names), for the amendments that have one."""
    pairs = list(records)
    ids = [record_id for record_id, _ in pairs]

    def resolved(target: str) -> str | None:
        return next((i for i in ids if i == target), None) or \
            next((i for i in ids if len(target) >= MIN_PREFIX and i.startswith(target)), None)

    found = Chains()
    for record_id, target in pairs:
        if not target:
            continue
        full = resolved(target)
        if full is None:
            found.missing[record_id] = target
            continue
        found.amends[record_id] = full
        found.amended_by.setdefault(full, []).append(record_id)
    for record_id, others in reconciled:
        for other in filter(None, map(resolved, others)):
            if other != record_id and record_id not in found.amended_by.get(other, []):
                found.amended_by.setdefault(other, []).append(record_id)
    found.loops = {i for i in found.amends if _in_loop(found.amends, i)}
    forked = {found.first(parent) for parent, later in found.amended_by.items()
              if len(set(later)) > 1}
    for original in forked:
        heads = sorted(found.latest(original))
        found.outvoted.update(heads[:-1])
    return found


def _in_loop(amends: dict[str, str], start: str) -> bool:
    """Whether following ``amends`` from ``start`` comes back to ``start``."""
    seen, current = set(), amends.get(start)
    while current is not None and current not in seen:
        if current == start:
            return True
        seen.add(current)
        current = amends.get(current)
    return False

"""E-mail threads: the records of one conversation, found by their Message-ID, In-Reply-To and
References fields (as ``ilog import email`` writes them), the way mail programs thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MESSAGE_ID, IN_REPLY_TO, REFERENCES = "message_id", "in_reply_to", "references"
FIELDS = (MESSAGE_ID, IN_REPLY_TO, REFERENCES)


@dataclass(frozen=True)
class Place:
    """Where a record stands in its thread: message ``number`` of ``count``."""

    thread: str  # the Message-ID the thread started with
    number: int
    count: int


def _ids(extra: dict[str, Any]) -> tuple[str, list[str]]:
    """(its own Message-ID, the Message-IDs it answers, oldest first) of a record's fields."""
    own = extra.get(MESSAGE_ID)
    references = extra.get(REFERENCES)
    earlier = [r for r in references if isinstance(r, str)] if isinstance(references, list) \
        else []
    reply = extra.get(IN_REPLY_TO)
    if isinstance(reply, str) and reply and reply not in earlier:
        earlier.append(reply)
    return (own if isinstance(own, str) else ""), earlier


def places(records: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Place]:
    """Record id -> its place in its thread, for the records (id, fields), in the order given
    (oldest first), that share a thread with another one."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    members: list[tuple[str, str]] = []
    for record, extra in records:
        own, earlier = _ids(extra)
        keys = [k for k in (*earlier, own) if k]
        if not keys:
            continue
        for key in keys[1:]:
            first, other = root(keys[0]), root(key)
            if first != other:
                parent[other] = first
        members.append((record, keys[0]))
    threads: dict[str, list[str]] = {}
    for record, key in members:
        threads.setdefault(root(key), []).append(record)
    return {record: Place(thread, number, len(ids))
            for thread, ids in threads.items() if len(ids) > 1
            for number, record in enumerate(ids, 1)}

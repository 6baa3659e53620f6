"""What this clone has seen: the records ``ilog verify`` found the last time it checked the
whole store. A record that is gone since, with no tombstone and no commit that deletes it
(a ``git reset --hard`` back past it, a pulled force-push that dropped it), is then noticed
although nothing in git says it was deleted. Kept with the derived data (owner-only):
deleting it only forgets what was seen.
"""

from __future__ import annotations

from ilog.derived import cachedir
from ilog.store import atomic
from ilog.store.layout import Store

FILE = "seen.v1"


def vanished(store: Store, now: dict[str, str], accounted: set[str]) -> dict[str, str]:
    """Path -> record id of each record seen at the last check that is not here ``now``
    (path -> id) and not ``accounted`` for (an id with a tombstone, a path git deleted)."""
    here = set(now.values())  # a record moved to another path is still here
    return {path: record for path, record in _load(store).items()
            if path not in now and record not in here and record not in accounted
            and path not in accounted}


def remember(store: Store, now: dict[str, str]) -> None:
    """Keep the records seen ``now`` (path -> record id) for the next check."""
    text = "".join(f"{path}\t{record}\n" for path, record in sorted(now.items()))
    atomic.replace_file(cachedir.home(store) / FILE, text.encode("utf-8"), private=True)


def _load(store: Store) -> dict[str, str]:
    try:
        text = (cachedir.home(store) / FILE).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    pairs = (line.split("\t") for line in text.splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}

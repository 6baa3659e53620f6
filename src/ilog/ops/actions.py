"""Next steps across records: listing them and finding one by its id (ops/steps.py changes
them).

Everything here reads the client cache (clientcache.py), never the record files in bulk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ilog.derived import clientcache
from ilog.derived.lookup import step_hint
from ilog.errors import AmbiguousError, NotFoundError
from ilog.model import Progress, Record, TrackedStep
from ilog.store.layout import Store
from ilog.store.profiles import resolve_slug
from ilog.store.usersettings import identity

MIN_PREFIX = 4


@dataclass
class ActionFilter:
    owner: str = ""
    client: str = ""
    overdue: bool = False
    due_within: int | None = None  # days from today
    include_done: bool = False


def list_actions(store: Store, wanted: ActionFilter, *, today: date | None = None,
                 progress: Progress | None = None) -> list[TrackedStep]:
    """Next steps across all clients (or one), open ones by default, soonest due first;
    ``progress(done, total)`` hears how catching up with changed clients goes. Writes only
    derived data: the cache shards of clients that changed and the saved listing, under the
    derived data's lock (clientcache.py)."""
    today = today or date.today()
    if wanted.client:
        steps = clientcache.client_files(store, resolve_slug(store, wanted.client)).steps()
    elif wanted.include_done:
        steps = [step for files in clientcache.every_client(store, progress=progress)
                 for step in files.steps()]
    else:
        steps = [step for summary in clientcache.summaries(store, progress=progress)
                 for step in summary.open]
    found = [step for step in steps if keeps(wanted, step, today)]
    return sorted(found, key=lambda s: (s.due_day or date.max, s.client, s.step.text))


def keeps(wanted: ActionFilter, tracked: TrackedStep, today: date) -> bool:
    """Whether ``wanted`` keeps the step."""
    due = tracked.due_day
    owner = wanted.owner.lower()
    return not ((owner and tracked.step.owner.lower() != owner)
                or (tracked.closed is not None and not wanted.include_done)
                or (wanted.overdue and not tracked.overdue(today))
                or (wanted.due_within is not None
                    and (due is None or due > today + timedelta(wanted.due_within))))


def my_owner_name(store: Store) -> str:
    """The owner name that is "me": user config 'owner', else the identity before any '@'."""
    return store.settings.text("owner") or identity(store.settings, store.root).split("@")[0]


def find_step(store: Store, prefix: str) -> tuple[Record, TrackedStep]:
    """The one next step, open or closed, whose id starts with ``prefix`` (resolved like
    git's ids: a prefix that fits several is an error that lists them), as it stands now,
    with its record as read from its file. Writes only derived data, as list_actions."""
    wanted = prefix.strip().lower()
    if len(wanted) < MIN_PREFIX or not re.fullmatch(r"[0-9a-z_-]+", wanted):
        raise NotFoundError(f"'{prefix}' is not a next-step id (at least {MIN_PREFIX} "
                            "characters; 'ilog actions' and 'ilog show RECORD' list them)")
    clients = [s.client.slug for s in clientcache.summaries(store)
               if any(step.startswith(wanted) for step in s.step_ids)]
    found = [tracked for slug in clients
             for tracked in clientcache.client_files(store, slug).steps()
             if tracked.step.id.startswith(wanted)]
    if not found:
        raise NotFoundError(f"no next step with id '{prefix}'{step_hint(store, prefix)}")
    if len(found) > 1:
        listed = "; ".join(f"{t.step.id} {t.step.text!r} ({t.client})" for t in found[:5])
        raise AmbiguousError(f"'{prefix}' matches {len(found)} next steps: {listed}; "
                             "type more of the id")
    return store.read(store.root / found[0].path), found[0]

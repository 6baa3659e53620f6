"""The clients of a store with their figures (interactions, last contact, open steps)."""


from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ilog.model import ClientSummary, Progress
from ilog.store.layout import Store

if TYPE_CHECKING:
    from ilog.derived.clientcache import Summary


CLIENT_SORTS = ("last", "name", "open")


def client_summaries(store: Store, *, sort: str = "last", cold_days: int | None = None,
            today: date | None = None, progress: Progress | None = None) -> list[ClientSummary]:
    """Every client with its number of records, last contact, and open and overdue next
    steps (from the client cache); ``cold_days`` keeps those not contacted for longer."""
    from ilog.derived.clientcache import summaries

    today = today or date.today()
    result = [_client_summary(summary, today)
              for summary in summaries(store, progress=progress)]
    if cold_days is not None:
        result = [s for s in result if s.last_contact is None
                  or (today - s.last_contact).days > cold_days]
    keys = {"name": lambda s: s.client.name.casefold(),
            "last": lambda s: (-(s.last_contact or date.min).toordinal(), s.client.slug),
            "open": lambda s: (-s.open_steps, -s.overdue_steps, s.client.slug)}
    return sorted(result, key=keys[sort])


def _client_summary(summary: Summary, today: date) -> ClientSummary:
    return ClientSummary(summary.client, summary.records, summary.last_contact,
                         len(summary.open), sum(1 for s in summary.open if s.overdue(today)))



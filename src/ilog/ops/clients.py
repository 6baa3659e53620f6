"""The clients of a store with their figures (interactions, last contact, open steps), and
their mail domains."""


from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ilog.derived.clientcache import summaries
from ilog.errors import UsageError
from ilog.fileformat.maildomains import ascii_domain
from ilog.model import Client, ClientSummary, Progress
from ilog.store.layout import Store
from ilog.store.profiles import resolve_client, set_domains

if TYPE_CHECKING:
    from ilog.derived.clientcache import Summary


CLIENT_SORTS = ("last", "name", "open")


def client_summaries(store: Store, *, sort: str = "last", cold_days: int | None = None,
            today: date | None = None, progress: Progress | None = None) -> list[ClientSummary]:
    """Every client with its number of records, last contact, and open and overdue next
    steps (from the client cache); ``cold_days`` keeps those not contacted for longer.
    Writes only derived data, as actions.list_actions."""
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


def domain_name(text: str) -> str:
    """A mail domain as a user types it (``@Acme.Example``) in the form profiles keep
    (``acme.example``; an internationalized one in its ASCII form); UsageError if it is
    none."""
    domain = ascii_domain(text)
    if not domain:
        raise UsageError(f"{text!r} is not a mail domain; give one such as acme.example")
    return domain


def change_domains(store: Store, name: str, add: list[str], remove: list[str]) -> Client:
    """The client ``name`` means with ``add`` added to its mail domains and ``remove``
    taken off (its profile is rewritten only if that changes them; domains a hand-edited
    profile wrote as ``Acme.Example`` are compared, and kept, in the form ilog writes)."""
    client = resolve_client(store, name)
    wanted = [domain_name(d) for d in add]
    gone = {domain_name(d) for d in remove}
    kept = [ascii_domain(d) for d in client.domains]  # as a hand-edited profile wrote them
    unknown = gone - set(kept)
    if unknown:
        raise UsageError(f"{client.slug} has no mail domain {min(unknown)}")
    domains = [d for d in dict.fromkeys([*kept, *wanted]) if d not in gone]
    if domains == client.domains:
        return client
    return set_domains(store, client.slug, domains)

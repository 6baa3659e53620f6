"""Shell completion from the store: client names, record ids, next-step ids, record types.

Completers read the store named by ``--store`` on the command line being completed, else the
one ilog would use; they never create a store and never fail (a broken store completes
nothing). Each candidate carries a description, which zsh and fish show. Every command
module imports this one, so a completer imports what it reads when it runs, not before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ilog.store.layout import Store

#: At most this many candidates (a shell cannot show 100,000 ids usefully).
MAX_CANDIDATES = 50
Candidates = list[tuple[str, str]]


def _store(ctx: Any) -> Store | None:
    from ilog.cli.early import environment_settings  # when completing (see above)
    from ilog.store.layout import Store
    from ilog.store.locate import existing_root

    chosen = ctx.find_root().params.get("store") if ctx is not None else None
    settings = environment_settings()
    root = existing_root(str(chosen) if chosen else None, settings)
    return Store(root, settings=settings) if root is not None else None


def _safely(find: Any, ctx: Any, incomplete: str) -> Candidates:
    try:
        store = _store(ctx)
        return find(store, incomplete.strip().lower())[:MAX_CANDIDATES] if store else []
    except Exception:  # noqa: BLE001 - completion must never break the shell
        return []


def complete_clients(ctx: Any, incomplete: str) -> Candidates:
    """Client slugs (described by their names), for CLIENT arguments and --client."""
    from ilog.store.profiles import load_clients  # when completing

    def find(store: Store, prefix: str) -> Candidates:
        return [(c.slug, c.name) for c in load_clients(store) if c.slug.startswith(prefix)]

    return _safely(find, ctx, incomplete)


def complete_records(ctx: Any, incomplete: str) -> Candidates:
    """Short record ids (newest first), described by date, title and client; from file names,
    so nothing is parsed."""
    from ilog.store.layout import short_id_of  # when completing

    def find(store: Store, prefix: str) -> Candidates:
        found = [(name, folder) for folder, name in store.record_files()
                 if short_id_of(name).startswith(prefix)]
        found.sort(key=lambda item: item[0][:10], reverse=True)
        return [(short_id_of(name), _described(name, folder)) for name, folder in found]

    return _safely(find, ctx, incomplete)


def _described(name: str, folder: str) -> str:
    from ilog.store.layout import short_id_of  # when completing

    title = name[11:-len(short_id_of(name)) - 4].replace("-", " ")
    return f"{name[:10]} {title} ({Path(folder).parent.name})"


def complete_open_steps(ctx: Any, incomplete: str) -> Candidates:
    """Ids of open next steps, soonest due first (for ``done`` and ``step``)."""
    return _safely(lambda store, prefix: _steps(store, prefix, done=False), ctx, incomplete)


def complete_done_steps(ctx: Any, incomplete: str) -> Candidates:
    """Ids of closed next steps, done or dropped (for ``reopen``)."""
    return _safely(lambda store, prefix: _steps(store, prefix, done=True), ctx, incomplete)


def _steps(store: Store, prefix: str, *, done: bool) -> Candidates:
    from ilog.ops.actions import ActionFilter, list_actions  # when completing

    found = list_actions(store, ActionFilter(include_done=done))
    return [(a.step.id, f"{a.step.text} ({a.client}{f', due {a.due_day}' if a.due_day else ''})")
            for a in found if a.step.id.startswith(prefix) and (a.closed is not None) == done]


def complete_types(ctx: Any, incomplete: str) -> Candidates:
    """Record types: the packaged templates and the store's own."""
    from ilog.store.templates import load_templates  # when completing

    def find(store: Store, prefix: str) -> Candidates:
        return [(name, template.description) for name, template
                in load_templates(store.root).items() if name.startswith(prefix)]

    return _safely(find, ctx, incomplete)


"""What the entry point does before typer is imported: the user's settings from this
process's environment (the only place that reads it for the core), and the store's listing
started at once for a command that looks at every client, so that find runs on other cores
while typer and the command's modules are imported (~100 ms at 100k records:
docs/benchmarks.md, "One parser"). No typer here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ilog.cli import registry

if TYPE_CHECKING:
    from ilog.derived.listing import Prefetch
    from ilog.store.usersettings import Settings

#: The global option that takes a value (cli/app.py, ``global_options``).
STORE_OPTIONS = ("--store", "-S")


def environment_settings() -> Settings:
    """The user's settings as this process's environment says (store/usersettings.py)."""
    from ilog.store.usersettings import from_environment  # not at --help's start-up

    return from_environment(os.environ, Path.home())


def listing_ahead(argv: list[str]) -> tuple[Settings, Prefetch] | None:
    """The store's listing, started now if ``argv`` names a command that looks at every
    client (registry.py), with the settings that found the store. A glance at the words,
    not a parse: typer parses them after, and the session keeps the listing only if the
    command it parsed looks at every client and its store is the one listed
    (Session.list_ahead, Session.store); whoever starts it closes it."""
    explicit, words = _glance(argv)
    declared = registry.find(words[:2]) or registry.find(words[:1])
    if declared is None or not declared.prefetch:
        return None  # nothing read: --help's start-up stays lean
    from ilog.derived.listing import Prefetch  # only for a command that lists the store
    from ilog.store.locate import existing_root

    settings = environment_settings()
    root = existing_root(explicit, settings)
    return (settings, Prefetch(root)) if root is not None else None


def _glance(argv: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """The ``--store`` given, if any, and the first words that are not options."""
    explicit, words, rest = None, [], iter(argv)
    for word in rest:
        if word == "--":
            break
        if word in STORE_OPTIONS:
            explicit = next(rest, None)
        elif word.startswith("--store="):
            explicit = word.partition("=")[2]
        elif word.startswith("-S"):
            explicit = word[2:]
        elif not word.startswith("-"):
            words.append(word)
    return explicit, tuple(words)

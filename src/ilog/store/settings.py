"""The store's settings, ``ilog.toml`` (the user's own are in usersettings.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ilog.errors import FormatError
from ilog.store.reading import read_file

STORE_FILE = "ilog.toml"

DEFAULT_STORE_TOML = """\
# ilog store settings. See docs/configuration.md.
[store]
name = "{name}"

# How long records are kept before 'ilog purge' may delete them ("7y", "18mo", "90d", or
# "never"); a client's profile may say otherwise with 'retention: 10y'.
# [retention]
# default = "7y"

# Extra required fields per record type, on top of what the templates require:
# [types.support]
# required = ["case"]
"""


@dataclass
class StoreConfig:
    """What ``ilog.toml`` says."""

    name: str = ""
    required: dict[str, list[str]] = field(default_factory=dict)
    #: What every next step of a type must have (``[types.TYPE] steps_require``): of STEP_NEEDS.
    steps_require: dict[str, list[str]] = field(default_factory=dict)
    #: How long records are kept ("7y", "18mo", "90d"; "" or "never": for ever: keeping.py).
    retention: str = ""
    #: The language words are stemmed in for search (a code of SEARCH_LANGUAGES).
    language: str = "en"
    #: ``[sync] auto``: every write is committed at once and synced in the background.
    sync_auto: bool = False


#: What a store may require of every next step.
STEP_NEEDS = ("owner", "due")

#: The languages Whoosh stems (its Snowball stemmers), by name and code.
SEARCH_LANGUAGES = {
    "arabic": "ar", "danish": "da", "dutch": "nl", "english": "en", "finnish": "fi",
    "french": "fr", "german": "de", "hungarian": "hu", "italian": "it", "norwegian": "no",
    "portuguese": "pt", "romanian": "ro", "russian": "ru", "spanish": "es", "swedish": "sv",
}


def load_store_config(root: Path) -> StoreConfig:
    """Read ``ROOT/ilog.toml`` (a missing file means defaults)."""
    path = root / STORE_FILE
    raw = read_toml(path, untrusted=True)
    types = raw.get("types", {})
    required, steps_require = {}, {}
    for name, settings in types.items() if isinstance(types, dict) else ():
        value = settings.get("required", []) if isinstance(settings, dict) else None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FormatError("must be a list of field names", path=str(path),
                              field=f"types.{name}.required")
        required[name] = value
        needs = settings.get("steps_require", [])
        if not isinstance(needs, list) or not all(n in STEP_NEEDS for n in needs):
            raise FormatError(f"must be a list of {' and '.join(repr(n) for n in STEP_NEEDS)}",
                              path=str(path), field=f"types.{name}.steps_require")
        steps_require[name] = needs
    store, retention = _table(raw, "store", path), _table(raw, "retention", path)
    auto = _table(raw, "sync", path).get("auto", False)
    if not isinstance(auto, bool):
        raise FormatError("must be true or false", path=str(path), field="sync.auto")
    return StoreConfig(name=str(store.get("name", "")), required=required,
                       steps_require=steps_require,
                       retention=str(retention.get("default", "")),
                       language=_language(_table(raw, "search", path), path), sync_auto=auto)


def _language(search: dict[str, Any], path: Path) -> str:
    """``[search] language``: a name or code of SEARCH_LANGUAGES (English if unset)."""
    given = search.get("language", "english")
    wanted = given.strip().lower() if isinstance(given, str) else ""
    if wanted in SEARCH_LANGUAGES.values():
        return wanted
    if wanted in SEARCH_LANGUAGES:
        return SEARCH_LANGUAGES[wanted]
    raise FormatError(f"{given!r} is no language ilog can stem; use one of "
                      f"{', '.join(SEARCH_LANGUAGES)}", path=str(path), field="search.language")


def _table(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    """A table of a TOML file ({} if absent); FormatError if the key holds something else."""
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise FormatError(f"must be a table ([{name}])", path=str(path), field=name)
    return value


def read_toml(path: Path, *, untrusted: bool = False) -> dict[str, Any]:
    """A TOML file's content ({} if there is no such file); FormatError names it.
    ``untrusted``: a file of the store, read as reading.py reads them."""
    try:
        data = read_file(path, str(path)) if untrusted else path.read_bytes()
    except FileNotFoundError:
        return {}
    import tomllib  # ~10 ms: only when there is a file to read

    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FormatError(f"invalid TOML: {exc}", path=str(path)) from None
    except RecursionError:
        raise FormatError("invalid TOML: nested too deeply", path=str(path)) from None

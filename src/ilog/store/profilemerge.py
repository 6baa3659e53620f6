"""A git merge driver for client profiles (``clients/SLUG/client.yaml``): two clones that
created the same client, or changed its profile at once, merge without a conflict.

Lists (aliases, contacts, tags, domains and any other list) become the union of both sides,
ours first, each entry once. A text field both sides set differently keeps ours; for the
name, theirs becomes an alias, so nobody's way of naming the client is lost. A field only one
side changed since the common version takes that side's value (and one removed is removed).
``ilog sync`` registers the driver in the clone's git config (it names this Python) and
``.gitattributes`` routes profiles to it; a clone without it merges as git always does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ilog.errors import IlogError
from ilog.fileformat import codec, yamlrules
from ilog.store import atomic
from ilog.store.layout import PROFILE
from ilog.store.profiles import parse_profile

#: The driver's name in ``.gitattributes`` and git config.
DRIVER = "ilog-profile"
ATTRIBUTE = f"clients/*/{PROFILE} merge={DRIVER}"


def merged(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The profile both sides' changes make (see the module's docstring)."""
    result: dict[str, Any] = {}
    for key in [*ours, *(k for k in theirs if k not in ours)]:
        mine, other, was = ours.get(key), theirs.get(key), base.get(key)
        if isinstance(mine, list) or isinstance(other, list):
            result[key] = _union(_as_list(mine), _as_list(other))
        elif key not in theirs:
            if key in base and mine == was:
                continue  # they removed it, we left it alone
            result[key] = mine
        elif key not in ours:
            if key in base and other == was:
                continue  # we removed it, they left it alone
            result[key] = other
        else:
            result[key] = other if mine == was else mine
    if "name" in ours and "name" in theirs and ours["name"] != theirs["name"] \
            and theirs["name"] != base.get("name") and ours["name"] != base.get("name"):
        result["aliases"] = _union(_as_list(result.get("aliases")), [theirs["name"]])
    return result


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    found: list[Any] = []
    for item in [*first, *second]:
        if item not in found:
            found.append(item)
    return found


def merge_files(base: str, ours: str, theirs: str) -> int:
    """The driver git runs (``%O %A %B``): the merge is written to ``ours``; 0 when merged,
    1 (a conflict for git to show) when a side is no profile ilog can read."""
    try:
        fields = [_fields(Path(path)) for path in (base, ours, theirs)]
        result = yamlrules.dump(merged(*fields)).encode("utf-8")
        parse_profile("client", result, PROFILE)  # what is written must read back
    except (IlogError, OSError):
        return 1
    atomic.replace_file(Path(ours), result)
    return 0


def _fields(path: Path) -> dict[str, Any]:
    text = codec.decode_bytes(path.read_bytes(), path.name)
    data, _ = yamlrules.load(text) if text.strip() else ({}, {})
    if not isinstance(data, dict):
        raise IlogError(f"{path.name} is not a mapping of fields")
    return data


if __name__ == "__main__":
    sys.exit(merge_files(*sys.argv[1:4]))

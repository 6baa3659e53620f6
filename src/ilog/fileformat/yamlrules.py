"""Strict, type-preserving YAML for front matter.

Reading: no implicit typing at all. A plain scalar is a string, except ``true``/``false`` (bool)
and ``null``/``~``/nothing (None), so ``NO``, ``12:30``, ``012345`` and ``2026-11-22`` stay
text; the codec turns known fields into dates itself. Duplicate keys, explicit tags, aliases
(no alias bomb can explode), nesting deeper than ``MAX_DEPTH`` and input over ``MAX_BYTES``
are refused with the line they are on.

Writing: keys in the order given, strings quoted whenever any YAML 1.1 reader (GitHub,
Obsidian, PyYAML) would take them for something else, dates in ISO 8601 with a ``T``, long
text on one line and multi-line text as a literal block, so a second write is byte-identical.
"""

from __future__ import annotations

from typing import Any

from ilog.errors import FormatError

MAX_DEPTH = 16
MAX_BYTES = 256 * 1024


def load(text: str, *, line_offset: int = 0) -> tuple[Any, dict[str, int]]:
    """Parse ``text``; return the data and the 1-based line of each top-level key."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise FormatError(f"front matter is larger than {MAX_BYTES // 1024} KiB; "
                          "move long text into the body", line=line_offset + 1)
    from ilog.fileformat import _libyaml  # PyYAML: ~20 ms, only when YAML is read or written

    return _libyaml.load(text, line_offset=line_offset, max_depth=MAX_DEPTH)


def dump(data: dict[str, Any]) -> str:
    """Serialise ``data`` in ilog's canonical YAML (block style, order kept, no folding)."""
    from ilog.fileformat import _libyaml  # PyYAML: ~20 ms, only when YAML is read or written

    return _libyaml.dump(data)

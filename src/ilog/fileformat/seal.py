"""Seals: a SHA-256 over every byte of a record file except the seal line itself.

A sealed record's front matter ends with one line ``seal: sha256:HEX``. To check it (this is
the whole algorithm, also in docs/evidence.md):

1. take the file's bytes;
2. in the front matter (between the first line ``---`` and the next line ``---``), find the one
   line that starts with ``seal:``; it must read ``seal: sha256:`` and 64 lower-case hex digits;
3. remove that line, with its line end, from the bytes;
4. the SHA-256 of what is left, in hex, must equal the 64 digits.

A hash of every byte misses no change, however it parses. A seal only catches naive edits:
whoever changes a file can compute a new seal. Earlier copies (git history, teammates'
clones, remotes) are what make a change evident; ``ilog verify`` compares with them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ilog.model import SealState

KEY = "seal"
PREFIX = "sha256:"
_LINE = re.compile(rb"^seal:.*(?:\n|$)", re.MULTILINE)
_VALUE = re.compile(rb"^seal: sha256:([0-9a-f]{64})\n$")
_FENCE = re.compile(rb"^---[ \t]*$", re.MULTILINE)
_HEX = re.compile(r"^[0-9a-f]{64}$")

@dataclass(frozen=True)
class SealCheck:
    """What a file's seal says: its state, the seal it claims and the hash of its content."""

    state: SealState
    claimed: str = ""
    actual: str = ""
    line: int | None = None


def is_sha256(text: str) -> bool:
    """Whether ``text`` is a SHA-256 as ilog writes one: 64 lower-case hex digits."""
    return bool(_HEX.match(text))


def digest(data: bytes) -> str:
    return PREFIX + hashlib.sha256(data).hexdigest()


def add(data: bytes) -> tuple[bytes, str]:
    """``data`` (a record file without a seal) with its seal line added at the end of the
    front matter, and the seal."""
    span = _front_matter(data)
    if span is None:
        raise ValueError("no front matter to seal")
    seal = digest(data)
    end = span[1]
    return data[:end] + f"{KEY}: {seal}\n".encode() + data[end:], seal


def check(data: bytes) -> SealCheck:
    """The state of the file's seal (model.SealState)."""
    span = _front_matter(data)
    lines = list(_LINE.finditer(data, *span)) if span else []
    if not lines:
        return SealCheck(SealState.NOT_SEALED)
    line = data.count(b"\n", 0, lines[0].start()) + 1
    if len(lines) > 1:
        return SealCheck(SealState.MALFORMED, line=line)
    match = _VALUE.match(lines[0][0])
    if match is None:
        claimed = lines[0][0].decode("utf-8", "replace").strip()
        return SealCheck(SealState.MALFORMED, claimed=claimed, line=line)
    claimed = PREFIX + match[1].decode()
    actual = digest(data[:lines[0].start()] + data[lines[0].end():])
    return SealCheck(SealState.SEALED if claimed == actual else SealState.BROKEN, claimed, actual,
                     line)


def _front_matter(data: bytes) -> tuple[int, int] | None:
    """(start, end) of the front matter's lines: after the opening ``---`` line, up to the
    start of the closing one."""
    opening = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a BOM is just more bytes
    if not data.startswith(b"---", opening):
        return None
    start = data.find(b"\n") + 1
    if start == 0:
        return None
    closing = _FENCE.search(data, start)
    return (start, closing.start()) if closing else None


def without(data: bytes) -> bytes:
    """``data`` without its seal line (the bytes the seal covers), e.g. to compare versions."""
    span = _front_matter(data)
    line = _LINE.search(data, *span) if span else None
    return data[:line.start()] + data[line.end():] if line else data

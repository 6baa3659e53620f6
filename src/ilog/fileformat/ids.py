"""Random ids: unique across clones with no coordination, readable, case-insensitive.

Not ULIDs: a ULID starts with its timestamp, so the 8-character prefix users see would be the
same for records made in the same minutes. The date is already in the file name and the front
matter; the id only needs to be unique, so all of its 100 bits are random.
"""

from __future__ import annotations

import re

#: Crockford's base32 alphabet in lower case: no i, l, o or u to misread.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECORD_ID_LENGTH = 20
STEP_ID_LENGTH = 12
ID_PATTERN = re.compile(r"^[0-9a-z][0-9a-z_-]{7,63}$")


def new_id(length: int = RECORD_ID_LENGTH) -> str:
    """A random id of ``length`` base32 characters (5 bits each)."""
    import secrets  # hashlib, hmac, random: only when an id is made

    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def is_valid_id(text: str) -> bool:
    return bool(ID_PATTERN.match(text))

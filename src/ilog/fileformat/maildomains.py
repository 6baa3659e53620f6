"""Mail domains in the one form profiles keep and addresses are compared in."""

from __future__ import annotations

import re

_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                     r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def ascii_domain(text: str) -> str:
    """``@Acme.Example`` -> ``acme.example``, ``bücher.example`` -> ``xn--bcher-kva.example``;
    "" if ``text`` is no domain (``*``, ``.``, a bare ``example``)."""
    domain = text.strip().lstrip("@").rstrip(".").lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    return domain if _DOMAIN.match(domain) else ""

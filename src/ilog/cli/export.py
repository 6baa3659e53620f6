"""The export group: audit packs (room for tasks and records next)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from ilog.cli.output import Output
from ilog.cli.params import JSON, Arg, Opt
from ilog.cli.session import Session
from ilog.views.text import counted


def audit(
    session: Session,
    client: Annotated[str, Arg("CLIENT", "The client.", complete="clients")],
    out: Annotated[Path, Opt("--out", "-o", help="A new (or empty) folder for the pack.")],
    report_format: Annotated[Literal["html", "md", "json", "csv"], Opt(
        "--format", "-f", help="The report: html (for people; prints well), md, json or "
        "csv.")] = "html",
    since: Annotated[str, Opt("--since", help="Only interactions on or after this "
                              "day.")] = "",
    until: Annotated[str, Opt("--until", help="Only interactions on or before this "
                              "day.")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Everything about a client in a period, with every version, the completion history, a
    manifest of SHA-256 hashes and seals, the git commit, and how to check it all.

    Examples:

    ilog export audit acme --out ~/acme-audit
    ilog export audit acme --since 2026-01-01 -f md --out ~/acme-2026
    """
    from ilog.cli.values import day_range
    from ilog.evidence import auditpack
    from ilog.exchange.auditformats import RENDERERS

    first, last = day_range(since, until)
    store = session.store()
    pack = auditpack.collect(store, client, since=first, until=last)
    report = auditpack.write(store, pack, out, report_format, RENDERERS[report_format](pack))
    return Output(
        lambda: {"client": pack.client.slug, "interactions": len(pack.interactions),
                 "folder": str(out), "report": report.name, "commit": pack.commit,
                 "files": len(pack.files)},
        lambda screen: screen.say(
            f"Wrote {counted(len(pack.interactions), 'interaction')} of {pack.client.slug} to "
            f"{out}: {report.name}, files/, manifest.json, SHA256SUMS, README.md"),
        done=f"the pack was written to {out}")

"""The export group: audit packs (and room for tasks and records)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.app import app, state
from ilog.cli.completion import complete_clients

export_app = typer.Typer(help="Export what the store holds: an audit pack for a client.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("audit")
def audit(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="The client.",
                                          autocompletion=complete_clients)],
    out: Annotated[Path, typer.Option("--out", "-o", help="A new (or empty) folder for the "
                                      "pack.")],
    report_format: Annotated[str, typer.Option("--format", "-f", help="The report: html "
                                               "(for people; prints well), md, json or "
                                               "csv.")] = "html",
    since: Annotated[str, typer.Option("--since", help="Only interactions on or after this "
                                       "day.")] = "",
    until: Annotated[str, typer.Option("--until", help="Only interactions on or before this "
                                       "day.")] = "",
) -> None:
    """Everything about a client in a period, with every version, the completion history, a
    manifest of SHA-256 hashes and seals, the git commit, and how to check it all."""
    from ilog.cli.historyrun import day_from
    from ilog.errors import IlogError
    from ilog.evidence import auditpack as packs
    from ilog.exchange.auditformats import RENDERERS

    if report_format not in RENDERERS:
        raise IlogError(f"--format {report_format!r}: use one of {', '.join(RENDERERS)}")
    store = state(ctx).store()
    pack = packs.collect(store, client, since=day_from(since, "--since"),
                         until=day_from(until, "--until"))
    report = packs.write(store, pack, out, report_format, RENDERERS[report_format](pack))
    typer.echo(f"Wrote {len(pack.interactions)} interaction(s) of {pack.client.slug} to "
               f"{out}: {report.name}, files/, manifest.json, SHA256SUMS, README.md")

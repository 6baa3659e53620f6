"""The command to run before a meeting: history."""

from __future__ import annotations

from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, state
from ilog.cli.completion import complete_clients, complete_types

Many = list[str] | None


@app.command()
def history(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="Client name, alias or "
                                          "unique prefix.", autocompletion=complete_clients)],
    full: Annotated[bool, typer.Option("--full", help="Add each record's notes "
                                       "(body).")] = False,
    since: Annotated[str, typer.Option("--since", help="Only interactions on or after this "
                                       "day: ISO 8601 or words ('last month').")] = "",
    until: Annotated[str, typer.Option("--until", help="Only interactions on or before this "
                                       "day.")] = "",
    type_: Annotated[Many, typer.Option("--type", "-t", help="Only this record type; repeat "
                                        "for several.", autocompletion=complete_types)] = None,
    case: Annotated[str, typer.Option("--case", help="Only this case or matter.")] = "",
    tag: Annotated[Many, typer.Option("--tag", help="Only records with this tag; repeat to "
                                      "require several.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-l", min=1, help="Only the newest "
                                              "N that match.")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Oldest first (after "
                                          "--limit, as in git log).")] = False,
    as_json: JsonOption = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="A Markdown briefing to "
                                              "paste into an agenda or an e-mail.")] = False,
) -> None:
    """What happened with a client and what is still open: a briefing (contacts, last
    contact, open next steps, recent decisions), then every interaction, newest first."""
    from ilog.historycli import HistoryArgs, run

    run(state(ctx).store_path, HistoryArgs(
        client=client, full=full, since=since, until=until, type_=type_ or [], case=case,
        tag=tag or [], limit=limit, reverse=reverse, as_json=as_json, as_markdown=as_markdown,
        no_color=state(ctx).no_color, no_pager=state(ctx).no_pager))

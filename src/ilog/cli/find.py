"""Commands of the search index: search, reindex."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, state
from ilog.cli.completion import complete_clients

if TYPE_CHECKING:
    from ilog.ops.search import Refresh

SORTS = ("auto", "relevance", "date")


@app.command()
def search(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words, \"phrases\", "
                                               "field:value (see docs/search.md).")],
    sort: Annotated[str, typer.Option("--sort", help="relevance, date, or auto (best first "
                                      "when you searched for words, else newest).")] = "auto",
    limit: Annotated[int, typer.Option("--limit", "-l", min=1, help="At most this many "
                                       "results.")] = 20,
    client: Annotated[str, typer.Option("--client", "-c", help="Only this client.",
                                        autocompletion=complete_clients)] = "",
    since: Annotated[str, typer.Option("--since", help="Only on or after this date.")] = "",
    until: Annotated[str, typer.Option("--until", help="Only on or before this date.")] = "",
    paths: Annotated[bool, typer.Option("--paths", help="Print only the paths, one a "
                                        "line.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Search every record; the index catches up with the files first."""
    from ilog.errors import QueryError
    from ilog.ops import search as searching
    if sort not in SORTS:
        raise QueryError(f"--sort {sort!r}: use one of {', '.join(SORTS)}")
    with progress(ctx, "Indexing records") as advance:
        result = searching.search(state(ctx).store(), " ".join(words), limit=limit, sort=sort,
                                  client=client, since=since, until=until, progress=advance)
    _warn(ctx, result.refresh)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views.jsonshapes import hit_as_data

        print_json([hit_as_data(hit) for hit in result.hits])
    elif paths:
        for hit in result.hits:
            typer.echo(hit.path)
    else:
        from ilog.cli.render import search_results

        state(ctx).out().print(search_results(result.hits, result.total))


@app.command()
def reindex(
    ctx: typer.Context,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but "
                                        "errors.")] = False,
) -> None:
    """Rebuild the search index from the files (it is also rebuilt when needed)."""
    import time

    from ilog.ops import search as searching
    started = time.perf_counter()
    with progress(ctx, "Indexing records", enabled=not quiet) as advance:
        result = searching.reindex(state(ctx).store(), progress=advance)
    _warn(ctx, result)
    if not quiet:
        typer.echo(f"indexed {result.added} record(s) in {time.perf_counter() - started:.1f} s",
                   err=True)


def _warn(ctx: typer.Context, refresh: Refresh) -> None:
    if refresh.warning:
        typer.echo(f"ilog: warning: {refresh.warning}", err=True)
    if refresh.problems:
        files = len({p.path for p in refresh.problems})
        typer.echo(f"ilog: warning: {files} record file(s) could not be read and are not "
                   "searchable; 'ilog check' lists why", err=True)

"""Commands of the search index: search, reindex."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ilog.cli.output import Output, Screen
from ilog.cli.params import JSON, ONLY_CLIENT
from ilog.cli.session import Session
from ilog.views.text import counted

if TYPE_CHECKING:
    from ilog.ops.search import Refresh


def search(
    session: Session,
    words: Annotated[list[str] | None, typer.Argument(
        metavar="QUERY", help="Words, \"phrases\", field:value, -word to exclude (see "
        "docs/search.md); none: every record.", show_default=False)] = None,
    sort: Annotated[Literal["auto", "relevance", "date"], typer.Option(
        "--sort", help="relevance, date, or auto (best first when you searched for words, else "
        "newest).")] = "auto",
    limit: Annotated[int, typer.Option(
        "--limit", "-l", min=1, help="At most this many results.")] = 20,
    client: Annotated[str, ONLY_CLIENT] = "",
    since: Annotated[str, typer.Option("--since", help="Only on or after this date.")] = "",
    until: Annotated[str, typer.Option("--until", help="Only on or before this date.")] = "",
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="Also earlier versions of amended records, and withdrawn ones (by "
        "default each interaction answers with its latest version).")] = False,
    paths: Annotated[bool, typer.Option(
        "--paths", help="Print only the paths, one a line.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Search every record; the index catches up with the files first.

    Words must all match (stemmed: renewal finds renew); "a phrase"; renew* (prefix);
    refund~ (a letter off); a OR b; -word or NOT word excludes; fields: title, client, type,
    tag, participant, author, owner, case, ref, decision, step, date, due, status, id;
    dates in words: date:>"last month", date:[2026-06-01 to today], due:<today. Nothing, or
    *, lists every record. More: docs/search.md.

    Examples:

    ilog search invoice dispute
    ilog search 'client:acme type:call date:>"last month"'
    ilog search 'owner:bob status:overdue -tag:internal' --sort date
    """
    from ilog.cli.values import one_of
    from ilog.ops.search import search as find

    one_of({"--paths": paths, "--json": as_json})
    with session.progress("Indexing records") as advance:
        result = find(session.store(), " ".join(words or []), limit=limit, sort=sort,
                      client=client, since=since, until=until, all_versions=all_versions,
                      progress=advance)
    _warn(result.refresh)
    if result.build_index:
        from ilog.cli import background
        from ilog.ops.search import build_command

        background.start(build_command(session.store().root))

    def data() -> object:
        from ilog.views.jsonshapes import hit_as_data

        return [hit_as_data(hit) for hit in result.hits]

    def text(screen: Screen) -> None:
        if paths:
            if result.hits:
                screen.say("\n".join(hit.path for hit in result.hits))
            return
        from ilog.cli.render import search_results

        screen.session.out().print(search_results(result.hits, result.total, exact=result.exact))

    return Output(data, text)


def reindex(
    session: Session,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Rebuild the search index from the files (it is also rebuilt when needed).

    Examples:

    ilog reindex
    """
    import time

    from ilog.ops.search import reindex as rebuild

    started = time.perf_counter()
    with session.progress("Indexing records", enabled=not quiet) as advance:
        result = rebuild(session.store(), progress=advance)
    seconds = time.perf_counter() - started
    _warn(result)

    def data() -> object:
        return {"indexed": result.added, "unreadable": len({p.path for p in result.problems}),
                "seconds": round(seconds, 3)}

    def text(screen: Screen) -> None:
        if not quiet:
            screen.note(f"indexed {counted(result.added, 'record')} in {seconds:.1f} s")

    return Output(data, text)


def _warn(refresh: Refresh) -> None:
    import sys

    if refresh.warning:
        sys.stderr.write(f"ilog: warning: {refresh.warning}\n")
    if refresh.problems:
        files = len({p.path for p in refresh.problems})
        sys.stderr.write(f"ilog: warning: {counted(files, 'record file')} could not be read, "
                         "not searchable; 'ilog check' lists why\n")

"""Commands about the store itself: init, where, clients, templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, state

templates_app = typer.Typer(help="List the record types and their templates.",
                            invoke_without_command=True)
app.add_typer(templates_app, name="templates")


@app.command()
def init(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH",
                                          help="Folder of the new store.")] = Path("."),
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run 'git init'.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Create a store (harmless if it exists: no file is ever overwritten)."""
    from ilog.store.locate import init_store

    created = init_store(path, git=not no_git)
    if as_json:
        from ilog.cli.output import print_json

        print_json({"store": str(path.resolve()), "created": created})
        return
    if created:
        typer.echo(f"Initialised ilog store in {path.resolve()} ({', '.join(created)})")
    else:
        typer.echo(f"{path.resolve()} is already an ilog store; nothing changed")


@app.command()
def where(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Print which store is in use, and why."""
    store = state(ctx).store()
    if as_json:
        from ilog.cli.output import print_json

        print_json({"store": str(store.root), "reason": store.reason})
        return
    typer.echo(f"{store.root}  ({store.reason})")


@app.command()
def clients(
    ctx: typer.Context,
    sort: Annotated[str, typer.Option("--sort", help="last (most recent contact first), "
                                      "name, or open (most open next steps first).")] = "last",
    cold: Annotated[str, typer.Option("--cold", help="Only clients not contacted for longer "
                                      "than this, e.g. 90d or 12w.")] = "",
    as_json: JsonOption = False,
) -> None:
    """List clients: interactions, last contact, open and overdue next steps."""
    from ilog.cli.meeting import days
    from ilog.errors import IlogError
    from ilog.ops.clients import CLIENT_SORTS, client_summaries

    if sort not in CLIENT_SORTS:
        raise IlogError(f"--sort {sort!r}: use one of {', '.join(CLIENT_SORTS)}")
    with progress(ctx, "Reading clients") as advance:
        summaries = client_summaries(state(ctx).store(), sort=sort, progress=advance,
                                    cold_days=days(cold, "--cold") if cold else None)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views import jsonshapes

        print_json([jsonshapes.client_summary_as_data(s) for s in summaries])
        return
    from ilog.cli.render import clients_table

    if not summaries:
        typer.echo("No clients yet: record one with 'ilog new CLIENT --new-client'", err=True)
        return
    state(ctx).out().print(clients_table(summaries))


@templates_app.callback()
def templates_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List record types: what each requires and where its template comes from."""
    if ctx.invoked_subcommand:
        return
    from ilog.store.templates import load_templates

    found = load_templates(_store_root(ctx))
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views import jsonshapes

        print_json([jsonshapes.template_as_data(t) for t in found.values()])
        return
    from ilog.cli.render import templates_table

    state(ctx).out().print(templates_table(found))


@templates_app.command("show")
def templates_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="TYPE", help="A record type, e.g. call.")],
    as_json: JsonOption = False,
) -> None:
    """Print one template as it is on disk."""
    from ilog.store.templates import get_template, load_templates

    template = get_template(load_templates(_store_root(ctx)), name)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views import jsonshapes

        print_json(jsonshapes.template_as_data(template))
        return
    typer.echo(template.text, nl=False)


def _store_root(ctx: typer.Context) -> Path | None:
    """The store's root if there is one; templates still list without."""
    from ilog.errors import StoreError

    try:
        return state(ctx).store().root
    except StoreError:
        return None

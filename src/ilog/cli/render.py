"""Rich renderables and the JSON renderer shared by the commands (the only place besides
``ilog.cli`` that knows rich)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ilog.model import TAMPERED_NOTE, ClientSummary, Progress, Record, TrackedStep
from ilog.views.record import attachment_lines, fact_rows
from ilog.views.text import visible, when_text

if TYPE_CHECKING:
    from ilog.store.templates import Template
    from ilog.views.text import Line


class _Console(Console):
    """rich's console, leaving a closed pipe to cli/exits.py like every other write."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def console(*, no_color: bool = False, stderr: bool = False) -> Console:
    """A console that honours NO_COLOR, ``--no-color`` and plain output when piped (no
    colour, and no line breaks of its own, so that lines stay whole for grep and friends)."""
    made = _Console(no_color=no_color or None, stderr=stderr, highlight=False)
    made.soft_wrap = not made.is_terminal
    return made


#: Work that ends sooner shows no progress bar (a bar that flashes is noise).
PROGRESS_DELAY = 0.5


@contextmanager
def progress_bar(err: Console, label: str) -> Iterator[Progress]:
    """A progress bar with an ETA on stderr (silent when stderr is not a terminal, and for
    work done within PROGRESS_DELAY); yields the ``progress(done, total, stage)`` callback the
    core calls. A stage of unknown size (total 0) pulses, with the time spent, and shows up
    after the delay even if the core says nothing more until it ends."""
    if not err.is_terminal:
        yield lambda _done, _total, _stage="": None
        return
    import threading  # only for a progress bar on a terminal

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn(), TimeElapsedColumn())
    bar = Bar(*columns, console=err, transient=True)
    lock = threading.Lock()
    latest: dict[str, Any] = {"description": label, "completed": 0, "total": None}
    shown: list[Any] = []  # the bar's task, once the bar is up

    def show() -> None:
        with lock:
            if not shown:
                bar.start()
                shown.append(bar.add_task(latest["description"], total=latest["total"]))
            bar.update(shown[0], **latest)

    timer = threading.Timer(PROGRESS_DELAY, show)
    timer.daemon = True
    timer.start()

    def advance(done: int, total: int, stage: str = "") -> None:
        latest.update(completed=done, total=total or None)
        if stage:
            latest["description"] = stage
        if shown:
            with lock:
                bar.update(shown[0], **latest)

    try:
        yield advance
    finally:
        timer.cancel()
        with lock:
            if shown:
                bar.stop()


def record_view(record: Record, steps: list[TrackedStep] | None = None) -> Panel:
    """One record, readably: heading, people, decisions, next steps (``steps`` say which
    are done), fields, body."""
    head = Text.assemble((visible(record.title or f"({record.type})"), "bold"), "\n",
                         (visible(f"{when_text(record.date)} · {record.type} · "
                                  f"{record.client} · {record.short_id}"), "dim"))
    parts: list[Any] = [head]
    parts += _section("Participants", record.participants)
    parts += _section("Decisions", record.decisions, none="decisions" in record.explicit_none)
    if record.next_steps or "next_steps" in record.explicit_none:
        parts += [Text("\nNext steps", style="bold"), _steps_table(record, steps or [])]
    parts += _section("Attachments", attachment_lines(record))
    facts = _facts(record)
    if facts:
        parts += [Text(""), facts]
    if record.body:
        from rich.markdown import Markdown  # 45 ms of imports: only when there is a body

        parts += [Text(""), Markdown(visible(record.body))]
    return Panel(Group(*parts), title=Text(visible(str(record.path or ""))), title_align="left",
                 border_style="blue")


def add_row(table: Table, *cells: str | Text) -> None:
    """A table row whose text is shown as it is: a plain string given to rich is read as
    markup, and ``[/]`` in a step or a name would break the output."""
    table.add_row(*(cell if isinstance(cell, Text) else Text(visible(cell)) for cell in cells))


def notice(text: str) -> Text:
    """A line to print above a record (an amendment's note: user text, never markup)."""
    return Text(visible(text), style="yellow")


def _section(title: str, items: list[str], *, none: bool = False) -> list[Any]:
    if not items and not none:
        return []
    lines = "\n".join(f"• {visible(item)}" for item in items) if items else "none"
    return [Text(f"\n{title}", style="bold"), Text(lines)]


def _steps_table(record: Record, steps: list[TrackedStep]) -> Any:
    from ilog.views.record import step_state  # only for a record's steps

    if not record.next_steps:
        return Text("none")
    table = Table(box=None, show_header=True, pad_edge=False)
    for column in ("id", "step", "owner", "due", "state"):
        table.add_column(column, style="dim" if column == "id" else None)
    for step in record.next_steps:
        add_row(table, step.id[:8], step.text, step.owner or "-", when_text(step.due),
                step_state(step, steps) or "open")
    return table


def _facts(record: Record) -> Table | None:
    rows = [(k, v) for k, v in fact_rows(record) if v]
    if not rows:
        return None
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="dim")
    table.add_column()
    for key, value in rows:
        add_row(table, key, value)
    return table


def clients_table(summaries: list[ClientSummary]) -> Table:
    table = Table(title=None, box=None, header_style="bold")
    for column in ("client", "name", "records", "last contact", "open", "overdue"):
        table.add_column(column, justify="left" if column in ("client", "name", "last contact")
                         else "right")
    for item in summaries:
        overdue = Text(str(item.overdue_steps), style="red" if item.overdue_steps else "")
        add_row(table, item.client.slug, item.client.name, str(item.interactions),
                      when_text(item.last_contact), str(item.open_steps), overdue)
    return table


def search_results(hits: list[Any], total: int, *, exact: bool = True) -> Group:
    """Search hits: a heading line each, then the snippet with the matches highlighted;
    ``exact``: whether ``total`` is a count or Whoosh's estimate ("about")."""
    if not hits:
        return Group(Text("No matches.", style="dim"))
    parts: list[Any] = []
    for hit in hits:
        short = hit.id[:8]
        parts.append(Text.assemble((hit.date[:16].replace("T", " "), "cyan"), "  ",
                                   (visible(hit.client), "green"), "  ",
                                   (visible(hit.type), "magenta"), "  ",
                                   (visible(hit.title or hit.first_line or f"({hit.type})"),
                                    "bold"), "  ",
                                   (short, "dim"), (_version_note(hit), "yellow"),
                                   (f"  {TAMPERED_NOTE}" if hit.tampered else "", "bold red")))
        if hit.snippet:
            parts.append(_marked(hit.snippet))
        parts.append(Text(""))
    about = "" if exact else "about "
    more = f"{len(hits)} of {about}{total} matches" if total > len(hits) else \
        f"{len(hits)} match{'es' if len(hits) != 1 else ''}"
    parts.append(Text(more, style="dim"))
    return Group(*parts)


def _version_note(hit: Any) -> str:
    """How a hit stands among the versions of its interaction ("" for a lone version)."""
    if hit.superseded_by:
        newer = hit.superseded_by[0][:8]
        note = f"  version {hit.version} of {hit.versions}, superseded by {newer}"
    elif hit.versions > 1:
        note = f"  amended (version {hit.version} of {hit.versions})"
    else:
        note = ""
    return f"{note}  withdrawn" if hit.withdrawn else note


def _marked(snippet: str) -> Text:
    """``a **b** c`` with b highlighted."""
    text = Text("    ")
    for number, piece in enumerate(snippet.split("**")):
        text.append(visible(piece), style="bold yellow" if number % 2 else None)
    return text


def templates_table(templates: dict[str, Template]) -> Table:
    table = Table(box=None, header_style="bold")
    for column in ("type", "requires", "description", "source"):
        table.add_column(column)
    for name, template in templates.items():
        add_row(table, name, ", ".join(template.all_required()), template.description,
                      template.source)
    return table


def styled(lines: list[Line]) -> Text:
    """Lines of (text, style) pieces as one rich Text (one renderable, not thousands)."""
    text = Text()
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        for piece, style in line:
            text.append(visible(piece), style=style)
    return text


def cut(lines: list[Line]) -> Text:
    """Lines as one Text whose lines are cut to the width with an ellipsis (for tables)."""
    text = styled(lines)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def hanging(lines: list[Line], out: Console) -> Text:
    """Lines as one Text; a line wider than ``out`` wraps under its value (after its leading
    key, such as ``    decided    ``, or its leading spaces), so rich wraps nothing."""
    text = Text(no_wrap=True)
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        if cell_len("".join(piece for piece, _ in line)) > out.width:
            row = Text.assemble(*((visible(piece), style or "") for piece, style in line))
            text.append_text(_hanging(row, out, _indent(line)))
            continue
        for piece, style in line:
            text.append(visible(piece), style=style)
    return text


def _indent(line: Line) -> int:
    first = line[0][0] if line else ""
    padded_key = first.startswith(" ") and first.endswith(" ")
    return len(first) if padded_key else len(first) - len(first.lstrip(" "))


def _hanging(row: Text, out: Console, indent: int) -> Text:
    indent = indent if indent < out.width // 2 else 0
    wrapped = Text()
    for number, part in enumerate(row[indent:].wrap(out, out.width - indent)):
        wrapped.append_text(row[:indent] if number == 0 else Text("\n" + " " * indent))
        wrapped.append_text(part)
    return wrapped


def history_view(briefing: list[Line], rest: list[Line], out: Console) -> Group:
    """The briefing in a panel titled with the client's name (a summary: its lines are cut
    to the width, everything is in full in the timeline), then the timeline."""
    return Group(Panel(cut(briefing[1:]), title=styled(briefing[:1]), title_align="left",
                       border_style="blue"), hanging(rest, out))

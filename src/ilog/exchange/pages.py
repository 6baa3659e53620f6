"""HTML from templates, for every HTML ilog writes (the audit pack's report now): Jinja2 with
autoescaping on, so a value from a record is escaped by the engine, never by hand. The
templates are ``exchange/templates/*.html``; a Markdown body is rendered by markdown-it with
raw HTML off, and only that comes in as markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup


def render(template: str, *, helpers: dict[str, Callable[..., Any]],
           filters: dict[str, Callable[..., Any]] | None = None, **values: Any) -> str:
    """``templates/TEMPLATE`` with ``values``; ``helpers`` are functions the template calls,
    ``filters`` its own filters."""
    import jinja2  # only for HTML output

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("ilog.exchange", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined)
    environment.filters.update(filters or {})
    return environment.get_template(template).render(**helpers, **values)


def markdown(text: str) -> Markup:
    """A record's notes (Markdown) as HTML; raw HTML in them is shown as text."""
    from markdown_it import MarkdownIt  # only for HTML output

    return Markup(MarkdownIt("commonmark", {"html": False}).render(text))  # noqa: S704 - markdown-it escapes

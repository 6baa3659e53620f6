"""Getting data out of (and, later, into) ilog in other formats: the audit pack's reports
(HTML, Markdown, JSON, CSV) now; importers and exporters of e-mail, tasks and records next.

May import every core layer and ``ilog.views`` (for the shared JSON shapes); never typer or rich.
"""

"""Writing measured tables into docs/benchmarks.md, each script into its own section."""

from __future__ import annotations

import os
import platform
import re
from datetime import date
from pathlib import Path

REPORT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    return (f"{date.today()} on {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}")


def cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return text.replace("|", "\\|")


def write_section(name: str, lines: list[str]) -> None:
    """Replace the text between ``<!-- name -->`` and ``<!-- /name -->`` (or append it)."""
    text = REPORT.read_text() if REPORT.is_file() else "# Benchmarks\n"
    block = f"<!-- {name} -->\n" + "\n".join(lines).rstrip() + f"\n<!-- /{name} -->"
    pattern = re.compile(rf"<!-- {name} -->.*?<!-- /{name} -->", re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else \
        text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text)

"""Writing results: JSON on stdout, and long text through a pager on a terminal.

No typer or rich here (the fast path of historyrun.py uses it): ``show`` takes the rich
console render.py made (both in this package).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from typing import Any


def print_json(data: Any) -> None:
    """Data as JSON on stdout (dates in ISO 8601): indented for a person at a terminal,
    one line for programs (the C encoder: ~5x faster on large outputs)."""
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent,
                                default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def show(out: Any, renderable: Any, *, pager: bool) -> None:
    """Print ``renderable``; on a terminal, through the pager when it is taller than the
    screen (like git: ``$ILOG_PAGER``, ``$PAGER``, else ``less`` with ``LESS=FRX``)."""
    if not (pager and out.is_terminal):
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = captured.get()
    if text.count("\n") < out.size.height - 1:
        sys.stdout.write(text)
    else:
        page(text)


def page(text: str) -> None:
    """Run the pager on ``text``; without one (or with ``cat``), just write it."""
    command = (os.environ.get("ILOG_PAGER") or os.environ.get("PAGER") or "").strip() \
        or _default_pager()
    if command in ("", "cat"):
        sys.stdout.write(text)
        return
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):  # the pager quit early
        process.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        process.stdin.close()
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:  # Ctrl-C is the pager's to handle, as in git
            continue


def _default_pager() -> str:
    return next((name for name in ("less", "more") if shutil.which(name)), "")

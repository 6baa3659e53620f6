"""Long output on a terminal goes through a pager, as git does it: ``$ILOG_PAGER``, then
``$PAGER``, else ``less`` with ``LESS=FRX`` (it quits when the text fits the screen). No rich
import here: ``show`` takes the console render.py made."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from typing import Any


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
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE,  # noqa: S602
                                   env=env)  # $PAGER is a shell command line: git runs it so
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

"""E-mail import benchmark (issue 15): ``ilog import email`` of mbox files of 1,000 to 10,000
messages into a fresh store, as whole processes: messages per second and peak memory (the
process's maximum resident set size), first import and again (every message a duplicate).
Writes the "mail" section of docs/benchmarks.md.

    python benchmarks/mail_bench.py 1000 2000 5000 10000
"""

from __future__ import annotations

import mailbox
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from generate import sentence
from report import machine, write_section
from timing import ILOG


def make_mbox(path: Path, count: int, seed: int = 7) -> int:
    """An mbox of ``count`` messages between us and acme.example: threads of replies, one in
    ten with a 30 KB attachment, one in twenty HTML only. Returns its size in bytes."""
    rng = random.Random(seed)
    box = mailbox.mbox(str(path))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(count):
        message = EmailMessage()
        people = ["Jane Doe <jane@acme.example>", "Bob Smith <bob@consultancy.example>"]
        rng.shuffle(people)
        message["From"], message["To"] = people
        message["Subject"] = sentence(rng, 3, 8)
        message["Date"] = format_datetime(start + timedelta(minutes=97 * number))
        message["Message-ID"] = f"<{number}.{seed}@bench.example>"
        if number % 4:
            earlier = f"<{number - 1}.{seed}@bench.example>"
            message["In-Reply-To"], message["References"] = earlier, earlier
        text = "\n\n".join(sentence(rng, 8, 20) for _ in range(rng.randint(2, 8)))
        if number % 20 == 0:
            message.set_content(f"<html><body><p>{text}</p></body></html>", subtype="html")
        else:
            message.set_content(text + "\n")
        if number % 10 == 0:
            message.add_attachment(rng.randbytes(30_000), maintype="application",
                                   subtype="pdf", filename=f"document {number}.pdf")
        box.add(message)
    box.flush()
    box.close()
    return path.stat().st_size


def run(args: list[str]) -> tuple[float, int]:
    """(seconds, peak resident memory in MiB) of one whole process."""
    begin = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - begin
    if status:
        raise SystemExit(f"{' '.join(args)} failed ({status})")
    return elapsed, usage.ru_maxrss // 1024


def rows(count: int, work: Path) -> dict[str, str]:
    box = work / f"bench-{count}.mbox"
    size = make_mbox(box, count)
    store = work / f"store-{count}"
    base = [ILOG, "--store", str(store)]
    subprocess.run([*base, "init", "--no-git"], check=True, capture_output=True)
    subprocess.run([*base, "new", "Acme", "--new-client", "-t", "note", "--no-edit", "-p", "x",
                    "-m", "y"], check=True, capture_output=True)
    subprocess.run([*base, "client", "domains", "acme", "--add", "acme.example"], check=True,
                   capture_output=True)
    first, first_memory = run([*base, "import", "email", str(box)])
    again, again_memory = run([*base, "import", "email", str(box)])
    shutil.rmtree(store)
    return {"mbox": f"{size / 1024 / 1024:.0f} MiB", "import": f"{first:.1f} s",
            "messages/s": f"{count / first:.0f}", "peak memory": f"{first_memory} MiB",
            "again (all duplicates)": f"{again:.1f} s", "its peak memory": f"{again_memory} MiB"}


def main(sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    try:
        results = {size: rows(size, work) for size in sizes}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    columns = list(results[sizes[0]])
    lines = [
        (f"Measured {machine()} by `python benchmarks/mail_bench.py "
         f"{' '.join(map(str, sizes))}`: `ilog import email MBOX` into a fresh store (not a "
         "git repository) whose client matches by domain, as a whole process; peak memory is "
         "the process's maximum resident set size. One message in ten has a 30 KB "
         "attachment, one in twenty is HTML only; three in four answer the one before."),
        "", "| messages | " + " | ".join(columns) + " |",
        "| ---: | " + " | ".join("---:" for _ in columns) + " |",
    ]
    lines += [f"| {size:,} | " + " | ".join(results[size][c] for c in columns) + " |"
              for size in sizes]
    write_section("mail", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 2000, 5000, 10000])

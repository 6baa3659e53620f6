"""Build a synthetic store of N records (fixed seed, ~200 clients, realistic text).

    python benchmarks/generate.py 10000 benchmarks/stores/10k

As in a store people use, records are sealed, and most next steps that were due a while ago
are done: each has a completion event file (95 % of the steps due more than two weeks ago,
30 % of the later ones).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from ilog.fileformat import codec, ids, seal, yamlrules
from ilog.fileformat.slugs import slugify
from ilog.model import NextStep, Record
from ilog.store.layout import EVENTS, record_file_name
from ilog.store.locate import init_store

#: Bump when what the generator makes changes: stores of another version are made anew.
GENERATOR_VERSION = 3
TODAY = date(2026, 11, 23)

WORDS = [
    "invoice", "renewal", "contract", "budget", "migration", "rollout", "training", "outage",
    "report", "dashboard", "forecast", "pricing", "discount", "scope", "timeline", "risk",
    "approval", "hiring", "warehouse", "audit", "security", "backup", "licence", "support",
    "escalation", "refund", "dispute", "onboarding", "workshop", "roadmap", "integration", "export",
    "import", "payroll", "compliance", "retention", "quote", "delivery"
]
FIRST = [
    "Jane", "Bob", "Alice", "Raj", "Sofia", "Tom", "Klara", "Hank", "Mindy", "Bill", "Milton",
    "Ana", "Lee", "Omar", "Yuki"
]
LAST = [
    "Doe", "Smith", "Chen", "Patel", "Ramos", "Becker", "Müller", "Lee", "Waddams", "Silva", "Kim",
    "Haddad", "Sato"
]
ORGS = [
    "Acme", "Globex", "Initech", "Northwind", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne",
    "Hooli"
]
SUFFIX = ["Corp", "Ltd", "GmbH", "SA", "Inc", "Group", "Partners", "Logistics", "Foods", "Systems"]
TYPES = ("call", "call", "call", "meeting", "meeting", "email", "support", "approval", "note")
OWNERS = ("bob", "alice", "raj", "sofia", "tom")


SYLLABLES = ("ka", "lo", "mi", "ner", "sto", "val", "tren", "dor", "ap", "pel", "ux", "ri", "san",
             "bel", "cor", "da", "fen", "gi", "hul")


def vocabulary(size: int = 6000) -> tuple[list[str], list[float]]:
    """The domain words first (the commonest), then made-up words, with Zipf-Mandelbrot
    frequencies (the n-th word is as common as 1/(n+50)), as in real text: the commonest
    word is in about a third of the records, most words in very few."""
    made = random.Random(7)
    extra = {"".join(made.choices(SYLLABLES, k=made.randint(2, 4))) for _ in range(size)}
    words = WORDS + sorted(extra - set(WORDS))
    weights = [1.0 / (rank + 50) for rank in range(1, len(words) + 1)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return words, cumulative


VOCABULARY, CUMULATIVE = vocabulary()


def sentence(rng: random.Random, low: int = 4, high: int = 10) -> str:
    count = rng.randint(low, high)
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=count)).capitalize()


def person(rng: random.Random, org: str) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last} ({org}) <{first.lower()}@{slugify(org)}.example>"


def make_record(rng: random.Random, client: str, org: str, today: date) -> Record:
    kind = rng.choice(TYPES)
    day = today - timedelta(days=rng.randint(0, 5 * 365))
    moment = datetime(day.year, day.month, day.day, rng.randint(8, 18), rng.choice((0, 30)),
                      tzinfo=timezone(timedelta(hours=1)))
    people = [person(rng, org) for _ in range(rng.randint(1, 3))] + ["Bob Smith (us)"]
    steps = [NextStep(id=_id(rng, ids.STEP_ID_LENGTH), text=sentence(rng, 3, 7),
                      owner=rng.choice(OWNERS), due=day + timedelta(days=rng.randint(1, 30)))
             for _ in range(rng.randint(1, 3))]
    extra = {}
    if kind == "email":
        extra = {"sender": people[0], "recipients": people[1:], "subject": sentence(rng, 2, 5)}
    if kind == "approval":
        extra = {"approver": people[0], "approved": sentence(rng, 3, 6)}
    body = "\n\n".join(sentence(rng, 12, 40) + "." for _ in range(rng.randint(1, 4))) + "\n"
    return Record(id=_id(rng, ids.RECORD_ID_LENGTH), client=client, type=kind, date=moment,
                  title=sentence(rng, 2, 5), participants=people, author="bob@example.test",
                  tags=rng.sample(WORDS, rng.randint(0, 2)),
                  decisions=[sentence(rng) for _ in range(rng.randint(1, 2))],
                  next_steps=steps, body=body, extra=extra)


def _id(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ids.ALPHABET) for _ in range(length))


def generate(count: int, root: Path, *, clients: int = 200, seed: int = 42) -> None:
    """Write ``count`` records (no fsync: this is test data) into a new store at ``root``."""
    rng = random.Random(seed)
    init_store(root, git=False)
    names = sorted({f"{rng.choice(ORGS)} {rng.choice(SUFFIX)} {n}" for n in range(clients)})
    for number in range(count):
        name = names[number % len(names)]
        slug = slugify(name)
        record = make_record(rng, slug, name.split()[0], TODAY)
        folder = root / "clients" / slug / f"{record.date:%Y}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / record_file_name(record)).write_bytes(seal.add(codec.encode(record).encode())[0])
        write_events(root / "clients" / slug / EVENTS, record)
    (root / ".generator").write_text(str(GENERATOR_VERSION))


def write_events(folder: Path, record: Record) -> None:
    """Completion events for the steps a team would have done by now (own random stream per
    record, so the records are the same as without events)."""
    rng = random.Random(record.id)
    for step in record.next_steps:
        overdue_long = step.due < TODAY - timedelta(days=14)
        if rng.random() >= (0.95 if overdue_long else 0.30):
            continue
        moment = datetime(step.due.year, step.due.month, step.due.day, rng.randint(8, 18),
                          tzinfo=UTC) - timedelta(days=rng.randint(0, 3))
        data = {"step": step.id, "record": record.id, "event": "done", "at": moment,
                "by": f"{step.owner}@example.test", "recorded": moment}
        folder.mkdir(exist_ok=True)
        name = f"{moment:%Y%m%dT%H%M%S}000000Z-{step.id}-done-{rng.randrange(65536):04x}.yaml"
        (folder / name).write_text(yamlrules.dump(data), encoding="utf-8")


def ensure_git(root: Path) -> None:
    """Commit the store once, so that git history can be read and searched."""
    if (root / ".git").is_dir():
        return
    identity = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.test",
                "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.test"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "synthetic store"]):
        subprocess.run(["git", "-C", str(root), *args], check=True,
                       env={**os.environ, **identity})


def store_for(count: int) -> Path:
    root = Path(__file__).resolve().parent / "stores" / f"{count // 1000}k"
    marker = root / ".generator"
    if not marker.is_file() or marker.read_text() != str(GENERATOR_VERSION):
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {count} records in {root} ...", flush=True)
        generate(count, root)
    return root


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))

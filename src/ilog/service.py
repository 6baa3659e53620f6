"""The use cases other than capture: returning data, never printing or prompting."""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ilog import git, seal
from ilog.clients import client_slugs
from ilog.entries import problem_from_entry, read_entry
from ilog.errors import FormatError, IlogError, ValidationError
from ilog.freshness import EVENT, PROFILE_KIND, kind
from ilog.model import ClientSummary, Problem, Progress, Record
from ilog.parallel import map_chunks
from ilog.store import Store, init_store, record_file_name, short_id_of
from ilog.templates import Template, get_template, load_templates, validate

if TYPE_CHECKING:
    from ilog.clientcache import Summary


def init(path: Path, *, git: bool = True) -> list[str]:
    """Create a store at ``path`` (harmless when it exists); return what was created."""
    return init_store(path, git=git)


@dataclass
class Shown:
    """A record as ``show`` presents it: the version asked for, and all of its versions."""

    asked: Record
    text: str  # the asked record's file, as stored
    versions: list[Record]  # every version, oldest first (just ``asked`` if never amended)

    @property
    def latest(self) -> Record:
        return self.versions[-1]


def show(store: Store, ref: str) -> Shown:
    """A record, its file's text, and every version of it (amend.py)."""
    from ilog.amend import chain_of

    path = store.find(ref)
    asked = store.read(path)
    return Shown(asked, path.read_text("utf-8", errors="replace"), chain_of(store, asked))


def version_diffs(store: Store, versions: list[Record]) -> list[str]:
    """A unified diff of the files from each version to the next (seal lines left out)."""
    texts = [(v, seal.without((store.root / v.path).read_bytes()).decode("utf-8", "replace"))
             for v in versions if v.path is not None]
    return ["".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                         str(a.path), str(b.path)))
            for (a, old), (b, new) in itertools.pairwise(texts)]


def templates(store: Store | None) -> dict[str, Template]:
    return load_templates(store.root if store else None)


def template(store: Store | None, name: str) -> Template:
    return get_template(templates(store), name)


CLIENT_SORTS = ("last", "name", "open")


def clients(store: Store, *, sort: str = "last", cold_days: int | None = None,
            today: date | None = None, progress: Progress | None = None) -> list[ClientSummary]:
    """Every client with its number of records, last contact, and open and overdue next
    steps (from the client cache); ``cold_days`` keeps those not contacted for longer."""
    from ilog.clientcache import summaries

    today = today or date.today()
    result = [_client_summary(summary, today)
              for summary in summaries(store, progress=progress)]
    if cold_days is not None:
        result = [s for s in result if s.last_contact is None
                  or (today - s.last_contact).days > cold_days]
    keys = {"name": lambda s: s.client.name.casefold(),
            "last": lambda s: (-(s.last_contact or date.min).toordinal(), s.client.slug),
            "open": lambda s: (-s.open_steps, -s.overdue_steps, s.client.slug)}
    return sorted(result, key=keys[sort])


def _client_summary(summary: Summary, today: date) -> ClientSummary:
    now = today.isoformat()
    open_dues = [row[3][:10] for row in summary.open]
    return ClientSummary(summary.client, summary.records, summary.last_contact,
                         len(open_dues), sum(1 for due in open_dues if due and due < now))


@dataclass
class CheckReport:
    """What ``check`` found: how many files it read and every problem."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)


def check(store: Store, paths: list[Path] | None = None, *, staged: bool = False,
          progress: Progress | None = None) -> CheckReport:
    """Validate every file ilog reads (records against the format and their templates,
    completion events and profiles against theirs), or the files named, or those staged in
    git; on one process per CPU for large stores (parallel.py)."""
    if staged:
        targets = [p for p in git.staged_files(store.root) if _kind(store, p)]
    else:
        targets = _expand(store, paths) if paths else _every_file(store)
    job = _CheckJob(store, load_templates(store.root), set(client_slugs(store)))
    return CheckReport(len(targets), map_chunks(job, targets, progress=progress))


@dataclass
class _CheckJob:
    """Checks a list of files; picklable, so worker processes can run it."""

    store: Store
    known: dict[str, Template]
    slugs: set[str]

    def __call__(self, paths: list[Path]) -> list[Problem]:
        return [p for path in paths for p in check_file(self.store, path, self.known,
                                                        self.slugs)]


def _every_file(store: Store) -> list[Path]:
    try:
        folders = sorted(p.name for p in store.clients_dir.iterdir()
                         if p.is_dir() and not p.name.startswith("."))
    except FileNotFoundError:
        return []
    return sorted(Path(entry.path) for slug in folders for entry in store.client_files(slug))


def _expand(store: Store, paths: list[Path]) -> list[Path]:
    """Files as given; folders become the records, events and profiles below them."""
    result = []
    for path in paths:
        if path.is_dir():
            result += [p for p in sorted(path.rglob("*")) if not p.name.startswith(".")
                       and p.is_file() and (p.suffix == ".md" or _kind(store, p))]
        else:
            result.append(path)
    return result


def _kind(store: Store, path: Path) -> str | None:
    return kind(store.relative(path).as_posix())


def check_file(store: Store, path: Path, known: dict[str, Template],
               slugs: set[str]) -> list[Problem]:
    """Every problem of one file: a record, a completion event or a profile."""
    shown = str(store.relative(path))
    if _kind(store, path) in (EVENT, PROFILE_KIND):
        found = read_entry(store, store.relative(path).as_posix())
        return [problem_from_entry(p) for p in found[2]] if found else \
            [Problem("no such file", shown)]
    try:
        record = store.read(path)
    except FormatError as exc:
        return [exc.problem]
    except ValidationError as exc:
        return list(exc.problems)
    except IlogError as exc:
        return [Problem(str(exc), shown)]
    if record.type not in known:
        return [Problem(f"unknown type '{record.type}'; known types: {', '.join(known)}",
                        shown, record.lines.get("type"), "type")]
    required = store.config.required.get(record.type, [])
    problems = validate(record, known[record.type], required, path=shown)
    return problems + _placement_problems(record, path, shown, slugs)


def _placement_problems(record: Record, path: Path, shown: str,
                        slugs: set[str]) -> list[Problem]:
    """The file must sit in its client's folder and carry its id in its name."""
    problems = []
    parts = Path(shown).parts
    folder = parts[1] if len(parts) >= 4 and parts[0] == "clients" else None
    if folder is not None and record.client != folder:
        problems.append(Problem(f"says '{record.client}' but the file is in clients/{folder}/",
                                shown, record.lines.get("client"), "client"))
    if folder is not None and record.client not in slugs:
        problems.append(Problem("not a valid client folder name", shown, None, "client"))
    if not record.id.startswith(short_id_of(path.name)):
        problems.append(Problem(f"the file name should end in -{record.short_id}.md "
                                f"(e.g. {record_file_name(record)})", shown, record.lines.get("id"),
                                "id"))
    return problems

"""The use cases other than capture: returning data, never printing or prompting."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ilog.derived import checked
from ilog.derived.clientcache import file_problems
from ilog.derived.listing import Stamp, stamp
from ilog.errors import FormatError, IlogError, ValidationError
from ilog.fileformat.maildomains import ascii_domain
from ilog.fileformat.slugs import MAX_SLUG, is_slug, slugify
from ilog.model import Problem, Progress, Record
from ilog.store import gitrepo
from ilog.store.keeping import retention_problems
from ilog.store.layout import (
    CLIENTS,
    DERIVED,
    EVENT,
    PROFILE,
    PROFILE_KIND,
    RECORD,
    Store,
    kind,
    record_file_name,
    scan,
    short_id_of,
)
from ilog.store.parallel import map_chunks
from ilog.store.profiles import client_slugs, load_clients
from ilog.store.templates import Template, load_templates, validate


@dataclass
class CheckReport:
    """What ``check`` found: how many files it read and every problem."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)


def check(store: Store, paths: list[Path] | None = None, *, staged: bool = False,
          progress: Progress | None = None) -> CheckReport:
    """Validate every file ilog reads (records against the format and their templates,
    completion events and profiles against theirs), or the files named, or those staged in
    git; on one process per CPU for large stores (parallel.py). Files found clean before and
    unchanged since are not read again (derived/checked.py). Writes only derived data: that
    memory of clean files (atomically; two checks at once each save a whole one)."""
    if staged or paths:
        targets = (gitrepo.staged_files(store.root) if staged else _expand(store, paths or []))
        names = [_name(store, p) for p in targets if not staged or _read_by_ilog(store, p)]
        now = checked.stamps(store.root, names)
    else:
        now = _every_file(store)
        names = list(now)
    known = load_templates(store.root)
    key = checked.context(known, store.config)
    saved = checked.load(store, key)
    todo = [] if saved == now else [name for name in names
                                    if name not in now or saved.get(name) != now[name]]
    job = _CheckJob(store, known, set(client_slugs(store)))
    found = map_chunks(job, [store.root / name for name in todo], progress=progress)
    clean = dict(now)
    for name, problems in zip(todo, found, strict=True):
        if problems:
            clean.pop(name, None)
    if staged or paths:  # what was found clean elsewhere still is, if unchanged
        clean = {name: stamp for name, stamp in saved.items() if name not in now} | clean
    if clean != saved:
        checked.save(store, key, clean)
    problems = [problem for file_problems in found for problem in file_problems]
    if not (staged or paths):
        problems = sorted(_store_problems(store, names) + problems, key=lambda p: p.path or "")
    return CheckReport(len(names), problems)


def _name(store: Store, path: Path) -> str:
    """A file's name relative to the store (as given if it is outside)."""
    return str(store.relative(path))


def _store_problems(store: Store, names: list[str]) -> list[Problem]:
    """What no single file shows: linked folders, folders in clients/ that are not client
    folders, records (among the files ``names``) that share an id, and retention settings
    that do not read (store/keeping.py), mail domains two clients claim."""
    return (_linked_folders(store) + _odd_client_folders(store) + _shared_ids(names)
            + retention_problems(store) + _shared_domains(store))


def _shared_domains(store: Store) -> list[Problem]:
    """A mail domain in two profiles: mail from it matches both clients, so import asks
    for --client each time."""
    owner: dict[str, str] = {}
    found = []
    for client in load_clients(store):
        for domain in dict.fromkeys(filter(None, map(ascii_domain, client.domains))):
            first = owner.setdefault(domain, client.slug)
            if first != client.slug:
                found.append(Problem(
                    f"domain {domain} is also in {CLIENTS}/{first}/{PROFILE}: mail from it "
                    "matches both clients; keep it in one profile ('ilog client domains "
                    f"{client.slug} --remove {domain}')",
                    f"{CLIENTS}/{client.slug}/{PROFILE}", None, "domains"))
    return found


def _odd_client_folders(store: Store) -> list[Problem]:
    """Folders under clients/ whose names are no client's (a clone can hold any name: case
    or Unicode twins of a client, Windows-reserved or over-long names): ilog never takes
    their names for clients."""
    names = sorted(e.name for e in scan(store.clients_dir)
                   if e.is_dir(follow_symlinks=False) and not e.name.startswith("."))
    return [Problem("is not a client's folder name (lower-case letters, digits and single "
                    f"hyphens, at most {MAX_SLUG}; not a name Windows reserves): rename it, "
                    f"e.g. to clients/{slugify(name) or 'client'}", f"{CLIENTS}/{name}")
            for name in names if not is_slug(name)]


def _shared_ids(names: list[str]) -> list[Problem]:
    """Records whose file names end in the same short id: copies, or forged twins (each
    file name must end in its record's short id, which check_file checks)."""
    first: dict[str, str] = {}
    found = []
    for shown in sorted(name for name in names if name.endswith(".md")):
        earlier = first.setdefault(short_id_of(os.path.basename(shown)), shown)
        if earlier != shown:
            found.append(Problem(f"has the same id as {earlier}; every record needs its own "
                                 "(a copied file? 'ilog new' gives a new id)", shown))
    return found


def _linked_folders(store: Store) -> list[Problem]:
    """Folders of the store that are links: ilog never reads or writes through them, so
    whatever is behind them is not part of the store (linked files are reported as files)."""
    found = []
    for folder, subfolders, _ in os.walk(store.root):
        subfolders[:] = [name for name in subfolders if name not in (".git", DERIVED)]
        found += [Problem("is a link to a folder; ilog neither reads nor writes through "
                          "links: replace it with the folder itself",
                          str(store.relative(Path(folder, name))))
                  for name in subfolders if os.path.islink(os.path.join(folder, name))]
    return sorted(found, key=lambda p: p.path or "")


@dataclass
class _CheckJob:
    """Checks a list of files; picklable, so worker processes can run it."""

    store: Store
    known: dict[str, Template]
    slugs: set[str]

    def __call__(self, paths: list[Path]) -> list[list[Problem]]:
        return [check_file(self.store, path, self.known, self.slugs) for path in paths]


def _every_file(store: Store) -> dict[str, Stamp]:
    """Every file ilog reads, by name relative to the store, with its stamp."""
    folders = sorted(e.name for e in scan(store.clients_dir)
                     if e.is_dir() and not e.name.startswith("."))
    start = len(str(store.root)) + 1
    found = {}
    for slug in folders:
        for entry in store.client_files(slug):
            with contextlib.suppress(OSError):  # gone since it was listed
                found[entry.path[start:]] = stamp(entry.stat(follow_symlinks=False))
    return found


def _expand(store: Store, paths: list[Path]) -> list[Path]:
    """Files as given; folders become the records, events and profiles below them (and,
    outside the store's layout, the Markdown files)."""
    result = []
    for path in paths:
        if path.is_dir():
            result += [p for p in sorted(path.rglob("*")) if not p.name.startswith(".")
                       and p.is_file() and _read_by_ilog(store, p, outside=p.suffix == ".md")]
        else:
            result.append(path)
    return result


#: What check reads, as the whole store's check does (never a record's attachments).
_CHECKED_KINDS = (RECORD, EVENT, PROFILE_KIND)


def _read_by_ilog(store: Store, path: Path, *, outside: bool = False) -> bool:
    """Whether check reads ``path``: a record, completion event or profile where the
    store's layout puts them; ``outside``, for a file the layout does not place."""
    found = _kind(store, path)
    return found in _CHECKED_KINDS if found is not None else outside


def _kind(store: Store, path: Path) -> str | None:
    return kind(store.relative(path).as_posix())


def check_file(store: Store, path: Path, known: dict[str, Template],
               slugs: set[str]) -> list[Problem]:
    """Every problem of one file: a record, a completion event or a profile."""
    shown = str(store.relative(path))
    if _kind(store, path) in (EVENT, PROFILE_KIND):
        found = file_problems(store, store.relative(path).as_posix())
        return found if found is not None else [Problem("no such file", shown)]
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
    problems = validate(record, known[record.type], required, path=shown,
                        steps_require=store.config.steps_require.get(record.type, []))
    if record.tampered:
        problems.append(Problem(_tampered_advice(shown), shown, record.lines.get("seal"), "seal"))
    return problems + _placement_problems(record, path, shown, slugs)


def _tampered_advice(shown: str) -> str:
    """What check says of a record changed after it was sealed."""
    return ("does not match the record: the file was changed after it was sealed. Undo the "
            f"change ({gitrepo.restore_hint(shown)}) and record the correction with 'ilog "
            "amend'; 'ilog verify' says which fields changed")


def _placement_problems(record: Record, path: Path, shown: str,
                        slugs: set[str]) -> list[Problem]:
    """The file must sit in its client's folder and carry its id in its name (a name ilog
    would give it: no line break or other control character)."""
    problems = []
    if any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in path.name):
        problems.append(Problem("the file name holds a control character (a line break?); "
                                f"rename it, e.g. to {record_file_name(record)}", shown))
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

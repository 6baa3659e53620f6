"""Finding the store to use (like git finds a repository) and creating one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ilog.errors import IlogError, StoreError
from ilog.store import atomic
from ilog.store.layout import CLIENTS, DERIVED, TOMBSTONES, Store
from ilog.store.reading import read_file
from ilog.store.settings import DEFAULT_STORE_TOML, STORE_FILE
from ilog.store.usersettings import DEFAULT_REASON, Settings

GITIGNORE = (f"# ilog's derived data (search index, caches, drafts): never commit it\n{DERIVED}/\n"
             "# a write in progress (or a killed one): never commit it\n.*.tmp\n")
GITATTRIBUTES = ("# A record's bytes are evidence: git must never rewrite their line ends.\n"
                 "*.md -text\n*.yaml -text\nilog.toml -text\n"
                 "# Client profiles changed in two clones merge (ilog sync registers the driver)\n"
                 f"{CLIENTS}/*/client.yaml merge=ilog-profile\n")


#: The reason locate gives when it has just made the user's default store.
CREATED = "default store (created now)"


def locate(explicit: str | None, settings: Settings, cwd: Path | None = None, *,
           asked_by: str = "store asked for", create: bool = True) -> Store:
    """``explicit`` (``asked_by`` says who asked: the CLI's ``--store``), then the settings'
    ``store`` (ILOG_STORE), then the nearest ilog.toml upwards, then the user's default
    store: the ``store`` of the user's settings file, else one in the XDG data folder,
    created on first use unless ``create`` is false (its reason then says it does not exist
    yet). The store carries ``settings``."""
    if explicit:
        return _existing(Path(explicit), asked_by, settings)
    if settings.store:
        return _existing(Path(settings.store), "ILOG_STORE environment variable", settings)
    here = (cwd or _current_folder()).resolve()
    nearest = _nearest(here)
    if nearest is not None:
        return _opened(nearest, f"nearest {STORE_FILE} above {here}", settings)
    default, reason = settings.default_store()
    if default is None:
        raise StoreError(f"no ilog store here ({here}) and no default store; name one with "
                         "--store, or create one with 'ilog init PATH'")
    if reason != DEFAULT_REASON or _marks_store(default):
        return _existing(default, reason, settings)
    if not create:
        return Store(default, "default store, not created yet: the first command that "
                              "writes creates it", settings)
    init_store(default, git=True)
    return Store(default, CREATED, settings)


def _current_folder() -> Path:
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise StoreError("the current folder no longer exists (it was deleted or moved); "
                         "go to another folder, or name the store with --store") from None


def existing_root(explicit: str | None, settings: Settings) -> Path | None:
    """The root :func:`locate` would choose if that store exists already (never creates)."""
    try:
        store = locate(explicit, settings, create=False)
    except (IlogError, OSError):  # the command that needs the store says what is wrong
        return None
    return store.root if _marks_store(store.root) else None


def _nearest(here: Path) -> Path | None:
    for folder in (here, *here.parents):
        if _marks_store(folder):
            return folder
    return None


def _opened(root: Path, reason: str, settings: Settings) -> Store:
    """The store at ``root``, once the folders ilog lists are known to be folders (a clone
    can hold a file, or anything, by those names)."""
    for name in (CLIENTS, TOMBSTONES):
        path = root / name
        if os.path.islink(path):
            raise StoreError(f"{path} is a link; ilog never reads or writes through links: "
                             "replace it with the folder itself")
        if os.path.lexists(path) and not stat.S_ISDIR(os.lstat(path).st_mode):
            raise StoreError(f"{path} is not a folder; ilog keeps its {name} there: move it "
                             "away and run 'ilog check'")
    return Store(root, reason, settings)


def _marks_store(folder: Path) -> bool:
    """Whether ``folder`` has an ilog.toml (whatever it is: reading it says what is wrong)."""
    try:
        os.lstat(folder / STORE_FILE)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise StoreError(f"cannot look into {folder}: {exc.strerror}; check its permissions "
                         "(and those of the folders above it)") from None
    return True


def _existing(path: Path, reason: str, settings: Settings) -> Store:
    if not _marks_store(path):
        raise StoreError(f"{path} is not an ilog store (no {STORE_FILE}) from the {reason}; "
                         f"create one with 'ilog init {path}'")
    return _opened(path.resolve(), reason, settings)


def init_store(path: Path, *, git: bool = True) -> list[str]:
    """Create the store's files that are missing (never overwriting any); return them."""
    atomic.make_dirs(path / CLIENTS)
    created = []
    name = path.resolve().name.replace('"', "")
    files = {STORE_FILE: DEFAULT_STORE_TOML.format(name=name), ".gitignore": GITIGNORE,
             ".gitattributes": GITATTRIBUTES, f"{CLIENTS}/.gitkeep": ""}
    for relative, text in files.items():
        if atomic.create_file(path / relative, text.encode("utf-8")):
            created.append(relative)
        elif relative.startswith(".git") and append_missing(path / relative, text):
            created.append(f"{relative} (lines added)")
    from ilog.store import gitrepo  # only when a store is made: it runs git

    if git and gitrepo.available() and not gitrepo.is_repository(path):
        gitrepo.init(path)
        created.append(".git/")
    return created


def append_missing(path: Path, wanted: str) -> bool:
    """Add the lines of ``wanted`` that a user's existing file lacks; keep everything else."""
    original = read_file(path, path.name)
    have = set(original.decode("utf-8", "replace").splitlines())
    missing = [line for line in wanted.splitlines() if line not in have]
    if all(line.startswith("#") for line in missing):
        return False
    joiner = b"" if original.endswith(b"\n") or not original else b"\n"
    addition = "\n".join(missing).encode("utf-8") + b"\n"
    atomic.replace_file(path, original + joiner + addition, expected=original)
    return True


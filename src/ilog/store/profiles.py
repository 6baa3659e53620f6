"""Client profiles (``clients/SLUG/client.yaml``) and resolving what a user typed to one."""

from __future__ import annotations

from typing import Any

from ilog.errors import AmbiguousError, FormatError, UnknownClientError, UnreadableFileError
from ilog.fileformat import codec, yamlrules
from ilog.fileformat.maildomains import ascii_domain
from ilog.fileformat.slugs import client_slug, is_slug, slugify
from ilog.model import Client
from ilog.store import atomic
from ilog.store.layout import PROFILE, Store, scan
from ilog.store.reading import read_file

_LISTS = ("aliases", "contacts", "tags", "domains")


def client_slugs(store: Store) -> list[str]:
    """Slugs of every client folder (folders that are not valid slugs are ignored)."""
    return sorted(e.name for e in scan(store.clients_dir) if _is_client(store, e.name))


def _is_client(store: Store, name: str) -> bool:
    """Whether ``name`` is a client's folder: a valid slug, a real folder (never a link)."""
    if not is_slug(name):
        return False
    folder = store.clients_dir / name
    return folder.is_dir() and not folder.is_symlink()


def load_client(store: Store, slug: str) -> Client:
    """A client's profile; a folder without ``client.yaml`` is a client named by its slug."""
    path = store.client_dir(slug) / PROFILE
    try:
        data = read_file(path, str(store.relative(path)))
    except FileNotFoundError:
        return Client(slug=slug, name=slug)
    return parse_profile(slug, data, str(store.relative(path)))


def parse_profile(slug: str, data: bytes, shown: str) -> Client:
    """The profile in ``data`` (the bytes of ``client.yaml``); FormatError if it is broken."""
    try:
        meta, lines = yamlrules.load(codec.decode_bytes(data, shown))
    except FormatError as exc:
        raise exc.at(shown) from None
    if meta is not None and not isinstance(meta, dict):
        raise FormatError("a profile is a mapping of fields (name: ..., aliases: [...])",
                          path=shown, line=1)
    return _client_from(slug, meta or {}, shown, lines)


def _client_from(slug: str, data: dict[str, Any], shown: str,
                 lines: dict[str, int]) -> Client:
    """The client a profile's fields describe; FormatError names a field of the wrong kind
    (a mapping where text or a list of text belongs)."""
    data = dict(data)
    name = data.pop("name", None)
    if name is not None and not isinstance(name, str | int | float):
        raise FormatError("must be text", path=shown, line=lines.get("name"), field="name")
    lists = {key: _as_list(data.pop(key, None), key, shown, lines) for key in _LISTS}
    for domain in lists["domains"]:
        if not ascii_domain(domain):
            raise FormatError(f"{domain!r} is not a mail domain: write one such as acme.example "
                              "(its subdomains count too) or remove it", path=shown,
                              line=lines.get("domains"), field="domains")
    return Client(slug=slug, name=str(name) if name else slug, extra=data, **lists)


def _as_list(value: Any, key: str, shown: str, lines: dict[str, int]) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if any(isinstance(v, dict | list) for v in items):
        raise FormatError("must be a list of text (one entry per line, '- ...')", path=shown,
                          line=lines.get(key), field=key)
    return [str(v) for v in items if v is not None]


def load_clients(store: Store) -> list[Client]:
    """Every client, in slug order (a broken or unreadable profile falls back to the
    slug)."""
    result = []
    for slug in client_slugs(store):
        try:
            result.append(load_client(store, slug))
        except (FormatError, UnreadableFileError):
            result.append(Client(slug=slug, name=slug))
    return result


def resolve_slug(store: Store, name: str) -> str:
    """The slug of the existing client that ``name`` means (see resolve_client); a name that
    is a client's folder is answered without reading any profile."""
    wanted = slugify(name)
    if _is_client(store, wanted):
        return wanted
    return resolve_client(store, name).slug


def resolve_client(store: Store, name: str) -> Client:
    """The existing client that ``name`` means: its slug, display name or an alias (compared
    as slugs, in that order), or a unique prefix of a slug."""
    wanted = slugify(name)
    if _is_client(store, wanted):
        return load_client(store, wanted)
    clients = load_clients(store)
    for client in clients:
        if wanted and wanted in names_of(client):
            return client
    prefixed = [c for c in clients if wanted and c.slug.startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(c.slug for c in prefixed[:8])
        raise AmbiguousError(f"client '{name}' matches {len(prefixed)} clients ({names}); "
                             "type more of the name")
    raise UnknownClientError(f"no client '{name}'{_suggestion(wanted or name, clients)}")


def names_of(client: Client) -> set[str]:
    """The slugs a client answers to: its folder's, its name's and its aliases'."""
    return {client.slug, slugify(client.name), *(slugify(a) for a in client.aliases)} - {""}


def similar_clients(store: Store, name: str) -> list[Client]:
    """Existing clients whose name is close to ``name`` (one a prefix of the other, or a
    letter or two apart): creating ``name`` beside them is likely a typo or a duplicate."""
    import difflib  # only when a client is about to be created

    wanted = slugify(name)

    def close(key: str) -> bool:
        return (key.startswith(wanted) or wanted.startswith(key)
                or difflib.SequenceMatcher(None, key, wanted).ratio() >= 0.8)

    return [c for c in load_clients(store) if wanted and any(close(k) for k in names_of(c))]


def _suggestion(wanted: str, clients: list[Client]) -> str:
    names = {c.slug: c.slug for c in clients}
    names.update({slugify(a): c.slug for c in clients for a in c.aliases})
    import difflib  # only to suggest a name when none matched

    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    picks = list(dict.fromkeys(names[c] for c in close))
    return f" (did you mean {', '.join(picks)}?)" if picks else ""


def create_client(store: Store, name: str, *, aliases: list[str] | None = None) -> Client:
    """Create a client folder and profile; an existing one of the same slug is reused."""
    slug = client_slug(name)
    folder = store.clients_dir / slug
    atomic.make_dirs(folder)
    client = Client(slug=slug, name=name.strip(), aliases=aliases or [])
    profile = {"name": client.name, "aliases": client.aliases, "contacts": [], "tags": []}
    atomic.create_file(folder / PROFILE, yamlrules.dump(profile).encode("utf-8"))
    return load_client(store, slug)


def set_domains(store: Store, slug: str, domains: list[str]) -> Client:
    """Write the client's ``domains:`` (the rest of its profile kept: every other key and
    its order; YAML comments are not kept); create the profile if it has none."""
    path = store.client_dir(slug) / PROFILE
    shown = str(store.relative(path))
    try:
        original: bytes | None = read_file(path, shown)
    except FileNotFoundError:
        original = None
    meta: dict[str, Any] = {"name": slug}
    if original is not None:
        loaded, _ = yamlrules.load(codec.decode_bytes(original, shown))
        meta = dict(loaded) if isinstance(loaded, dict) else meta
    if domains:
        meta["domains"] = domains
    else:
        meta.pop("domains", None)
    data = yamlrules.dump(meta).encode("utf-8")
    if original is None:
        atomic.create_file(path, data)
    else:
        atomic.replace_file(path, data, expected=original)
    return load_client(store, slug)

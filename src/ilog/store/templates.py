"""Record types: the packaged templates, a store's own, and the rules they enforce.

A template is a Markdown file whose front matter says what a record of that type must hold
(``required``), which extra fields it offers (``fields``: default and hint for each) and whose
body is the skeleton shown in the editor. A store's ``templates/TYPE.md`` replaces the packaged
one of the same name or adds a new type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ilog.errors import FormatError, NotFoundError
from ilog.fileformat import codec, yamlrules
from ilog.model import KNOWN_KEYS, Problem, Record
from ilog.store.reading import read_file

#: What every record needs, whatever its template says.
BASE_REQUIRED = ("date", "participants")
#: Known fields that hold lists (shown as ``- item`` lines in the editor).
PACKAGED = "packaged"
LIST_FIELDS = frozenset({"participants", "tags", "refs", "decisions", "next_steps"})


@dataclass
class FieldSpec:
    """An extra field a template offers: its default, a hint, and whether it is a list."""

    default: Any = None
    hint: str = ""
    many: bool = False


@dataclass
class Template:
    name: str
    description: str = ""
    required: list[str] = field(default_factory=list)
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    body: str = ""
    source: str = PACKAGED
    text: str = ""

    def all_required(self, extra: list[str] | None = None) -> list[str]:
        """Required fields in order, without repeats: base rules, template, store settings."""
        return list(dict.fromkeys([*BASE_REQUIRED, *self.required, *(extra or [])]))


def load_templates(store_root: Path | None) -> dict[str, Template]:
    """Packaged templates, overridden and extended by ``STORE/templates/*.md``."""
    found: dict[str, Template] = {}
    for entry in resources.files("ilog.default_templates").iterdir():
        if entry.name.endswith(".md"):
            name = entry.name[:-3]
            found[name] = parse_template(entry.read_text("utf-8"), name, PACKAGED)
    own = store_root / "templates" if store_root else None
    if own and own.is_dir():
        for path in sorted(own.glob("*.md")):
            text = codec.decode_bytes(read_file(path, str(path)), str(path))
            found[path.stem] = parse_template(text, path.stem, str(path))
    return dict(sorted(found.items()))


def get_template(templates: dict[str, Template], name: str) -> Template:
    """The template of the type ``name`` (case does not matter: ``Call`` is ``call``);
    NotFoundError suggests the nearest type."""
    found = templates.get(name) or next((t for key, t in templates.items()
                                         if key.lower() == name.lower()), None)
    if found is not None:
        return found
    import difflib  # only to suggest a type when none matched

    close = difflib.get_close_matches(name.lower(), list(templates), n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    raise NotFoundError(f"unknown type '{name}'; {hint}known types: {', '.join(templates)} "
                        f"(add templates/{name.lower()}.md to the store for a new one)")


def parse_template(text: str, name: str, source: str) -> Template:
    """Read a template file; bad ones are refused with the file named."""
    where = f"templates/{name}.md ({source})" if source == PACKAGED else source
    yaml_text, body, offset = codec.split(text, where)
    try:
        meta, _ = yamlrules.load(yaml_text, line_offset=offset)
    except FormatError as exc:
        raise exc.at(where) from None
    meta = meta or {}
    required = meta.get("required", [])
    fields_meta = meta.get("fields") or {}
    if not isinstance(required, list) or not isinstance(fields_meta, dict):
        raise FormatError("'required' must be a list and 'fields' a mapping", path=where)
    specs = {key: _field_spec(value) for key, value in fields_meta.items()}
    return Template(name=name, description=str(meta.get("description") or ""),
                    required=[str(r) for r in required], fields=specs, body=body,
                    source=source, text=text)


def _field_spec(value: Any) -> FieldSpec:
    if not isinstance(value, dict):
        return FieldSpec(default=value)
    return FieldSpec(default=value.get("default"), hint=str(value.get("hint") or ""),
                     many=value.get("many") is True)


_STEP_NEEDS = {"owner": "an owner", "due": "a due date"}


def validate(record: Record, template: Template, extra_required: list[str] | None = None,
             *, path: str | None = None, steps_require: list[str] | None = None
             ) -> list[Problem]:
    """Every way ``record`` falls short of ``template`` (and of the store's settings: more
    required fields, what each next step must have); empty when it is fine."""
    problems = []
    line = record.lines.get
    for key in template.all_required(extra_required):
        if not record.has(key):
            fix = " (write 'none' if there were none)" if key in ("decisions", "next_steps") \
                else ""
            article = "an" if template.name[:1].lower() in "aeiou" else "a"
            problems.append(Problem(f"required for {article} {template.name} record; add it{fix}",
                                    path, line(key), key))
    for number, step in enumerate(record.next_steps, 1):
        if not step.text:
            problems.append(Problem(f"step {number} has no text", path, line("next_steps"),
                                    "next_steps"))
        missing = [need for need in steps_require or [] if not getattr(step, need)]
        if missing:
            what = " and ".join(_STEP_NEEDS[need] for need in missing)
            example = ", ".join(f"{need}: {'NAME' if need == 'owner' else 'DATE'}"
                                for need in missing)
            problems.append(Problem(
                f"step {number} ({step.text[:40]}) needs {what}: the store asks it of every "
                f"next step of {template.name} records (ilog.toml, [types.{template.name}] "
                f"steps_require); add {example}", path, line("next_steps"), "next_steps"))
    if record.date is None and "date" not in template.all_required(extra_required):
        problems.append(Problem("a record needs a date", path, line("date"), "date"))
    return problems


def skeleton(template: Template, meta: dict[str, Any], body: str, header: list[str]) -> str:
    """The editor buffer for a new record: front matter prefilled from ``meta`` plus the
    template's fields and hints, then ``body`` (or the template's). ``header`` becomes
    comment lines at the top."""
    lines = ["---", *(f"# {h}" if h else "#" for h in header)]
    required = set(template.all_required())
    keys = [k for k in KNOWN_KEYS if k in meta or k in required or k == "title"]
    keys += [k for k in template.fields if k not in keys]
    keys += [k for k in meta if k not in keys]
    for key in keys:
        spec = template.fields.get(key, FieldSpec())
        value = meta.get(key, spec.default)
        lines.append(_skeleton_entry(key, value, spec, key in required))
    return "\n".join(lines) + "\n---\n\n" + (body or template.body)


def _skeleton_entry(key: str, value: Any, spec: FieldSpec, required: bool) -> str:
    comment = "  # " + " ".join(p for p in (spec.hint, "(required)" if required else "") if p)
    comment = comment if comment.strip() != "#" else ""
    many = key in LIST_FIELDS or spec.many
    if value in (None, "", []):
        return f"{key}:{comment}\n-" if many else f"{key}:{comment}"
    text = yamlrules.dump({key: value}).rstrip("\n")
    first, _, rest = text.partition("\n")
    return first + comment + ("\n" + rest if rest else "")

"""The PyYAML machinery behind yamlrules.py (see there for the rules).

Importing PyYAML compiles dozens of regular expressions (~20 ms); strictyaml imports this
module the first time a file is actually read or written, so commands answered from the
caches never pay for it.
"""


from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from ilog.errors import FormatError

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_WORDS = {"true": True, "false": False, "null": None, "~": None, "": None}

try:  # libyaml is ~7x faster; the pure-Python parser is the fallback
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Composer(_Parser, BaseResolver):
    """Builds the node graph with no implicit resolvers: every untagged scalar is str."""

    _DEFAULT_TAGS: ClassVar[dict[type, str]] = {ScalarNode: _STR, SequenceNode: _SEQ,
                                                MappingNode: _MAP}

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, _value: Any, _implicit: Any) -> str:
        """Only called for nodes without an explicit tag."""
        return self._DEFAULT_TAGS[kind]


def load(text: str, *, line_offset: int, max_depth: int) -> tuple[Any, dict[str, int]]:
    """Parse ``text``; return the data and the 1-based line of each top-level key."""
    try:
        node = _Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 + line_offset if exc.problem_mark else None
        raise FormatError(f"invalid YAML: {exc.problem or exc.context}", line=line) from None
    except yaml.YAMLError as exc:
        raise FormatError(f"invalid YAML: {exc}", line=line_offset + 1) from None
    if node is None:
        return None, {}
    builder = _Builder(line_offset, max_depth)
    data = builder.build(node, 0)
    lines = {}
    if isinstance(node, MappingNode):
        lines = {k.value: k.start_mark.line + 1 + line_offset for k, _ in node.value}
    return data, lines


class _Builder:
    """Turns nodes into dicts, lists, str, bool and None, refusing what is unsafe."""

    def __init__(self, line_offset: int, max_depth: int) -> None:
        self.offset, self.max_depth = line_offset, max_depth
        self.seen: set[int] = set()

    def fail(self, node: Node, message: str) -> FormatError:
        return FormatError(message, line=node.start_mark.line + 1 + self.offset)

    def build(self, node: Node, depth: int) -> Any:
        if depth > self.max_depth:
            raise self.fail(node, f"nested deeper than {self.max_depth} levels")
        if id(node) in self.seen:
            raise self.fail(node, "YAML aliases (*name) are not allowed; write the value out")
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode) and node.tag == _SEQ:
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode) and node.tag == _MAP:
            return self.mapping(node, depth)
        raise self.fail(node, f"explicit YAML tags ({node.tag}) are not allowed")

    def scalar(self, node: ScalarNode) -> str | bool | None:
        if node.tag != _STR:
            raise self.fail(node, f"explicit YAML tags ({node.tag}) are not allowed")
        value: str = node.value
        if not node.style and value in _WORDS:
            return _WORDS[value]
        return value

    def mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                raise self.fail(key_node, "keys must be plain text")
            if key in result:
                raise self.fail(key_node, f"duplicate key '{key}'; keep only one")
            result[key] = self.build(value_node, depth + 1)
        return result


class _Dumper(yaml.SafeDumper):
    """SafeDumper that keeps ISO dates plain and never folds long lines."""

    def ignore_aliases(self, _data: Any) -> bool:
        return True


_YAML_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line text as a literal block; YAML's other line breaks escaped in quotes."""
    if any(ch in value for ch in _YAML_BREAKS):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value and value == value.strip(" ") else None
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_date(dumper: yaml.SafeDumper, value: date) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(datetime, _represent_datetime)
_Dumper.add_representer(date, _represent_date)


def dump(data: dict[str, Any]) -> str:
    """Serialise ``data`` in ilog's canonical YAML (block style, order kept, no folding)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=2**31 - 1, indent=2)

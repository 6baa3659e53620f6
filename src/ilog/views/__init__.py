"""The shapes people and programs see: lines of styled text (``text.Line``: the styles are
rich style names that ``ilog.cli.render`` applies on a terminal), Markdown, and the JSON
contract (docs/json.md). No rich here, so piped output never pays for importing it.

May import: ``ilog.ops``, ``ilog.evidence`` and every layer below them.
"""

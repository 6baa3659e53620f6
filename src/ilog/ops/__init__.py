"""The use cases: capture (new, edit), amend, show, check, history, actions, clients,
search. Each takes a store and plain or typed arguments and returns data; none prints,
prompts or parses command-line text.

May import: ``ilog.derived``, ``ilog.store``, ``ilog.fileformat``, ``ilog.model``,
``ilog.errors``; not ``ilog.evidence`` (a sibling layer).
"""

"""Fuzz one target with atheris (libFuzzer), starting from its corpus:

    python tests/fuzz/fuzz.py codec -max_total_time=600 tests/fuzz/corpus/codec
    python tests/fuzz/fuzz.py slugs -runs=100000 tests/fuzz/corpus/slugs

libFuzzer adds the inputs that reach new code to the corpus folder given first: commit them,
so the test suite replays them (tests/test_fuzz.py). Needs ``pip install atheris``
(x86_64 Linux wheels for CPython 3.11).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from targets import TARGETS

if __name__ == "__main__":
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()

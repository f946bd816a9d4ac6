"""Text -> documents with the line numbers the loader needs, behind one small protocol.

A :data:`Parser` takes the text of one file and gives its documents in order: a
:class:`ParsedDoc` for each (its value, the line of its first key, its List items' lines) or a
:class:`ParseFailure` with the line and reason of what could not be read. It never raises, and
a broken document never hides the others. Three are registered in :data:`PARSERS`:

    yaml      yaml_stream.py  the stream cut into pieces; each read by rapidyaml when it means
                              exactly the same there (rapidyaml.py), by PyYAML otherwise
    pyyaml    yaml_stream.py  the same, PyYAML alone (pyyaml.py: one chunk; yaml_pieces.py: one
                              piece, and what a List broken inside its items keeps)
    json      json_text.py    JSON values one after the other, Lists item by item, large files
                              window by window (parse_json_stream)

Any two of them must agree where their languages do (JSON is YAML): tests/load/parser_kit.py is
the differential kit that proves it, for any pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from analyzer.load.decode import DAMAGE
from analyzer.load.parsers.json_text import looks_like_json, parse_json, parse_json_stream
from analyzer.load.parsers.parsed import ParsedDoc, ParseFailure
from analyzer.load.parsers.yaml_stream import parse_yaml

Parser = Callable[[str], Iterable[ParsedDoc | ParseFailure]]
"""The text of one file -> its documents, in order; never raises."""

PARSERS: dict[str, Parser] = {
    "yaml": parse_yaml,
    "pyyaml": partial(parse_yaml, fast=False),
    "json": parse_json,
}

JSON_AS_YAML_MAX = 8 * 1024 * 1024
"""Largest ``.json`` file tried again as YAML when it fails (PyYAML reads about 1.3 MB/s)."""


def parse(text: str, name: str) -> list[ParsedDoc | ParseFailure]:
    """JSON for ``.json`` files and text that starts like JSON, YAML otherwise. JSON that fails
    is tried as YAML (JSON is mostly YAML: single quotes, comments...) unless it is cut short or
    damaged by NUL bytes (then YAML fails too) or is a ``.json`` file too big to be worth the slow
    YAML parser; when YAML fails too, the JSON error is the one reported."""
    if not looks_like_json(name, text):
        return list(parse_yaml(text))
    docs = parse_json(text)
    failure = next((d for d in docs if isinstance(d, ParseFailure)), None)
    too_big_for_yaml = name.lower().endswith(".json") and len(text) > JSON_AS_YAML_MAX
    if failure is None or failure.truncated or failure.reason == DAMAGE or too_big_for_yaml:
        return docs  # YAML would fail too: cut short, or NUL bytes (which YAML refuses)
    as_yaml = list(parse_yaml(text))
    return docs if any(isinstance(d, ParseFailure) for d in as_yaml) else as_yaml


__all__ = [
    "PARSERS",
    "ParseFailure",
    "ParsedDoc",
    "Parser",
    "looks_like_json",
    "parse",
    "parse_json",
    "parse_json_stream",
    "parse_yaml",
]

"""Stage 1: bytes -> Kubernetes objects with provenance, and what was skipped, and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from analyzer.load.decode import decode
from analyzer.load.documents import objects_from
from analyzer.load.helm import SourceComments
from analyzer.load.json_backend import parse_json
from analyzer.load.logs import log_key, tail
from analyzer.load.sources import Source, expand
from analyzer.load.types import LoadResult, Location, RawObject, Skipped
from analyzer.load.yaml_backend import ParsedDoc, ParseFailure, parse_yaml

__all__ = ["LoadResult", "Location", "RawObject", "Skipped", "load_inputs"]


def load_inputs(paths: Sequence[str], stdin: BinaryIO | None = None) -> LoadResult:
    result = LoadResult()
    for item in expand(tuple(paths), stdin):
        if isinstance(item, Skipped):
            result.skipped.append(item)
        elif item.is_log:
            key = log_key(item.name)
            if key is not None:
                result.files.append(item.name)
                result.logs[key] = tail(item.data)
        else:
            _read(item, result)
    return result


def _read(source: Source, result: LoadResult) -> None:
    result.files.append(source.name)
    text, problem = decode(source.data)
    if text is None:
        result.skipped.append(Skipped(source.name, None, problem or "unreadable"))
        return
    sources = SourceComments(text)
    for doc in parse(text, source.name):
        if isinstance(doc, ParseFailure):
            result.skipped.append(Skipped(source.name, doc.line, doc.reason))
            continue
        if doc.value is None:
            continue
        result.documents += 1
        for obj in objects_from(doc, source.name, sources or None):
            if isinstance(obj, RawObject):
                result.objects.append(obj)
            else:
                result.skipped.append(obj)


def parse(text: str, name: str) -> list[ParsedDoc | ParseFailure]:
    """JSON for .json files and JSON-looking text (falling back to YAML), YAML otherwise."""
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith(("{", "[")):
        docs = parse_json(text)
        if not isinstance(docs[0], ParseFailure):
            return docs
        if not name.lower().endswith(".json") and not stripped.startswith(("{", "[")):
            return docs
        as_yaml = list(parse_yaml(text))
        if not any(isinstance(d, ParseFailure) for d in as_yaml):
            return as_yaml
        return docs
    return list(parse_yaml(text))

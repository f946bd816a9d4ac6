"""Stage 1: bytes -> Kubernetes objects with provenance (file, line, helm template), and what was
skipped, and why. Bad input never raises: it becomes a :class:`Skipped` entry.

    sources.py       paths -> bytes (files, folders, tar archives in memory, stdin)
    decode.py        bytes -> text (BOMs, binary files)
    json_backend.py  text -> documents with lines (json, batches, large files by windows)
    yaml_backend.py  text -> documents with lines, piece by piece (PyYAML)
    fast_yaml.py     the exact fast path for YAML pieces (rapidyaml -> JSON -> json)
    documents.py     documents -> objects (Lists, validity, redaction)
    helm.py          ``# Source:`` comments -> template of each object
    clusterdump.py   pod log tails of ``kubectl cluster-info dump`` folders
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from analyzer.load.clusterdump import tail
from analyzer.load.decode import decode, encoding_of
from analyzer.load.documents import objects_from
from analyzer.load.helm import SourceComments
from analyzer.load.json_backend import looks_like_json, parse_json, parse_json_stream
from analyzer.load.parsed import ParsedDoc, ParseFailure
from analyzer.load.sources import Limits, Source, expand
from analyzer.load.types import LoadResult, Location, RawObject, Skipped
from analyzer.load.yaml_backend import parse_yaml

__all__ = ["LoadResult", "Location", "RawObject", "Skipped", "load_inputs"]

JSON_AS_YAML_MAX = 8 * 1024 * 1024
"""Largest ``.json`` file tried again as YAML when it fails (PyYAML reads about 1.3 MB/s)."""


PARALLEL_FROM = 2 * 1024 * 1024
"""Input bytes from which reading files in two processes pays for starting the second one."""


def load_inputs(
    paths: Sequence[str], stdin: BinaryIO | None = None, jobs: int | None = None, limits: Limits | None = None
) -> LoadResult:
    """Read every path (file, folder, ``.tar``/``.tar.gz``/``.tgz`` archive, or ``-`` for
    ``stdin``) in the order given; objects come out in input, document and item order.

    Several files worth :data:`PARALLEL_FROM` bytes are parsed by ``jobs`` processes (default:
    one per core), each file by one of them; the result is the same, in the same order."""
    result = LoadResult()
    limits = limits or Limits.default()
    items = list(expand(paths, stdin, limits))
    for item, part in zip(items, _read_all(items, jobs), strict=True):
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        result.files.append(item.name)
        if item.log_of is not None:
            result.logs[item.log_of] = tail(item.data)
            continue
        if part is not None:
            result.objects.extend(part.objects)
            result.skipped.extend(part.skipped)
            result.documents += part.documents
    return result


def _read_all(items: list[Source | Skipped], jobs: int | None) -> Iterator[LoadResult | None]:
    """What each manifest source holds (None for the others), in order."""
    work = [item for item in items if isinstance(item, Source) and item.log_of is None]
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    parallel = (
        jobs > 1
        and len(work) > 1
        and sum(len(s.data) for s in work) >= PARALLEL_FROM
        and all(s.path is None for s in work)  # a streamed dump is read where it is used
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        done: Iterator[LoadResult] = map(_read_one, work)
    else:
        pool = multiprocessing.get_context("fork").Pool(min(jobs, len(work)))
        done = pool.imap(_read_one, work, chunksize=max(1, len(work) // (8 * jobs)))
        pool.close()
    for item in items:
        yield next(done) if isinstance(item, Source) and item.log_of is None else None
    if parallel:
        pool.join()


def _read_one(source: Source) -> LoadResult:
    part = LoadResult()
    try:
        _read(source, part)
    except Exception as exc:  # a bug must not cost the user the rest of the report
        part.skipped.append(
            Skipped(source.name, None, f"internal error while reading ({type(exc).__name__})")
        )
    return part


def _read(source: Source, result: LoadResult) -> None:
    if source.path is not None:
        _read_large(source, result)
        return
    text, problem = decode(source.data)
    if text is None:
        result.skipped.append(Skipped(source.name, None, problem or "not text"))
        return
    _add(parse(text, source.name), source.name, SourceComments(text), result)


def _read_large(source: Source, result: LoadResult) -> None:
    """A JSON file too large to hold twice (bytes and text), decoded window by window."""
    encoding, skip = encoding_of(source.data)
    try:
        with open(source.path or "", "rb") as handle:
            handle.seek(skip)
            docs = parse_json_stream(handle, encoding)
    except UnicodeDecodeError as exc:
        result.skipped.append(Skipped(source.name, None, f"not valid {encoding.upper()} text ({exc.reason})"))
        return
    except OSError as exc:
        result.skipped.append(Skipped(source.name, None, f"cannot read: {exc.strerror or exc}"))
        return
    _add(docs, source.name, SourceComments(""), result)


def _add(
    docs: Iterable[ParsedDoc | ParseFailure], name: str, comments: SourceComments, result: LoadResult
) -> None:
    """The objects of parsed documents, and what was skipped."""
    previous_end = 0
    for doc in docs:
        if isinstance(doc, ParseFailure):
            result.skipped.append(Skipped(name, doc.line, doc.reason))
            continue
        if doc.value is None:
            continue
        result.documents += 1
        helm_source = comments.for_document(doc.start_line, previous_end) if comments else None
        previous_end = doc.end_line
        for obj in objects_from(doc, name, helm_source):
            if isinstance(obj, RawObject):
                result.objects.append(obj)
            else:
                result.skipped.append(obj)


def parse(text: str, name: str) -> list[ParsedDoc | ParseFailure]:
    """JSON for ``.json`` files and text that starts like JSON, YAML otherwise. JSON that fails
    is tried as YAML (JSON is mostly YAML: single quotes, comments...) unless it is cut short
    (then YAML fails too) or is a ``.json`` file too big to be worth the slow YAML parser; when
    YAML fails too, the JSON error is the one reported."""
    if not looks_like_json(name, text):
        return list(parse_yaml(text))
    docs = parse_json(text)
    failure = next((d for d in docs if isinstance(d, ParseFailure)), None)
    too_big_for_yaml = name.lower().endswith(".json") and len(text) > JSON_AS_YAML_MAX
    if failure is None or failure.truncated or too_big_for_yaml:
        return docs
    as_yaml = list(parse_yaml(text))
    return docs if any(isinstance(d, ParseFailure) for d in as_yaml) else as_yaml

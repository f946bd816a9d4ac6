"""Stage 1: bytes -> Kubernetes objects with provenance (file, line, helm template), and what was
skipped, and why. Bad input never raises: it becomes a :class:`Skipped` entry.

    sources.py       paths -> sources (files, folders, tar archives in memory, stdin)
    layouts/         what a file found in a folder or archive is, and kinds named by paths
    decode.py        bytes -> text (BOMs, binary files, text damaged by NUL bytes)
    parsers/         text -> documents with lines (YAML: rapidyaml or PyYAML; JSON)
    lines.py         offsets -> lines, content lines: for every parser
    documents.py     documents -> objects (Lists, validity, redaction)
    helm.py          ``# Source:`` comments -> template of each object
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from analyzer.load.decode import decode, encoding_of
from analyzer.load.documents import objects_from
from analyzer.load.helm import SourceComments
from analyzer.load.layouts.cluster_dump import tail
from analyzer.load.parsers import ParsedDoc, ParseFailure, parse, parse_json_stream
from analyzer.load.parsers.json_halves import parse_json_halves
from analyzer.load.sources import Document, Limits, Log, Source, Streamed, expand
from analyzer.load.types import LoadResult, Location, RawObject, Skipped

__all__ = ["LoadResult", "Location", "Progress", "RawObject", "Skipped", "load_inputs", "load_named"]

Progress = Callable[[int, int, int], None]
"""Told after each file is read: files read, files in all, objects read so far (the command
line draws it on a terminal; the loader knows nothing of terminals)."""

PARALLEL_FROM = 2 * 1024 * 1024
"""Input bytes from which reading files in two processes pays for starting the second one."""


def load_inputs(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    jobs: int | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Read every path (file, folder, ``.tar``/``.tar.gz``/``.tgz`` archive, or ``-`` for
    ``stdin``) in the order given; objects come out in input, document and item order.

    Several files worth :data:`PARALLEL_FROM` bytes are parsed by ``jobs`` processes (default:
    one per core), each file by one of them, and one JSON List of
    :data:`~analyzer.load.parsers.json_halves.SPLIT_FROM` bytes or more by two, each half of its
    items; the result is the same, in the same order.
    ``progress``, when given, is told after each file."""
    result = LoadResult()
    limits = limits or Limits.default()
    items = list(expand(paths, stdin, limits))
    for done, (item, part) in enumerate(zip(items, _read_all(items, jobs), strict=True), start=1):
        _gather(item, part, result)
        if progress is not None:
            progress(done, len(items), len(result.objects))
    return result


def _gather(item: Source | Skipped, part: LoadResult | None, result: LoadResult) -> None:
    """What one source gave, added to ``result``."""
    if isinstance(item, Skipped):
        result.skipped.append(item)
        return
    result.files.append(item.name)
    if isinstance(item, Log):
        result.logs[(item.namespace, item.pod)] = tail(item.data)
    elif part is not None:
        result.objects.extend(part.objects)
        result.skipped.extend(part.skipped)
        result.documents += part.documents


def load_named(files: Iterable[tuple[str, bytes]]) -> LoadResult:
    """Files already in memory, each read as a file of documents under its name (the pre-commit
    hook's view of the staged files as they were at ``HEAD``)."""
    result = LoadResult()
    for name, data in files:
        result.files.append(name)
        part = _read_one(Document(name, data))
        result.objects.extend(part.objects)
        result.skipped.extend(part.skipped)
        result.documents += part.documents
    return result


def _read_all(items: list[Source | Skipped], jobs: int | None) -> Iterator[LoadResult | None]:
    """What each file of documents holds (None for the others), in order."""
    work = [item for item in items if isinstance(item, Document | Streamed)]
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    parallel = (
        jobs > 1
        and len(work) > 1
        and sum(len(s.data) for s in work if isinstance(s, Document)) >= PARALLEL_FROM
        and not any(isinstance(s, Streamed) for s in work)  # a streamed dump is read where it is used
        and _can_fork()
    )
    if not parallel:
        done: Iterator[LoadResult] = (_read_one(source, halves=jobs > 1) for source in work)
    else:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(min(jobs, len(work)))
        done = pool.imap(_read_one, work, chunksize=max(1, len(work) // (8 * jobs)))
        pool.close()
    for item in items:
        yield next(done) if isinstance(item, Document | Streamed) else None
    if parallel:
        pool.join()


def _can_fork() -> bool:
    """Imported only for inputs worth a second process: 10 to 30 ms of every start-up."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _read_one(source: Document | Streamed, halves: bool = False) -> LoadResult:
    """What one file holds (``halves``: a large JSON List may be read by two processes)."""
    part = LoadResult()
    try:
        _read(source, part, halves)
    except Exception as exc:  # a bug must not cost the user the rest of the report
        if os.environ.get("KUBESNAP_DEBUG", "") not in ("", "0"):  # as the command's handler: show the bug
            import traceback

            traceback.print_exc()
        part.skipped.append(
            Skipped(source.name, None, f"internal error while reading ({type(exc).__name__})")
        )
    return part


def _read(source: Document | Streamed, result: LoadResult, halves: bool = False) -> None:
    if isinstance(source, Streamed):
        _read_large(source, result, halves)
        return
    text, problem = decode(source.data)
    if text is None:
        result.skipped.append(Skipped(source.name, None, problem or "not text"))
        return
    _add(parse(text, source.name), source.name, SourceComments(text), result)


def _read_large(source: Streamed, result: LoadResult, halves: bool = False) -> None:
    """A JSON file too large to hold twice (bytes and text), decoded window by window (a large
    List, with ``halves``, by two processes: :mod:`analyzer.load.parsers.json_halves`)."""
    encoding, skip = encoding_of(source.head)
    try:
        docs = parse_json_halves(source.path, skip, encoding) if halves else None
        if docs is None:
            with open(source.path, "rb") as handle:
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

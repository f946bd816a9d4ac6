"""The fast YAML path: rapidyaml parses, writes the document as JSON, ``json.loads`` builds it.

About 40 times faster than PyYAML's C loader on a ``kubectl get -A -o yaml`` dump, and exact: a
document takes this path only when nothing in it can mean something else to PyYAML's
``safe_load`` (YAML 1.1) than to rapidyaml's JSON (YAML 1.2 plus quirks). What is refused:

* structure rapidyaml keeps but JSON cannot say, or that PyYAML reads otherwise: anchors,
  aliases, tags, merge keys, directives, complex keys, ``...`` markers, tabs, empty keys,
  escaped UTF-16 surrogates; characters PyYAML refuses or takes as line breaks (YAML 1.1's
  NEL, LS, PS, a lone CR);
* plain scalars whose type differs: YAML 1.1 booleans and nulls (``yes``, ``On``, ``~``,
  ``NULL``), octal, hex, binary, sexagesimal and underscored numbers, exponents, ``.inf`` and
  ``.nan``, and every plain key that is not a string to PyYAML (``80:``, ``true:``).

The checks are line-local regular expressions, run once over each distinct line of the text
(a dump repeats most of its lines), written to err on the side of refusing (a ``yes`` inside a
block scalar refuses too). A refused document goes to PyYAML whole; in a List laid out in
block style, only the refused items do, found from the refused distinct lines in one pass over
the lines: a few refusals in a large dump cost what they refuse. Line numbers come from where
rapidyaml's keys point into the parsed buffer, so they are exact too.

rapidyaml is a dependency with wheels for Linux, macOS and Windows; when it is missing, or
``KUBESNAP_PURE_YAML=1``, every document goes to PyYAML. tests/load/test_fast_yaml.py proves
both ways equal.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import itertools
import json
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from analyzer.load.lines import LineCounter, content_span
from analyzer.load.parsers.parsed import ParsedDoc, ParseFailure

try:
    import ryml
except ImportError:  # pragma: no cover - the accelerator is optional
    ryml = None

AVAILABLE = ryml is not None and os.environ.get("KUBESNAP_PURE_YAML", "") in ("", "0")
"""rapidyaml is installed and not turned off (``KUBESNAP_PURE_YAML=1`` forces PyYAML)."""
FAST_FROM = 160
"""Characters from which a document goes to rapidyaml: below, PyYAML reads it faster than the
fast path's fixed cost (about 75 µs a document)."""

SlowParse = Callable[[str, int], "ParsedDoc | ParseFailure"]
"""PyYAML on one piece of text whose first line is line ``offset + 1`` of the file."""

# What makes a whole document unfit: structure and characters (see the module docstring).
_STRUCTURE = re.compile(
    r"""(?:^[ \t]*|[:?-][ \t]+|[\[{,][ \t]*)[&*!@`]  # anchor, alias, tag, reserved indicator
      | (?:^[ \t]*|[:?-][ \t]+)[\]}]       # a flow end where a value starts
      | (?:[\[{,]|:[ \t])[ \t]*[%?:]        # an indicator starting a flow entry (or a value)
      | ^%                             # directive
      | (?:^|[ \t])\?(?:[ \t]|$)       # complex key
      | ^\.\.\.(?:[ \t\r]|$)           # document end marker
      | ^---[ \t]+[^\s\#]              # content on the --- line
      | \t                             # a tab: indentation to PyYAML, not always to rapidyaml
      | \r(?!\n)                       # a lone CR is a line break to both, but only YAML 1.1
      | [^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]
    """,
    re.M | re.X,
)

# Plain scalars whose type differs between PyYAML and rapidyaml's JSON, in bytes, wherever they
# can stand: first on a line (a key, an own-line value, a sequence entry, a flow entry carried
# over), after ``key:``, in a flow collection. Safe: decimal integers, plain decimal fractions,
# and true, false and null as values. Every pattern stays within one line (see _distinct_lines).
_NUMBER = rb"""[-+]?(?:
      0b[01_]+ | 0x[0-9a-fA-F_]+ | 0o?[0-7_]+
    | [0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    | (?=\.?[0-9])(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?
    | \.?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])
)"""
_WORD = rb"(?:yes|Yes|YES|no|No|NO|True|TRUE|False|FALSE|on|On|ON|off|Off|OFF|~|Null|NULL|<<)"
_SAFE = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_END = rb"[ \t\r]*(?:\#[^\n]*)?$"
_TOKEN = rb"(?:(?!" + _SAFE + rb"(?![-+0-9_.:eExXoObB]))" + _NUMBER + rb"|" + _WORD + rb")"
_KEY = rb"(?:" + _NUMBER + rb"|" + _WORD + rb"|true|false|null|<<)"
# Cheap first test: what follows can only be a number, or a short word before an end.
_GATE = rb"(?=[-+.0-9]|[yYnNoOtTfFiI~<][a-zA-Z<]{0,7}(?:[ \t\r,\]}:\#]|$))"
_SCALARS = re.compile(
    rb"\n[ \t]*(?:-[ \t]+)*" + _GATE
    + rb"(?:" + _KEY + rb"[ \t]*:(?:[ \t\r]|$)|" + _TOKEN + rb"(?:" + _END + rb"|[ \t]*[,\]}]))"
    + rb"|:[ \t]+" + _GATE + _TOKEN + rb"(?:" + _END + rb"|[ \t]*[,\]}])"
    + rb"|[\[{,][ \t]*" + _GATE
    + rb"(?:" + _TOKEN + rb"(?:" + _END + rb"|[ \t]*[,\]}])|" + _KEY + rb"[ \t]*:)",
    re.M | re.X,
)  # fmt: skip
_EMPTY_KEY = re.compile(rb"\n[ ]*(?:-[ ]+)*:(?:[ ]|$)|[\[{,][ ]*:", re.M)
_PLAIN_BYTES = bytes(range(0x20, 0x7F)).translate(None, b"&*!%?@`]}") + b"\n"
"""Bytes that cannot start anything _STRUCTURE refuses."""
_DISTINCT_FROM = 64 * 1024


def _distinct_lines(data: bytes, split: list[bytes] | None) -> bytes:
    """Each distinct line once, after a newline: what line-local patterns need to see. A dump
    repeats most of its lines (a 22 MB pod dump has 8% distinct lines). ``split`` is
    ``data.split(b"\\n")``, or None for a short text (then the text itself is searched)."""
    if split is None:
        return b"\n" + data
    return b"\n" + b"\n".join(set(split))


def _refused_lines(data: bytes, lines: bytes, split: list[bytes] | None) -> list[int]:
    """The lines of ``data`` (0-based, in order) that hold a plain scalar _SCALARS refuses.

    _SCALARS is line-local, so a line holds a match in ``data`` exactly when it holds one in
    ``lines``: the refused distinct lines come from the matches there, and one pass over the
    lines of ``data`` (in C: the lines' hashes are cached since _distinct_lines) finds where
    they stand. A few refused scalars in a large dump thus cost what they refuse, not another
    regular-expression pass over the whole text."""
    refused: set[bytes] = set()
    line_end = -1
    for match in _SCALARS.finditer(lines):
        at = match.end() - 1  # the last character matched: never the newline before the line
        if at < line_end:
            continue  # another match on a line already refused
        line_end = lines.find(b"\n", at)
        if line_end < 0:
            line_end = len(lines)
        refused.add(lines[lines.rfind(b"\n", 0, at) + 1 : line_end])
    if not refused:
        return []
    if split is None:
        split = data.split(b"\n")
    return list(itertools.compress(itertools.count(), map(refused.__contains__, split)))


_SURROGATE = re.compile(rb"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")
"""An escaped UTF-16 surrogate: PyYAML refuses it, rapidyaml decodes it."""


def _refused_structure(data: bytes, lines: bytes) -> bool:
    """Whether _STRUCTURE matches, looked for only in the lines that could match it."""
    if b"\\" in lines and _SURROGATE.search(lines):
        return True
    if _EMPTY_KEY.search(lines):
        return True
    if not (data.translate(None, _PLAIN_BYTES) or b"\n..." in lines or b"\n--- " in lines):
        return False
    odd = [
        line
        for line in lines.split(b"\n")
        if line.translate(None, _PLAIN_BYTES) or line.startswith((b"...", b"--- "))
    ]
    return _STRUCTURE.search(b"\n".join(odd).decode("utf-8")) is not None


def parse_document(piece: str, offset: int, slow: SlowParse) -> ParsedDoc | ParseFailure | None:
    """One document (``piece`` holds no ``---`` line but maybe its first), whose first line is
    line ``offset + 1`` of the file; None when it must go to PyYAML whole."""
    if ryml is None:
        return None
    original = piece.encode("utf-8")
    split = original.split(b"\n") if len(original) >= _DISTINCT_FROM else None
    lines = _distinct_lines(original, split)
    if _refused_structure(original, lines):
        return None
    refused = _refused_lines(original, lines, split)
    del split, lines  # before rapidyaml's tree and the JSON text take their room
    buffer = bytearray(original)
    tree = _parse(buffer)
    if tree is None:
        return None
    node = tree.root_id()
    if tree.is_stream(node):
        if tree.num_children(node) != 1:
            return None
        node = tree.first_child(node)
    if not piece.endswith("\n") and _ends_in_block_scalar(tree, node):
        return None  # there PyYAML keeps no final newline, rapidyaml adds one
    parsed = _Parsed(tree, node, piece, original, buffer, offset)
    try:
        if refused:
            return parsed.with_items_from(refused, slow)
        return parsed.document(parsed.value(node))
    except _REFUSALS:  # e.g. deeper than rapidyaml emits
        return None


class _Parsed:
    """A rapidyaml tree parsed in place in ``buffer``, a copy of ``original`` (parsing in place
    rewrites escaped scalars; keys still start where they did)."""

    def __init__(
        self, tree: Any, node: int, piece: str, original: bytes, buffer: bytearray, offset: int
    ) -> None:
        self.tree, self.node, self.piece, self.original, self.offset = tree, node, piece, original, offset
        self._buffer = buffer  # the tree points into it: it must live as long
        self._base = _address(buffer)
        self._lines = LineCounter(original, 1 + offset)

    def _offset(self, view: object) -> int:
        """Offset in the text of one of rapidyaml's views, which point into the buffer."""
        return _address(view) - self._base

    def value(self, node: int) -> Any:
        with _silenced_stderr():
            text = ryml.emit_json(self.tree, node)
        return json.loads(text)

    def document(self, value: Any, items: list[int] | None = None) -> ParsedDoc | None:
        tree, node = self.tree, self.node
        sequence = self._items_node()
        first = self._first_line(node)
        if first is None:
            return None
        if items is None and sequence is not None:
            items = []
            for child in _children(tree, sequence):
                line = self._first_line(child)
                if line is None:
                    return None
                items.append(line)
        start, end = content_span(self.piece)
        return ParsedDoc(value, first, items, start + self.offset, end + self.offset)

    def with_items_from(self, refused: list[int], slow: SlowParse) -> ParsedDoc | ParseFailure | None:
        """The document with each List item that holds a refused line (0-based, in order) read
        by PyYAML (items of a block sequence only: they hold whole lines). The work besides
        PyYAML's is one walk over the items, as for a document without refusals."""
        sequence = self._items_node()
        if sequence is None or not self.tree.is_block(sequence):
            return None
        starts: list[int] = []  # where each item's first line starts
        lines: list[int] = []  # and that line, in the file
        for child in _children(self.tree, sequence):
            key = self._first_offset(child)
            if key is None or key < 0:
                return None
            starts.append(self.original.rfind(b"\n", 0, key) + 1)
            lines.append(self._line_of(key))
        end = self._items_end(sequence)
        after = self._line_of(end) if end < len(self.original) else sys.maxsize
        first, last = refused[0] + 1 + self.offset, refused[-1] + 1 + self.offset
        if not starts or first < lines[0] or last >= after:
            return None
        value = self.value(self.node)
        items = value if isinstance(value, list) else value.get("items")
        if not isinstance(items, list) or len(items) != len(starts):
            return None
        bounds = [*starts, end]
        for index in sorted({bisect_right(lines, at + 1 + self.offset) - 1 for at in refused}):
            chunk = self.original[bounds[index] : bounds[index + 1]].decode("utf-8")
            item = slow(chunk, lines[index] - 1)
            if isinstance(item, ParseFailure):
                return item
            single = item.value if isinstance(item.value, dict) else None
            if isinstance(item.value, list) and len(item.value) == 1:
                single = item.value[0]
            if single is None:
                return None
            items[index] = single
        return self.document(value, lines)

    def _items_node(self) -> int | None:
        """The sequence whose elements are located one by one: a List's ``items``, or the
        document itself when it is a sequence."""
        tree, node = self.tree, self.node
        if tree.is_seq(node):
            return int(node)
        if tree.is_map(node):
            child = tree.find_child(node, b"items")
            if child != _NONE and tree.is_seq(child):
                return int(child)
        return None

    def _items_end(self, sequence: int) -> int:
        """Where the items end: the start of the line of the next key, or the text's end."""
        tree = self.tree
        following = tree.next_sibling(sequence) if tree.has_parent(sequence) else _NONE
        if following == _NONE or not tree.has_key(following):
            return len(self.original)
        return self.original.rfind(b"\n", 0, self._offset(tree.key(following))) + 1

    def _first_offset(self, node: int) -> int | None:
        """Where a node's first key (a mapping) or its value (a plain or quoted scalar) starts
        in the text; None when that is not where PyYAML places it (empty and block scalars,
        empty collections): the document then goes to PyYAML."""
        tree = self.tree
        if tree.is_map(node) and tree.has_children(node):
            child = tree.first_child(node)
            return self._offset(tree.key(child)) if tree.has_key(child) else None
        if not tree.is_val(node) or tree.val_is_null(node):
            return None
        if tree.is_val_plain(node):
            return self._offset(tree.val(node))
        if tree.is_val_quoted(node):  # the view starts after the quote, on the quote's line
            return self._offset(tree.val(node)) - 1
        return None

    def _first_line(self, node: int) -> int | None:
        at = self._first_offset(node)
        if at is None or at < 0:
            return None
        return self._line_of(at)

    def _line_of(self, at: int) -> int:
        """The line of the file that holds offset ``at`` of the text."""
        return self._lines.line(at)


_RYML_ERRORS: tuple[type[Exception], ...] = (
    (RuntimeError,) if ryml is None else (ryml.ExceptionBasic, RuntimeError)
)
_REFUSALS: tuple[type[Exception], ...] = (ValueError, RecursionError, *_RYML_ERRORS)
_NONE: int = -1 if ryml is None else int(ryml.NONE)


def _ends_in_block_scalar(tree: Any, node: int) -> bool:
    while tree.has_children(node):
        node = tree.last_child(node)
    return bool(tree.has_val(node) and (tree.is_val_literal(node) or tree.is_val_folded(node)))


def _children(tree: Any, node: int) -> Iterator[int]:
    child = tree.first_child(node)
    while child != _NONE:
        yield child
        child = tree.next_sibling(child)


def _parse(buffer: bytearray) -> Any:
    """rapidyaml's tree of ``buffer``, or None when it refuses the text. rapidyaml prints its
    errors to the process's stderr before raising: they are silenced (PyYAML reports them)."""
    with _silenced_stderr():
        try:
            return ryml.parse_in_place(buffer)
        except _RYML_ERRORS:
            return None


@contextlib.contextmanager
def _silenced_stderr() -> Iterator[None]:
    fd = 2  # rapidyaml writes to the C library's stderr, whatever sys.stderr is
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.flush()
    saved = os.dup(fd)
    try:
        os.dup2(_devnull(), fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


@functools.cache
def _devnull() -> int:
    """One descriptor on the null device for the whole run (documents may number 100,000)."""
    return os.open(os.devnull, os.O_WRONLY)


class _PyBuffer(ctypes.Structure):
    """CPython's ``Py_buffer``: only ``buf`` is read."""

    _fields_ = (
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    )


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = (ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int)
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = (ctypes.POINTER(_PyBuffer),)


def _address(view: object) -> int:
    """Memory address of the first byte of a buffer (rapidyaml's views are read-only, which
    ``ctypes.from_buffer`` refuses); -1 for no buffer (an empty key has none)."""
    if view is None:
        return -1
    info = _PyBuffer()
    _get_buffer(view, ctypes.byref(info), 0)
    try:
        return int(info.buf or 0)
    finally:
        _release_buffer(ctypes.byref(info))

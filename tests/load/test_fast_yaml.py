"""The fast YAML path (rapidyaml -> JSON -> json.loads) against PyYAML: on every input, the
documents' values (types included), their lines and item lines, and the failures' lines and
reasons are the same from ``parse_yaml`` as from ``parse_yaml(fast=False)`` (PyYAML alone, on
the same ``---`` pieces).

Three layers: the corpus and fixtures read both ways; named cases for each YAML 1.1 form the
fast path must refuse or read exactly; Hypothesis over generated Kubernetes-shaped streams and
over mutated corpus documents. Every mismatch found so far is kept as a file in
``fast_yaml_cases/``, a regression case; ``FOUND`` says what each one broke.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import parser_kit
import pytest
import yaml
from conftest import CORPUS, REPO, needs_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parser_kit import Outcome, agree, outcome

from analyzer.load.decode import decode
from analyzer.load.lines import has_content
from analyzer.load.parsers import (
    PARSERS,
    ParsedDoc,
    ParseFailure,
    pyyaml,
    rapidyaml,
    yaml_pieces,
    yaml_stream,
)

pytestmark = pytest.mark.skipif(
    not rapidyaml.AVAILABLE, reason="rapidyaml is not installed (or KUBESNAP_PURE_YAML=1)"
)

CASES = Path(__file__).with_name("fast_yaml_cases")
FIXTURES = REPO / "fixtures"

# --------------------------------------------------------------------------------------------
# Comparing the two paths


@pytest.fixture(autouse=True, scope="module")
def _small_documents_too() -> Iterator[None]:
    """parse_yaml leaves documents under FAST_FROM characters to PyYAML (faster there): here
    every document goes to the fast path, so that small cases test it."""
    saved, rapidyaml.FAST_FROM = rapidyaml.FAST_FROM, 0
    yield
    rapidyaml.FAST_FROM = saved


def both(text: str) -> tuple[Outcome, Outcome]:
    return outcome(PARSERS["yaml"](text)), outcome(PARSERS["pyyaml"](text))


def disagreement(text: str) -> str | None:
    """None when both paths read ``text`` the same; else both readings, for the message."""
    problem = parser_kit.disagreement(text, PARSERS["yaml"], PARSERS["pyyaml"])
    return None if problem is None else problem.replace("first: ", "fast path:").replace("second:", "PyYAML:")


def assert_agree(text: str) -> None:
    problem = disagreement(text)
    assert problem is None, problem


def taken(text: str) -> list[bool]:
    """For each piece with content: did the fast path read it (not refused)?"""
    return [
        rapidyaml.parse_document(piece, first - 1, yaml_pieces.parse_one) is not None
        for first, piece in yaml_stream._pieces(text)
        if has_content(piece)
    ]


# --------------------------------------------------------------------------------------------
# Mismatches found (all fixed): one file each in fast_yaml_cases/, and what it broke.

FOUND: dict[str, str] = {
    "empty-key.yaml": "`: x`: the fast path raises TypeError (a key without text has no buffer)",
    "empty-key-in-flow.yaml": "`{: x}`: the fast path raises TypeError",
    "empty-key-after-key.yaml": "`a: 1` then `: x`: fast path gives {'': 'x'}, PyYAML fails on line 2",
    "merge-key-as-value.yaml": "`a: <<`: fast path gives '<<', PyYAML cannot construct the merge tag",
    "merge-key-as-entry.yaml": "`- <<`: fast path gives '<<', PyYAML cannot construct the merge tag",
    "item-line-empty-flow-map.yaml": "item `- {}`: its line is the document's first line, PyYAML's its own",
    "item-line-null.yaml": "an empty item `-`: its line is the document's first line, PyYAML's is its own",
    "item-line-block-scalar.yaml": "item `- |`: its line is its text's first line, PyYAML's the `|` line",
    "top-level-block-scalar.yaml": "a document `>-`: its line is the text's line, PyYAML's the `>-` line",
    "tab-after-colon.yaml": "`a:<TAB>x`: fast path reads the string 'a:\\tx', PyYAML {'a': 'x'}",
    "tab-after-dash.yaml": "`-<TAB>x`: fast path reads the string '-\\tx', PyYAML fails",
    "surrogate-escape.yaml": '`"\\ud83d\\ude00"`: fast path gives mangled surrogates, PyYAML fails',
    "lone-surrogate-escape.yaml": '`"\\uD800"`: fast path gives a mangled string, PyYAML fails',
    "flow-items-refused-item.yaml": "`items: [yes, {b: 1}]`: the 2nd item becomes the whole document",
    "flow-items-refused-flow-map.yaml": "`items: [{name: yes}]`: the item becomes the whole document",
    "flow-items-over-lines.yaml": "a flow List over lines: PyYAML reads an item's lines alone and fails",
    "flow-sequence-refused-first-item.yaml": "`[yes,` + `x]`: the first line alone goes to PyYAML: fails",
    "unclosed-quote-before-separator.yaml": '`a: "x` then `---`: parse_yaml says end of stream on line 1, '
    "_parse_stream 'unexpected document indicator' on line 2",
    "error-at-end-line.yaml": "`a: [1, 2` (EOF error): parse_yaml says line 1, _parse_stream line 2",
    "unclosed-quote-error-line.yaml": "`a: 'x` + newline: parse_yaml says line 1, _parse_stream line 2",
    "error-line-after-ls.yaml": "`a: x<LS>y`: PyYAML's line 3 is clamped to 1 by _parse_piece only",
    "empty-doc-before-broken.yaml": "`---`,`---`,broken,`---`,good: _parse_stream drops the good document",
    "nel-starts-piece.yaml": "a piece whose content starts after NEL (\\x85): parse_yaml drops the document",
    "control-char-starts-piece.yaml": "a piece starting with \\x1c: parse_yaml drops it, PyYAML fails",
    "nbsp-document.yaml": "a document that is only U+00A0: parse_yaml drops it, PyYAML reads the string",
    "error-after-document-in-same-piece.yaml": "`---`,` a: 1`,`b: 2`,`---`,`c: 1`: _parse_stream drops c",
    "line-break-in-quoted-shifts-lines.yaml": "U+2028 in quotes: PyYAML counts a line, later lines shift",
}


def case_text(name: str) -> str:
    text, reason = decode((CASES / name).read_bytes())
    assert text is not None, reason
    return text


def check(text: str) -> None:
    """The property: both paths agree."""
    fast, slow = both(text)
    if not agree(fast, slow):
        raise AssertionError(f"{text!r}\n  fast path: {fast!r}\n  PyYAML:    {slow!r}")


def _case_params() -> list[Any]:
    names = sorted(p.name for p in CASES.iterdir() if p.suffix in (".yaml", ".yml")) if CASES.is_dir() else []
    return [pytest.param(name, id=name) for name in names]


@pytest.mark.parametrize("name", _case_params())
def test_regression_case(name: str) -> None:
    assert_agree(case_text(name))


def test_every_mismatch_found_has_its_case() -> None:
    assert set(FOUND) <= {p.name for p in CASES.iterdir()}


# --------------------------------------------------------------------------------------------
# 1. Fixtures and corpus, both ways


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def read_text(path: Path) -> str | None:
    text, _ = decode(path.read_bytes())
    return text


def differential(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], int, int]:
    """Every YAML file under ``root`` both ways: the mismatches, and how many pieces the fast
    path was offered and read."""
    offered = read = 0
    real = rapidyaml.parse_document

    def counting(*args: Any) -> ParsedDoc | ParseFailure | None:
        nonlocal offered, read
        doc = real(*args)
        offered += 1
        read += doc is not None
        return doc

    monkeypatch.setattr(rapidyaml, "parse_document", counting)
    problems = []
    for path in yaml_files(root):
        text = read_text(path)
        if text is not None and (problem := disagreement(text)) is not None:
            problems.append(f"{path.relative_to(root)}: {problem[:2000]}")
    return problems, offered, read


def test_fixtures_read_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    problems, offered, _ = differential(FIXTURES, monkeypatch)
    assert not problems, "\n".join(problems)
    assert offered > 0


@needs_corpus()
def test_corpus_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    problems, offered, read = differential(CORPUS, monkeypatch)
    assert not problems, "\n".join(problems)
    # Measured: about 96% (1823 of 1899 pieces); the fast path must not pass by refusing.
    assert offered > 1000 and read / offered >= 0.93, (read, offered)


# --------------------------------------------------------------------------------------------
# 2. Named cases

MERGE_KNOWN = ("value", "entry", "own-line", "commented", "flow-seq", "flow-seq-lines")  # see REGRESSIONS
FAST = "fast"  # clearly safe: the fast path must read it, and agree
EITHER = "either"  # risky: refused, or read exactly the same

NAMED: list[tuple[str, str, str]] = [
    # YAML 1.1 words and numbers, as values, sequence entries, keys and in flow sequences
    *[
        (f"{form}-{token}", text.format(token), EITHER)
        for token in [
            "yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "True", "TRUE", "False", "NULL", "Null",
            "~", "0755", "0o17", "00", "01", "09", "0x1F", "0b101", "1_000", "1:30", "190:20:30.5",
            "1e3", "1E+3", "1.0e+3", "-1e-3", "-.5", ".5", "+1", "+0.5", ".inf", "-.inf", "+.Inf",
            ".nan", ".NaN", "nan", "NaN", "inf", "infinity", "Infinity", "3.", "0.", "1.50", "1.5.6",
            "12e", "0x", "1:70", "1__0", "-0", "-0.0", "=", "<<", "2024-01-31", "2025-06-02T09:14:07Z",
            "y", "n", "true", "false", "null", "123456789012345678901234567890",
        ]
        for form, text in [
            ("value", "apiVersion: v1\nkind: ConfigMap\ndata:\n  k: {}\n"),
            ("entry", "args:\n- {}\n- x\n"),
            ("own-line", "a:\n  {}\n"),
            ("commented", "a: {}  # note\n"),
            ("flow-seq", "a: [x, {}, 2]\n"),
            ("flow-seq-lines", "a: [\n  {},\n  x\n]\n"),
            ("key", "{}: x\nb: 1\n"),
            ("key-in-entry", "- {}: x\n"),
            ("flow-key", "a: {{x: 1, {}: 2}}\n"),
        ]
        if not (token == "<<" and form in MERGE_KNOWN) and not (token == "=" and form == "flow-key")
    ],
    # Safe scalars and plain structure: the fast path's bread and butter
    ("safe-scalars", "a: 1\nb: -2\nc: 1.5\nd: true\ne: false\nf: null\ng: text\nh: 0\ni: -0.25\n", FAST),
    ("plain-keys", "80x: a\nport-80: b\nkey with spaces: c\n'80': d\n\"true\": e\n", FAST),
    ("quoted-risky", "a: 'yes'\nb: \"0x1F\"\nc: '1e3'\nd: \"~\"\ne: '.inf'\nf: \"1\"\ng: 'true'\n", FAST),
    ("kubectl-list", "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n"
     "  metadata:\n    name: b\nkind: List\nmetadata:\n  resourceVersion: \"\"\n", FAST),
    ("indented-list", "kind: List\nitems:\n  - a: 1\n    b: 2\n  - c: 3\n", FAST),
    ("empty-values", "a:\nb: ''\nc: \"\"\nd: []\ne: {}\nf: null\n", FAST),
    ("empty-entries", "a:\n- \n- x\n-\n- null\n", FAST),
    ("flow-words-numbers", "a: [1, foo, 2.5, bar baz, -3, true, null]\nb: {c: d, e: f g}\n", FAST),
    ("flow-over-lines", "a: {\n  b: c,\n  d: [1,\n    2]\n}\n", EITHER),
    ("duplicate-keys", "a: 1\nb: 2\na: 3\n", FAST),
    ("duplicate-items-key", "items:\n- a: 1\nitems:\n- b: 2\n- c: 3\n", EITHER),
    ("comments", "# head\na: 1 # one\n# mid\nb: x#y\nc: 'q' # q\n", FAST),
    ("unicode", "a: é\nb: 😀\nc: 日本語\nd: \"\\u00e9\\U0001F600\"\ne: 'ü'\n", FAST),
    ("single-quote-doubled", "a: 'it''s'\nb: ''''\nc: 'x\"y'\nd: 'C:\\path'\n", FAST),
    ("backslash-plain", "a: C:\\path\\n\nb: x\\ty\nc: b\"c\n", FAST),
    ("multi-line-plain", "a: one\n  two\n\n  three\nb: 1\n", FAST),
    ("multi-line-double", 'a: "one\n  two\n\n  three"\nb: "x\\\n  y"\nc: "x \\\n  y"\n', FAST),
    ("multi-line-single", "a: 'one\n  two\n\n  three'\nb: 1\n", FAST),
    ("escapes-basic", 'a: "\\t\\u00e9\\x41\\\\\\"\\ \\n\\r"\n', FAST),
    ("escape-slash", 'a: "\\/"\n', EITHER),
    ("escape-N", 'a: "x\\Ny"\n', EITHER),
    ("escape-L", 'a: "x\\Ly"\n', EITHER),
    ("escape-P", 'a: "x\\Py"\n', EITHER),
    ("escape-underscore", 'a: "x\\_y"\n', EITHER),
    ("escape-e", 'a: "\\e"\n', EITHER),
    ("escape-0", 'a: "\\0"\n', EITHER),
    ("escape-controls", 'a: "\\a\\b\\f\\v\\x01\\x7f\\x85\\u2028"\n', EITHER),
    ("escape-invalid", 'a: "\\q"\n', EITHER),
    ("escape-astral", 'a: "\\U0001F600"\n', EITHER),
    ("tab-in-double", 'a: "x\ty"\nb: "x\t\n  y"\n', EITHER),
    ("tab-in-single", "a: 'x\ty'\nb: 'x\t'\n", EITHER),
    ("tab-in-plain", "a: x\ty\nb: c\t# c\nd: 1\t\n", EITHER),
    ("tab-indentation", "a:\n\tb: 1\n", EITHER),
    ("tab-after-space-dash", "- \tx\n", EITHER),
    ("tab-before-newline", "a:\t\n  b: 1\n", EITHER),
    # block scalars, with and without a final newline at the end of the file
    *[
        (f"block-{name}-{end}", f"a: 1\nb: {indicator}\n  one\n   two\n\n  three{tail}", EITHER)
        for name, indicator in [
            ("literal", "|"), ("strip", "|-"), ("keep", "|+"), ("folded", ">"), ("folded-strip", ">-"),
            ("folded-keep", ">+"), ("indent", "|2"),
        ]
        for end, tail in [("eof", ""), ("newline", "\n"), ("blanks", "\n\n\n"), ("comment", "\n\n# c\n")]
    ],
    ("block-keep-before-separator", "a: |+\n  x\n\n---\nb: 1\n", EITHER),
    ("block-folded-more-indented", "a: >\n\n  x\n\n   y\n  z\n", EITHER),
    ("block-in-list", "items:\n- a: |\n    text\n- c: 3\n", FAST),
    # line ends and characters
    ("crlf", "a: 1\r\nb: x\r\nc:\r\n- d\r\n", EITHER),
    ("crlf-risky", "a: 1\r\nb: yes\r\n", EITHER),
    ("lone-cr", "a: 1\rb: x\n", EITHER),
    ("nel", "a: 1\n\x85b: 2\n", EITHER),
    ("nel-in-quotes", 'a: "x\x85y"\n', EITHER),
    ("ls-in-quotes", 'a: "x\u2028y"\n', EITHER),
    ("ps-in-quotes", "a: 'x\u2029y'\n", EITHER),
    ("bom-in-middle", "a: x\ufeffy\n", EITHER),
    ("del-char", "a: x\x7fy\n", EITHER),
    ("c1-char", "a: x\x9by\n", EITHER),
    ("private-use", "a: x\ue000y\n", EITHER),
    # structure rapidyaml keeps and JSON cannot say
    ("anchor-alias", "a: &x {b: 1}\nc: *x\n", EITHER),
    ("anchor-in-list", "- &x a\n- *x\n", EITHER),
    ("merge-key", "base: &b {k: 1}\nm:\n  <<: *b\n  j: 2\n", EITHER),
    ("tag-str", "a: !!str 1\nb: !!int '2'\n", EITHER),
    ("tag-custom", "a: !Ref x\n", EITHER),
    ("tag-float-bad", "a: !!float abc\n", EITHER),
    ("directive", "%YAML 1.1\n---\na: 1\n", EITHER),
    ("tag-directive", "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", EITHER),
    ("complex-key", "? a\n: 1\n? [b, c]\n: 2\n", EITHER),
    ("document-end", "a: 1\n...\n---\nb: 2\n", EITHER),
    ("content-on-separator", "--- {a: 1}\n--- b\n", EITHER),
    ("separator-comment", "--- # first\na: 1\n---\t\nb: 2\n", EITHER),
    ("anchor-like-plain", "a: b &c\nd: e*f\ng: x!y\n", FAST),
    ("indicators-inside-plain", "a: b@c\nd: e`f\ng: x]y\nh: i}j\nk: l%m\nn: o?p\nq: r:s\n", FAST),
    # an indicator where a token starts: PyYAML refuses what rapidyaml reads as text
    *[
        (f"{form}-starts-{name}", text.format(char), EITHER)
        for name, char in [
            ("at", "@"), ("backtick", "`"), ("bracket-close", "]"), ("brace-close", "}"), ("anchor", "&"),
            ("alias", "*"), ("tag", "!"), ("percent", "%"), ("question", "?"), ("colon", ":"),
        ]
        for form, text in [
            ("value", "a: 1\nb: {}c\n"), ("key", "a: 1\n{}b: 2\n"), ("entry", "a:\n- {}c\n"),
            ("flow-entry", "a: [x, {}c]\n"), ("spaced", "a: 1\nb: {} c\n"), ("flow-value", "a: {{x: {}c}}\n"),
        ]
    ],
    ("alias-undefined", "a: *nope\n", EITHER),
    ("billion-laughs", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", EITHER),
    # documents and streams
    ("multi-document", "a: 1\n---\nb: 2\n---\n\n# only a comment\n---\nc: [3]\n", FAST),
    ("broken-middle", "a: 1\n---\nb: [1\nc: 2\n---\nd: 4\n", EITHER),
    ("broken-indentation", "a:\n  b: 1\n c: 2\n", EITHER),
    ("bad-dash-value", "a: - x\n", EITHER),
    ("mapping-in-plain", "a: b: c\n", EITHER),
    ("top-level-scalar", "hello\n", FAST),
    ("top-level-quoted", '"hello"\n', FAST),
    ("top-level-sequence", "- a\n- b: 1\n", EITHER),
    ("top-level-empty-flow", "# x\n{}\n", EITHER),
    ("only-comments", "# nothing\n\n", FAST),
    ("deep-flow", "a: " + "[" * 200 + "]" * 200 + "\n", EITHER),
    ("deep-block", "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "v: 1\n", EITHER),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind"), [pytest.param(t, k, id=i) for i, t, k in NAMED])
def test_named_case(text: str, kind: str) -> None:
    assert_agree(text)
    if kind == FAST:
        assert all(taken(text)), f"the fast path refused {text!r}"


def test_named_cases_are_unique() -> None:
    ids = [i for i, _, _ in NAMED]
    assert len(ids) == len(set(ids))


def test_safe_cases_take_the_fast_path() -> None:
    """The cheap guard against a fast path that refuses everything."""
    assert taken("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n") == [True]


def test_a_list_with_one_refused_item_reads_only_that_item_with_pyyaml() -> None:
    text = (
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "- kind: ConfigMap\n"  # 4
        "  metadata: {name: a}\n"
        "  data: {k: v}\n"
        "- kind: ConfigMap\n"  # 7
        "  metadata:\n"
        "    name: b\n"
        "  data:\n"
        "    flag: yes\n"
        "    mode: 0755\n"
        "- kind: Secret\n"  # 13
        "  metadata: {name: c}\n"
        "  stringData:\n"
        "    s: |\n"
        "      text\n"
        "metadata:\n"
        "  resourceVersion: ''\n"
    )
    chunks: list[str] = []

    def slow(chunk: str, offset: int) -> ParsedDoc | ParseFailure:
        chunks.append(chunk)
        return yaml_pieces.parse_one(chunk, offset)

    doc = rapidyaml.parse_document(text, 0, slow)
    assert isinstance(doc, ParsedDoc)
    assert chunks == ["- kind: ConfigMap\n  metadata:\n    name: b\n  data:\n    flag: yes\n    mode: 0755\n"]
    items = doc.value["items"]
    assert items[0] == {"kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}
    assert items[1]["data"] == {"flag": True, "mode": 493}
    assert items[2]["stringData"] == {"s": "text\n"}
    assert (doc.line, doc.item_lines) == (1, [4, 7, 13])
    assert_agree(text)
    # The same List in a stream, after other documents, keeps its lines.
    stream = "a: 1\n---\n" + text + "---\nb: [2]\n"
    assert_agree(stream)
    assert taken(stream) == [True, True, True]


def test_a_list_whose_refused_item_is_broken_fails_like_pyyaml() -> None:
    assert_agree("kind: List\nitems:\n- a: 1\n- a: yes\n  b: [1, 2\n- c: 3\n")
    assert_agree("kind: List\nitems:\n- a: 1\n- a: yes\n   b: 2\n- c: 3\n")


REFUSED_LINES = (
    "      pod-template-hash: 0640966322",  # the same line in several items
    "      example.com/max-rps: 1e3",
    "      sidecar.istio.io/inject: yes",
    "      example.com/owner: ~",
    "      ports: [80, 0x1F]",
    "      modes:\n      - on\n      - 0755",
    "      80: http",
    "      note: |\n        on\n        in a block scalar: refused all the same",
    "      pod-template-hash: 0640966322  # commented",
)


def refused_list(count: int, refused: list[int], header: bool = True) -> str:
    """A List of ``count`` pods as kubectl lays it out; the ``i``-th item of ``refused``
    carries REFUSED_LINES[i] (in turn) among its labels. Without ``header``, the List's other
    keys come first and the text ends with a refused line of the last item, without a newline."""
    items = []
    for index in range(count):
        labels = f"      app: app-{index % 7}\n      tier: t{index % 3}\n"
        if index in refused:
            labels += REFUSED_LINES[refused.index(index) % len(REFUSED_LINES)] + "\n"
        items.append(
            f"- apiVersion: v1\n  kind: Pod\n  metadata:\n    labels:\n{labels}    name: pod-{index}\n"
            f"  spec:\n    containers:\n    - image: registry.example.com/app:{index % 5}\n"
            "      name: app\n      ports:\n      - containerPort: 8080\n"
        )
    if header:
        return f"apiVersion: v1\nitems:\n{''.join(items)}kind: List\nmetadata:\n  resourceVersion: ''\n"
    return f"apiVersion: v1\nkind: List\nitems:\n{''.join(items)}  enableServiceLinks: yes"


@pytest.mark.parametrize(
    ("count", "header"),
    [
        pytest.param(12, True, id="short"),  # under _DISTINCT_FROM: the text itself is searched
        pytest.param(400, True, id="long"),  # over: its distinct lines are
        pytest.param(400, False, id="long-ending-in-items"),
    ],
)
def test_refused_items_spread_through_a_list_read_the_same_both_ways(count: int, header: bool) -> None:
    """Refused scalars in the first item, the last, and items spread between (1 in 10, and
    two neighbours), some on lines that repeat in several items: only those items go to
    PyYAML, each with its own lines, and the List reads as PyYAML reads it."""
    refused = sorted({0, 1, count - 1, *range(5, count - 1, max(2, count // 40))})
    text = refused_list(count, refused, header)
    assert (len(text) >= rapidyaml._DISTINCT_FROM) == (count > 100)
    chunks: list[int] = []

    def slow(chunk: str, offset: int) -> ParsedDoc | ParseFailure:
        chunks.append(offset)
        return yaml_pieces.parse_one(chunk, offset)

    doc = rapidyaml.parse_document(text, 0, slow)
    assert isinstance(doc, ParsedDoc)
    assert doc.item_lines is not None and len(doc.item_lines) == count
    assert chunks == [doc.item_lines[index] - 1 for index in refused]  # each refused item once
    assert_agree(text)
    # The same List later in a stream: its lines are the stream's.
    stream = "a: 1\n---\n" + text + ("" if header else "\n") + "---\nb: [2]\n"
    assert_agree(stream)
    assert taken(stream) == [True, True, True]


def test_long_documents() -> None:
    items = "".join(
        f"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-{i}\n    namespace: ns-{i % 7}\n"
        f"  data:\n    n: '{i}'\n    text: |\n      line {i}\n      more\n"
        for i in range(1500)
    )
    text = f"apiVersion: v1\nkind: List\nitems:\n{items}metadata:\n  resourceVersion: ''\n"
    assert_agree(text)
    assert taken(text) == [True]
    risky = text.replace("n: '700'", "n: 700\n    on: yes", 1)
    assert_agree(risky)
    assert taken(risky) == [True]
    stream = "---\n".join(f"kind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  v: x{i}\n" for i in range(400))
    assert_agree(stream)
    assert all(taken(stream))


# --------------------------------------------------------------------------------------------
# 3. Properties

RISKY_TOKENS = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF", "True", "TRUE", "true", "False",
    "false", "null", "Null", "NULL", "~", "0755", "0o17", "00", "0x1F", "0b101", "1_000", "1:30",
    "190:20:30", "1e3", "1E+3", "1.0e+3", "-.5", ".5", "+1", "-1", "0", "-0", "1.50", "3.", "1.0",
    ".inf", "-.inf", ".Inf", ".nan", ".NaN", "nan", "NaN", "inf", "infinity", "<<", "=", "-", "?",
    ":", "#", "2024-01-31", "2025-06-02T09:14:07Z", "12e", "0x", "1.5.6", "1:70", "", " ", "a: b",
    "a #b", "'", '"', "&a", "*a", "!t", "|", ">", "%x", "@x", "`x", "{}", "[]", "[a, b]", "{a: 1}",
    "- x", "? x", "...", "---", "\\", "\\n", "é", "x\ny", "x\n", "\n", "\t", " x ", "x\u2028y",
    "x\x85y", "x\ufeffy", "\r\n",
]  # fmt: skip
KEY_WORDS = [
    "a", "b", "name", "items", "kind", "data", "spec", "metadata", "yes", "on", "true", "null", "80",
    "1.5", "~", "<<", "=", "key with space", "x:y", "-k", "é", "a#b", "items ",
]  # fmt: skip
CHARS = st.sampled_from(list("abcz019 :#-'\"\\\n\t{}[],&*!|>%@`?é日😀\r\x85\u2028\ufeff="))

texts = st.one_of(
    st.sampled_from(RISKY_TOKENS),
    st.text(CHARS, max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=6),
)
scalars = st.one_of(
    texts,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
keys = st.one_of(st.sampled_from(KEY_WORDS), st.text(CHARS, min_size=1, max_size=6), st.integers(0, 99))
values = st.recursive(
    scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(keys, kids, max_size=4), max_leaves=16
)
objects = st.fixed_dictionaries(
    {
        "apiVersion": st.sampled_from(["v1", "apps/v1"]),
        "kind": st.sampled_from(["ConfigMap", "Pod", "Deployment"]),
        "metadata": st.fixed_dictionaries(
            {"name": st.text("abc-09", min_size=1, max_size=8)},
            optional={
                "labels": st.dictionaries(keys, texts, max_size=3),
                "annotations": st.dictionaries(keys, scalars, max_size=3),
            },
        ),
    },
    optional={"data": st.dictionaries(keys, scalars, max_size=5), "spec": values},
)
documents = st.one_of(
    objects,
    st.builds(
        lambda items: {
            "apiVersion": "v1",
            "kind": "List",
            "items": items,
            "metadata": {"resourceVersion": ""},
        },
        st.lists(objects, max_size=4),
    ),
    values,
)

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_BREAK_CHARS = set("\n\r\x85\u2028\u2029")


def plain_ok(s: str, flow: bool) -> bool:
    """Can ``s`` stand as a plain scalar (whatever it then means to either parser)?"""
    if not s or s != s.strip(" \t") or _BREAK_CHARS & set(s) or s[0] in _INDICATORS:
        return False
    if ": " in s or " #" in s or s.endswith(":") or "\t" in s:
        return False
    if flow and set(",[]{}") & set(s):
        return False
    return all(c.isprintable() or c in "\t" for c in s)


class Emitter:
    """Writes YAML by hand, plain wherever it can: YAML 1.1 words and numbers stand unquoted.
    ``choice(n)`` draws a number below n for each stylistic decision."""

    def __init__(self, choice: Callable[[int], int]) -> None:
        self.choice = choice

    def scalar(self, v: Any, flow: bool) -> str:
        if v is None:
            return ["null", "~", "", "Null"][self.choice(4)]
        if isinstance(v, bool):
            return (["true", "True", "yes", "on"] if v else ["false", "False", "no", "off"])[self.choice(4)]
        if isinstance(v, int):
            return [str(v), hex(v) if v >= 0 else str(v), f"{v:_}"][self.choice(3)]
        if isinstance(v, float):
            if math.isnan(v):
                return [".nan", "nan", ".NaN"][self.choice(3)]
            if math.isinf(v):
                return ("-" if v < 0 else "") + [".inf", "inf", ".Inf"][self.choice(3)]
            return [repr(v), f"{v:e}", f"{v:.3f}"][self.choice(3)]
        s = str(v)
        style = self.choice(4)
        if style < 2 and plain_ok(s, flow):
            return s
        if style == 2 and not _BREAK_CHARS & set(s):
            return "'" + s.replace("'", "''") + "'"
        return json.dumps(s, ensure_ascii=bool(self.choice(2)))

    def flow(self, v: Any) -> str:
        if isinstance(v, dict):
            return "{" + ", ".join(f"{self.flow(k)}: {self.flow(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(self.flow(x) for x in v) + "]"
        return self.scalar(v, flow=True)

    def block_scalar(self, s: str, indent: int) -> str | None:
        if not s or _BREAK_CHARS - {"\n"} & set(s) or s[0] in " \n":
            return None
        body = s.rstrip("\n")
        trailing = len(s) - len(body)
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        head = ["|", ">"][self.choice(2)] + chomp
        pad = " " * (indent + 2)
        lines = "".join((pad + line if line else "") + "\n" for line in body.split("\n"))
        return head + "\n" + lines + "\n" * (trailing - 1 if trailing > 1 else 0)

    def value(self, v: Any, indent: int) -> str:
        """The text after ``key:`` or ``-``, starting with a space or a newline."""
        if isinstance(v, (dict, list)) and v and self.choice(5):
            return "\n" + self.block(v, indent + 2 if isinstance(v, dict) or self.choice(2) else indent)
        if isinstance(v, (dict, list)):
            return " " + self.flow(v) + "\n"
        if isinstance(v, str) and "\n" in v and self.choice(2):
            block = self.block_scalar(v, indent)
            if block is not None:
                return " " + block
        text = self.scalar(v, flow=False)
        return (" " + text if text else "") + "\n"

    def block(self, v: Any, indent: int) -> str:
        pad = " " * indent
        if isinstance(v, dict):
            return "".join(f"{pad}{self.scalar(k, flow=False)}:{self.value(x, indent)}" for k, x in v.items())
        out = []
        for x in v:
            if isinstance(x, dict) and x and self.choice(4):
                inner = self.block(x, indent + 2)
                out.append(pad + "- " + inner[indent + 2 :])
            else:
                out.append(pad + "-" + self.value(x, indent))
        return "".join(out)

    def document(self, v: Any) -> str:
        if isinstance(v, (dict, list)) and v:
            return self.block(v, 0)
        return self.flow(v) + "\n"


dump_styles = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, True, None]),
        "width": st.sampled_from([20, 80, 1000]),
        "allow_unicode": st.booleans(),
        "explicit_start": st.booleans(),
        "sort_keys": st.booleans(),
        "indent": st.sampled_from([2, 4]),
    }
)
SEPARATORS = ["---\n", "---\n\n", "--- # next\n", "\n---\n# c\n", "---\r\n"]


def dumped(data: st.DataObject, docs: list[Any]) -> str:
    """The documents written by PyYAML's dumper (one style) or the plain emitter, as a stream."""
    if data.draw(st.booleans(), label="pyyaml"):
        return yaml.safe_dump_all(docs, **data.draw(dump_styles, label="style"))
    emitter = Emitter(lambda n: data.draw(st.integers(0, n - 1)))
    parts = [emitter.document(doc) for doc in docs]
    out = parts[0]
    for part in parts[1:]:
        out += data.draw(st.sampled_from(SEPARATORS), label="separator") + part
    return out


PROPERTY = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@PROPERTY
@given(data=st.data(), docs=st.lists(documents, min_size=1, max_size=3))
def test_generated_streams_read_the_same_both_ways(data: st.DataObject, docs: list[Any]) -> None:
    check(dumped(data, docs))


@functools.cache
def mutation_sources() -> tuple[str, ...]:
    """Small real documents: the corpus's files, and the fixtures' List items (kubectl's
    layout, dedented to stand alone), so that a clone without ``../shared/`` has inputs too."""
    out = list(fixture_items())
    if CORPUS.is_dir():
        for path in yaml_files(CORPUS):
            if path.stat().st_size <= 6000:
                text = read_text(path)
                if text and text.strip():
                    out.append(text)
    assert out, "no source documents to mutate"
    return tuple(out)


def fixture_items() -> Iterator[str]:
    """Each item of the fixtures' Lists (``- `` at the first column) as a document of its own."""
    for path in yaml_files(FIXTURES):
        text = read_text(path) or ""
        for item in re.split(r"(?m)^(?=- )", text)[1:]:
            body = item.split("\n")
            kept = ["  " + body[0][2:]] + [line for line in body[1:] if line.startswith("  ") or not line]
            if len(kept) == len(body) and len("\n".join(kept)) <= 6000:
                document = "\n".join(line[2:] for line in kept)
                try:  # not one whose alias points to an anchor in another item
                    yaml.load(document, Loader=pyyaml.KubeLoader)
                except yaml.YAMLError:
                    continue
                yield document


MUTATION_TOKENS = [*RISKY_TOKENS[:60], "\t", "\r", "&a ", "*a", "!t ", "? ", "{", "[", '"', "'", ": ", "- "]


def mutate(data: st.DataObject, text: str) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        line = lines[i]
        indent = len(line) - len(line.lstrip(" "))
        token = data.draw(st.sampled_from(MUTATION_TOKENS), label="token")
        op = data.draw(st.integers(0, 7), label="op")
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, line)
        elif op == 2 and ": " in line:
            lines[i] = line[: line.rindex(": ") + 2] + token
        elif op == 3:
            lines.insert(
                i, " " * indent + data.draw(st.sampled_from(["k", "- ", "- k", "yes", "80"])) + ": " + token
            )
        elif op == 4:
            lines[i] = " " * data.draw(st.integers(0, indent + 2), label="indent") + line.lstrip(" ")
        elif op == 5:
            at = data.draw(st.integers(0, len(line)), label="at")
            lines[i] = line[:at] + token + line[at:]
        elif op == 6 and line.lstrip().startswith("- "):
            lines[i] = " " * indent + "- " + token
        else:
            lines.insert(i, " " * indent + "- " + token)
    out = "\n".join(lines)
    if data.draw(st.booleans(), label="strip final newline"):
        out = out.rstrip("\n")
    return out


@PROPERTY
@given(data=st.data())
def test_mutated_real_documents_read_the_same_both_ways(data: st.DataObject) -> None:
    sources = mutation_sources()
    text = sources[data.draw(st.integers(0, len(sources) - 1), label="source")]
    check(mutate(data, text))

"""YAML: first-key lines, safe_load semantics with Kubernetes' strings, recovery after a broken
document (in streams read whole too) and inside a broken List, damaged text, and the guards
against alias bombs and deep nesting."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, CORPUS_REQUIRED, load_text

from analyzer.load import LoadResult, load_inputs
from analyzer.load.decode import DAMAGE
from analyzer.load.parsers import ParsedDoc, ParseFailure, pyyaml, yaml_stream

needs_corpus = CORPUS_REQUIRED


def where(result: LoadResult) -> list[tuple[str, str, int | None]]:
    return [(o.data["kind"], o.data["metadata"]["name"], o.location.line) for o in result.objects]


def skips(result: LoadResult) -> list[tuple[int | None, str]]:
    return [(s.line, s.reason) for s in result.skipped]


def test_each_object_is_located_at_its_first_key(tmp_path: Path) -> None:
    result = load_text(
        tmp_path,
        "# leading comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n"
        "# about b\nkind: Secret\napiVersion: v1\nmetadata:\n  name: b\n---\n---\n"
        "--- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n",
    )
    assert where(result) == [("ConfigMap", "a", 3), ("Secret", "b", 9), ("ConfigMap", "c", 15)]
    assert result.documents == 3  # the empty documents are not counted
    assert result.skipped == []


def test_timestamps_stay_strings_and_the_rest_is_yaml_1_1(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  creationTimestamp: 2025-06-02T09:14:07Z\n"
        "  annotations: {day: 2024-01-31, plain: '='}\n"
        "data:\n  on: yes\n  port: 0755\n  hex: 0x1F\n  ratio: 1.5\n  nothing: ~\n  anchor: &x hello\n"
        "  alias: *x\n  base: &b {k: 1}\n  merged: {<<: *b, j: 2}\n  eq: =\n"
    )
    [obj] = load_text(tmp_path, text).objects
    assert obj.data["metadata"]["creationTimestamp"] == "2025-06-02T09:14:07Z"
    assert obj.data["metadata"]["annotations"] == {"day": "2024-01-31", "plain": "="}
    assert obj.data["data"] == {
        True: True,
        "port": 493,
        "hex": 31,
        "ratio": 1.5,
        "nothing": None,
        "anchor": "hello",
        "alias": "hello",
        "base": {"k": 1},
        "merged": {"k": 1, "j": 2},
        "eq": "=",
    }


@needs_corpus
def test_the_equals_scalar_pyyaml_rejects_is_the_string_equals() -> None:
    path = CORPUS / "kube-prometheus/manifests/setup/0alertmanagerConfigCustomResourceDefinition.yaml"
    result = load_inputs([str(path)])
    assert result.skipped == []
    [crd] = result.objects
    assert (crd.data["kind"], crd.data["metadata"]["name"], crd.location.line) == (
        "CustomResourceDefinition",
        "alertmanagerconfigs.monitoring.coreos.com",
        1,
    )
    assert '["!=", "=", "=~", "!~"]' in json.dumps(crd.data)


def test_a_broken_document_between_two_good_ones(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "first", 1), ("ConfigMap", "last", 9)]
    # PyYAML notices the unclosed '[' at the next '---': reported on the broken document's last line.
    assert skips(result) == [
        (7, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)")
    ]
    assert result.documents == 2


def test_every_good_document_after_several_broken_ones_is_read(tmp_path: Path) -> None:
    good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
    text = "---\n".join(
        [
            good % "a",
            "a: b: c\n",
            good % "b",
            "key: 'unclosed\n",
            "# nothing\n",
            good % "c",
            "x: *nope\n",
            good % "d",
        ]
    )
    result = load_text(tmp_path, text)
    assert [name for _, name, _ in where(result)] == ["a", "b", "c", "d"]
    assert skips(result) == [
        (5, "invalid YAML: mapping values are not allowed in this context"),
        (11, "invalid YAML: found unexpected end of stream (while scanning a quoted scalar)"),
        (19, "invalid YAML: found undefined alias (a plain value starting with '*' must be quoted)"),
    ]


def test_a_forbidden_character_costs_only_its_own_document(tmp_path: Path) -> None:
    # libyaml refuses a control character before reading any document of the stream.
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nx: \x07\n---\n" + (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
    )
    result = load_text(tmp_path, text)
    assert [name for _, name, _ in where(result)] == ["a", "b"]
    assert skips(result) == [
        (5, "invalid YAML: unacceptable character #x0007: control characters are not allowed")
    ]


def test_a_value_that_does_not_fit_its_tag_is_reported_without_the_value(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {pw: !!float hunter2}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: next}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tagged}\ndata: {x: !vault abc}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "next", 6)]
    assert skips(result) == [
        (1, "invalid YAML: a value does not fit its tag (ValueError)"),
        (13, "invalid YAML: could not determine a constructor for the tag '!vault'"),
    ]
    assert "hunter2" not in repr(result)


def test_billion_laughs_is_refused_before_it_is_built(tmp_path: Path) -> None:
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: lol}",
        'l0: &l0 ["lol","lol","lol","lol"]',
    ]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join(lines) + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n"
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "after", 15)]
    assert skips(result) == [(1, "too many aliases (billion-laughs guard)")]


def test_the_guard_counts_what_aliases_add_not_the_size_of_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyyaml, "MAX_ALIAS_NODES", 20)
    big = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n" + "".join(
        f"  k{i}: v\n" for i in range(50)
    )
    small_alias = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small, labels: &l {a: b}}\nx: *l\n"
    ten_keys = ", ".join(f"k{i}: v" for i in range(10))
    big_alias = (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big-alias}}\nb: &b {{{ten_keys}}}\nc: *b\n"
    )
    result = load_text(tmp_path, "---\n".join([big, small_alias, big_alias]))
    assert [o.data["metadata"]["name"] for o in result.objects] == ["big", "small"]
    assert skips(result) == [(61, "too many aliases (billion-laughs guard)")]


def test_many_small_aliases_are_fine(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, labels: &l {a: b}}\n"
    text += "".join(f"x{i}: *l\n" for i in range(1000))
    [obj] = load_text(tmp_path, text).objects
    assert obj.data["x999"] == {"a": "b"}


def test_a_document_that_contains_itself_is_refused(tmp_path: Path) -> None:
    result = load_text(tmp_path, "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: loop, self: *m}\n")
    assert result.objects == []
    assert skips(result) == [(1, "an alias refers to a node that contains it (recursive document)")]


def test_deep_nesting_is_a_skipped_document_not_a_crash(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nx: " + "[" * 5000 + "]" * 5000 + "\n"
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "a", 1)]
    [skip] = result.skipped
    assert skip.line == 5 and skip.reason.startswith("invalid YAML: exceeded maximum nesting depth")


def test_the_pure_python_parser_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PurePythonLoader(yaml.SafeLoader):
        """PyYAML's pure-Python parser, with kubesnap's constructors copied in below."""

    for tag, constructor in pyyaml.KubeLoader.yaml_constructors.items():
        PurePythonLoader.add_constructor(tag, constructor)
    monkeypatch.setattr(pyyaml, "KubeLoader", PurePythonLoader)
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, creationTimestamp: 2025-01-01T00:00:00Z}\n"
        "data: {eq: =}\n---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\nname: *secret-ish\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "a", 1), ("ConfigMap", "b", 10)]
    assert result.objects[0].data["metadata"]["creationTimestamp"] == "2025-01-01T00:00:00Z"
    assert result.objects[0].data["data"] == {"eq": "="}
    assert skips(result) == [
        (6, "document nested too deeply"),
        (8, "invalid YAML: found undefined alias (a plain value starting with '*' must be quoted)"),
    ]


def test_merge_keys_do_not_move_list_item_lines(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: List
defaults: &d {apiVersion: v1, kind: ConfigMap}
items:
- <<: *d
  metadata: {name: a}
- metadata: {name: b}
  <<: *d
"""
    assert where(load_text(tmp_path, text)) == [("ConfigMap", "a", 5), ("ConfigMap", "b", 7)]


# --------------------------------------------------------------------------------------------
# Streams read by PyYAML whole (a directive, or a line break only YAML 1.1 knows): after an
# error, every piece from where PyYAML stopped is read on its own. One file each in
# stream_cases/ (bytes exact: NEL, LS, lone CR, NUL), and what must come out of it: each good
# document (or List item) as ``name@line`` in order, and the failures' lines. Lines are
# PyYAML's, which counts NEL, LS, PS and a lone CR as line breaks.

STREAM_CASES = Path(__file__).with_name("stream_cases")

STREAMS: dict[str, tuple[list[str], list[int]]] = {
    # The two losses of the issue: the good document after them was dropped.
    "empty-doc-before-broken.yaml": (["after@6"], [4]),  # %YAML, ---, ---, broken, ---, good
    "error-after-document-in-same-piece.yaml": (["first@3", "after@8"], [6]),  # ` a: 1` then `b: 2`
    # Layouts around them.
    "several-empty-docs-nel.yaml": (["a@1", "c@11"], [8]),  # good, 3 empty, broken, 2 empty, good
    "good-empty-broken-empty-good-cr.yaml": (["a@1", "c@12"], [9]),  # and a comment-only piece
    "comments-and-end-markers.yaml": (["a@5", "c@16"], [11]),  # `...` after good and broken ones
    "error-reported-at-next-separator.yaml": (["a@3", "c@11"], [8]),  # `[1, 2`: its line, not `---`
    "error-in-first-piece.yaml": (["b@8"], [1]),  # %YAML 2.0: the first document refused
    "error-in-last-piece-at-eof.yaml": (["a@3"], [8]),  # the file's last line, not the one after it
    "reader-error-first-piece.yaml": (["a@5"], [3]),  # a control character, refused before reading
    "nul-run-in-middle-piece.yaml": (["a@3", "c@11"], [9]),  # damaged text: only its document lost
    "tag-directive-after-broken.yaml": (["tagged@5"], [2]),  # the %TAG stays with its document
    "nel-separated-documents.yaml": (["a@1", "b@8", "c@13"], [6]),  # `---` after NEL cuts too
    "lone-cr-lines.yaml": (["a@1", "c@8"], [6]),  # lines end with a lone CR
    "ls-shifts-lines-before-error.yaml": (["a@1", "c@10"], [8]),  # LS in a quoted value: a line
    # libyaml checks characters 16 KB ahead of its parser: the NUL breaks the stream while
    # cm105 is being read (an LS first: every line is one further down).
    "reader-error-ahead-of-parser.yaml": (
        [f"cm{i:03d}@{2 + 2 * i}" for i in range(200)] + ["last@404"],
        [402],
    ),
    # A kubectl List whose item 3 holds a NUL run, then a document: items 1, 2, 4 and 5 kept.
    "list-nul-item-with-directive.yaml": (["i1@5", "i2@9", "i4@17", "i5@21", "after@29"], [16]),
}


def located(docs: list[ParsedDoc | ParseFailure]) -> tuple[list[str], list[int | None]]:
    """Each document (or List item) as ``name@line``, and the failures' lines."""
    names: list[str] = []
    for doc in docs:
        if isinstance(doc, ParsedDoc) and isinstance(doc.value, dict):
            items = doc.value.get("items")
            if isinstance(items, list):
                lines = doc.item_lines or []
                names += [
                    f"{item['metadata']['name']}@{line}" for item, line in zip(items, lines, strict=True)
                ]
            else:
                names.append(f"{doc.value['metadata']['name']}@{doc.line}")
    return names, [doc.line for doc in docs if isinstance(doc, ParseFailure)]


def names_and_failures(docs: list[ParsedDoc | ParseFailure]) -> tuple[list[str], list[int | None]]:
    names: list[str] = []
    for doc in docs:
        if isinstance(doc, ParsedDoc) and isinstance(doc.value, dict):
            items = doc.value.get("items")
            for item in items if isinstance(items, list) else [doc.value]:
                names.append(item["metadata"]["name"])
    return names, [doc.line for doc in docs if isinstance(doc, ParseFailure)]


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_a_stream_read_whole_loses_no_good_document(name: str) -> None:
    text = (STREAM_CASES / name).read_bytes().decode("utf-8")
    assert yaml_stream._whole_stream_only(text)  # the path under test
    assert located(list(yaml_stream.parse_yaml(text))) == STREAMS[name]
    assert located(list(yaml_stream.parse_yaml(text, fast=False))) == STREAMS[name]


def test_every_stream_case_has_its_expectation() -> None:
    assert {p.name for p in STREAM_CASES.iterdir()} == set(STREAMS)


def configmap(name: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


# Pieces of a stream, and the names of the good documents in each.
PIECES: dict[str, tuple[str, list[str]]] = {
    "good": (configmap("{n}"), ["{n}"]),
    "good-end-marker": (configmap("{n}") + "...\n", ["{n}"]),
    "flow-good": ("{{apiVersion: v1, kind: ConfigMap, metadata: {{name: {n}}}}}  # c\n", ["{n}"]),
    "empty": ("", []),
    "comment": ("# only a comment\n", []),
    "mapping-in-value": ("b: x: y\n", []),
    "unclosed-flow": ("a: [1, 2\n", []),
    "unclosed-quote": ("a: 'x\n", []),
    "good-then-error": (" apiVersion: v1\n kind: ConfigMap\n metadata: {{name: {n}}}\nb: 2\n", ["{n}"]),
    "control-char": ("x: \x07\n", []),
    "nul-run": ("apiVersion: v1\nkind: Conf\x00\x00\x00\x00\n", []),
    "list-nul-item": (
        "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: {n}-1}}\n"
        "- apiVersion: v1\n  kind: Conf\x00\x00\n- apiVersion: v1\n  kind: ConfigMap\n"
        "  metadata: {{name: {n}-3}}\nkind: List\n",
        ["{n}-1", "{n}-3"],
    ),
}
# What makes PyYAML read the stream whole, and the same stream without it (lines shifted by).
FORCING: list[tuple[str, Callable[[str], str], Callable[[str], str], int]] = [
    ("directive", lambda s: "%YAML 1.1\n---\n" + s, lambda s: "---\n" + s, 1),
    ("nel", lambda s: s + "# end\x85", lambda s: s + "# end\n", 0),
    ("lone-cr", lambda s: s + "# end\r", lambda s: s + "# end\n", 0),
    ("ls", lambda s: "# x\u2028\n" + s, lambda s: "# x\n\n" + s, 0),
]


def outcome(docs: list[ParsedDoc | ParseFailure], shift: int = 0) -> list[tuple[object, ...]]:
    """Documents (not the empty ones) with their lines and item lines, failures with theirs."""
    out: list[tuple[object, ...]] = []
    for doc in docs:
        if isinstance(doc, ParseFailure):
            out.append(("failure", None if doc.line is None else doc.line + shift, doc.reason))
        elif doc.value is not None:
            items = [n + shift for n in doc.item_lines or []]
            out.append(("document", json.dumps(doc.value), doc.line + shift, items))
    return out


def test_streams_read_whole_give_what_their_pieces_give() -> None:
    """Every stream of up to three pieces, each way of forcing the whole-stream path: every
    good document is read, and the outcome is the per-piece path's on the same stream without
    what forces it (documents, lines, item lines, failures and their reasons)."""
    problems = []
    for size in (1, 2, 3):
        for kinds in itertools.product(PIECES, repeat=size):
            texts = [PIECES[kind][0].format(n=f"d{i}") for i, kind in enumerate(kinds)]
            expected = [name.format(n=f"d{i}") for i, kind in enumerate(kinds) for name in PIECES[kind][1]]
            body = "---\n".join(texts)
            for how, forced, plain, shift in FORCING:
                whole = list(yaml_stream.parse_yaml(forced(body)))
                pieces = list(yaml_stream.parse_yaml(plain(body)))
                if names_and_failures(whole)[0] != expected or outcome(whole) != outcome(pieces, shift):
                    problems.append(
                        f"{how} {kinds}:\n  whole:  {outcome(whole)}\n  pieces: {outcome(pieces, shift)}"
                    )
    assert not problems, f"{len(problems)} streams:\n" + "\n".join(problems[:5])


# --------------------------------------------------------------------------------------------
# Damaged text, and a List laid out as kubectl writes it that breaks inside one item: the items
# on both sides of the broken one are kept.

NAMES_5 = ["cm-1", "cm-2", "cm-3", "cm-4", "cm-5"]


def kubectl_list(*names: str) -> str:
    """``kubectl get -o yaml``: one List, ``items:`` then ``- `` at the first column; item i
    (from 1) starts on line 3 + 7 (i - 1), its name on the line after ``metadata:``."""
    items = "".join(
        f"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: {n}\n    namespace: default\n"
        f"  data:\n    k: v\n"
        for n in names
    )
    return f'apiVersion: v1\nitems:\n{items}kind: List\nmetadata:\n  resourceVersion: ""\n'


def test_a_nul_run_in_one_document_of_a_stream(tmp_path: Path) -> None:
    text = configmap("a") + "---\n" + configmap("b").replace("name: b", "name: b" + "\x00" * 300) + "---\n"
    result = load_text(tmp_path, text + configmap("c"))
    assert where(result) == [("ConfigMap", "a", 1), ("ConfigMap", "c", 11)]
    assert skips(result) == [(9, DAMAGE)]


def test_a_nul_run_in_one_item_of_a_list(tmp_path: Path) -> None:
    text = kubectl_list(*NAMES_5).replace("name: cm-3\n", "name: cm" + "\x00" * 200 + "\n")
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", n, 3 + 7 * i) for i, n in enumerate(NAMES_5) if n != "cm-3"]
    assert skips(result) == [(20, DAMAGE)]


@pytest.mark.parametrize(
    ("damage", "replaced", "line", "reason"),
    [
        ("nul-run", "namespace: default", 21, DAMAGE),
        (
            "control-char",
            "name: cm-3",
            20,
            "unacceptable character #x0007: control characters are not allowed",
        ),
        (
            "unclosed-quote",
            "name: cm-3",
            20,
            "found unexpected end of stream (while scanning a quoted scalar)",
        ),
        (
            "closes-in-a-later-item",
            "name: cm-3",
            20,
            "did not find expected key (while parsing a block mapping)",
        ),
        (
            "bad-indent",
            "    namespace: default",
            21,
            "did not find expected key (while parsing a block mapping)",
        ),
        ("unclosed-flow", "    k: v", 23, "did not find expected ',' or ']' (while parsing a flow sequence)"),
        ("mapping-in-value", "name: cm-3", 20, "mapping values are not allowed in this context"),
    ],
)
def test_a_list_broken_inside_one_item_keeps_the_others(
    damage: str, replaced: str, line: int, reason: str
) -> None:
    text = kubectl_list(*NAMES_5)
    item_3 = text.index("- apiVersion", text.index("name: cm-2"))
    at = text.index(replaced, item_3)
    broken = {
        "nul-run": "names\x00\x00\x00\x00\x00\x00pace: default",
        "control-char": "name: cm\x07-3",
        "unclosed-quote": "name: 'cm-3",
        "closes-in-a-later-item": "name: 'cm-3",
        "bad-indent": "   namespace: default",
        "unclosed-flow": "    k: [v, w",
        "mapping-in-value": "name: cm-3: x",
    }[damage]
    text = text[:at] + broken + text[at + len(replaced) :]
    if damage == "closes-in-a-later-item":  # the quote ends in item 4, the next error after it
        text = text.replace("name: cm-4\n", "name: cm-4\n    annotations: {x: 'y'}\n")
    for fast in (True, False):
        docs = list(yaml_stream.parse_yaml(text, fast=fast))
        assert len(docs) == 2, docs
        doc, failure = docs
        assert isinstance(doc, ParsedDoc) and isinstance(failure, ParseFailure)
        assert [item["metadata"]["name"] for item in doc.value["items"]] == ["cm-1", "cm-2", "cm-4", "cm-5"]
        shifted = 1 if damage == "closes-in-a-later-item" else 0
        assert doc.item_lines == [3, 10, 24, 31 + shifted]
        assert (doc.line, doc.value["kind"], doc.value["metadata"]) == (1, "List", {"resourceVersion": ""})
        assert list(doc.value) == ["apiVersion", "items", "kind", "metadata"]
        expected = reason if reason == DAMAGE else f"invalid YAML: {reason}"
        assert (failure.line, failure.reason) == (line, expected)


def test_each_broken_item_of_a_list_is_a_failure_of_its_own() -> None:
    text = kubectl_list(*NAMES_5, "cm-6")
    text = text.replace("name: cm-1\n", "name: 'cm-1\n").replace("name: cm-4\n", "name: cm-\x004\n")
    docs = list(yaml_stream.parse_yaml(text))
    names, lines = names_and_failures(docs)
    assert names == ["cm-2", "cm-3", "cm-5", "cm-6"]
    assert lines == [6, 27]
    assert docs[0].item_lines == [10, 17, 31, 38]  # type: ignore[union-attr]


def test_a_list_cut_short_keeps_the_items_before_the_cut() -> None:
    text = kubectl_list(*NAMES_5)
    cut = text[: text.index("name: cm-4") + len("name: ")] + "'cm"
    docs = list(yaml_stream.parse_yaml(cut))
    assert names_and_failures(docs) == (["cm-1", "cm-2", "cm-3"], [27])
    assert "kind" not in docs[0].value  # type: ignore[union-attr]  # nothing after the cut


def test_a_list_whose_head_breaks_is_one_failure() -> None:
    text = kubectl_list(*NAMES_5).replace("apiVersion: v1\nitems:", "apiVersion: [v1\nitems:", 1)
    assert names_and_failures(list(yaml_stream.parse_yaml(text))) == ([], [2])


def test_a_damaged_line_at_the_first_column_costs_the_items_it_may_belong_to() -> None:
    # NULs from the first column: the line may have been the next item's `- ` or one of this
    # item's indented lines, so the item before is not kept half read.
    text = kubectl_list(*NAMES_5)
    at = text.index("- apiVersion", text.index("name: cm-2"))
    text = text[:at] + "\x00\x00\x00" + text[at + 3 :]
    assert names_and_failures(list(yaml_stream.parse_yaml(text))) == (["cm-1", "cm-4", "cm-5"], [17])


def test_reader_errors_are_told_alike_by_both_parsers_at_their_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml says where in UTF-8 bytes, the pure-Python reader in characters.
    text = "a: é\n---\nb: 日日日日日日\x00\nx: 1\ny: 2\nz: 3\n---\nc: 日\x07\n---\nd: 1\n"
    expected: list[tuple[object, ...]] = [
        ("document", '{"a": "\\u00e9"}', 1, []),
        ("failure", 3, DAMAGE),
        ("failure", 8, "invalid YAML: unacceptable character #x0007: control characters are not allowed"),
        ("document", '{"d": 1}', 10, []),
    ]
    assert outcome(list(yaml_stream.parse_yaml(text))) == expected
    monkeypatch.setattr(pyyaml, "KubeLoader", yaml.SafeLoader)
    assert outcome(list(yaml_stream.parse_yaml(text))) == expected

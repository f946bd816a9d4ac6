"""Hostile inputs: one table of named cases, each with its exact expected outcome.

Every case writes its input under ``tmp_path`` and runs ``kubesnap check ARGS --format json
--fail-on never`` in-process (``CliRunner``, as tests/cli/test_contract.py does). A probe rule
(``label-missing`` on every kind, severity info) gives one finding per analysed object, so the
report names every object that reached the rules. Each case asserts: the exit code, the exact
``inputs.skipped`` list (file suffix, line, reason substring, in order), the good objects that
must still be analysed, no traceback and no exception, nothing written to disk (tmp folder and
working folder listed before and after), nothing from the environment in the output, and a
guard against a hang (far above the normal time: speed is measured by bench/run.py, not here).

Input classes (81 cases):

* YAML (22): broken documents between good ones, a List and a stream truncated mid-item, tabs,
  duplicate keys (last wins), billion laughs, an alias cycle, 10,000-deep flow and block nesting,
  a 100 MB scalar, 100,000 tiny documents, non-mapping documents, missing kind/name/metadata,
  wrong field types, a value that does not fit its tag, python tags, a control character.
* Encodings (16): UTF-8 BOM, UTF-16 LE/BE with BOM, UTF-16 without BOM, invalid UTF-8, a PNG
  named .yaml, broken JSON (concatenated values, a List cut short, a List broken mid-item); text
  damaged by NUL bytes (one NUL, a 4 KiB run between documents, a run in one YAML List item, in
  one JSON List item, over two JSON items, zeros then a document) and a file of NULs only.
* Archives (11): ``../`` and absolute members, symlink, hardlinks, character device, a gzip
  bomb, too many members, a nested archive, a truncated archive.
* Folders (3): a FIFO, a symlink to a device, a symlink loop, found inside a folder.
* Large files (3): YAML over --max-file-size read whole or streamed, JSON over it streamed.
* Rules (17) and configuration (6), object names (1): unknown fields, wrong types, unknown
  predicate, bad placeholders, template injection ({__class__}, {0.__init__}, jinja, ${HOME}),
  literal text, a regular expression where none is accepted, alias bombs, unreadable files, a
  pathological glob, snapshot values that look like templates.
* Whole run (2): nothing readable at all (exit 2), a hostile stream on standard input.

Limits are lowered with the options that raise them (--max-archive-size, --max-archive-members,
--max-file-size) and STREAM_FROM (no option) with monkeypatch, so every case stays small.

Cases that the current code fails are kept with the correct expectation and marked
``xfail(strict=True)``; the reason says what is wrong and where the fix belongs.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.load import sources
from analyzer.load.decode import DAMAGE

PROBE_ID = "probe-every-object"
PROBE_RULE = f"""id: {PROBE_ID}
title: Probe
category: probe
severity: info
applies_to: ["*"]
check: {{predicate: label-missing, params: {{label: kubesnap-probe}}}}
message: "{{object.kind}} {{object.name}} analysed."
hint: "Nothing to do."
docs: {{what: Probe., why: Probe., example: E, use_instead: U}}
"""
SECRET_ENV = "KUBESNAP_HOSTILE_SECRET"
SECRET_VALUE = "s3cr3t-from-the-environment-4711"
FAKE_HOME = "/nonexistent/kubesnap-hostile-home-0815"
WHOLE_FILE = None  # the line of a skipped entry about a whole file


def cm(name: str) -> str:
    """A good object, block style, four lines, its first key on its first line."""
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


def cm_dict(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}


def stream(*docs: str) -> str:
    return "---\n".join(docs)


# --- the table -------------------------------------------------------------------------------

HANG_GUARD = 60.0
"""Default seconds after which a case counts as hung: more than 100 times the normal time of
all cases but three (the 100 MB scalar, 100,000 tiny documents, the large streamed JSON: 2 to 8 s,
bounded at 15 times that or more)."""


@dataclass(frozen=True)
class Expect:
    code: int = 0
    skipped: Sequence[tuple[str, int | None, str]] = ()
    """Exactly these ``inputs.skipped`` entries, in order: (file suffix, line, reason substring)."""
    good: Sequence[str] = ()
    """Names of objects that must be analysed (the probe rule reports each)."""
    objects: int | None = None
    """Exact ``inputs.objects`` when given."""
    errors: Sequence[str] = ()
    """Substrings of standard error (exit code 2)."""
    absent: Sequence[str] = ()
    """Strings that must appear nowhere in the output."""
    present: Sequence[str] = ()
    """Strings that must appear in standard output (e.g. text rendered literally)."""
    report: bool = True
    """A JSON report is written on standard output."""
    hang_after: float = HANG_GUARD
    """Seconds after which the case counts as hung: a guard, not a speed target (speed is
    measured by bench/run.py). Far above the normal time on an idle 2-core machine: every case
    but three takes under 0.5 s."""


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], list[str]]
    """Writes the input under the folder given; returns the CLI arguments after ``check``: paths,
    and for rule and configuration cases the ``--rules``/``--config`` options."""
    expect: Expect
    patch: Callable[[pytest.MonkeyPatch], None] | None = None
    """Lowers a limit so that the case stays small and fast."""
    xfail: str | None = None
    """Why the current code fails the correct expectation (and where the fix belongs)."""
    before: Callable[[Path], Callable[[], None]] | None = field(default=None, repr=False)
    """Started before the run (e.g. a watchdog); returns what to call after it."""


def write(folder: Path, name: str, data: str | bytes) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


def options(build: Callable[[Path], list[str]], *extra: str) -> Callable[[Path], list[str]]:
    """The same input, with command-line options after it (the limits: --max-file-size...)."""

    def with_extra(folder: Path) -> list[str]:
        return [*build(folder), *extra]

    return with_extra


def one_file(name: str, data: str | bytes | Callable[[], str | bytes]) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        return [write(folder, name, data() if callable(data) else data)]

    return build


# --- YAML ------------------------------------------------------------------------------------

UNCLOSED = "key: [unclosed\nother: 1\n"
BAD_INDENT = "apiVersion: v1\n kind: ConfigMap\n"
LIST_HEAD = "apiVersion: v1\nkind: List\nitems:\n"


def list_item(name: str) -> str:
    return f'- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: {name}\n  data:\n    k: "v"\n'


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def flow_bomb() -> str:
    """The same bomb as one flow sequence, to sit in a field that takes any value."""
    levels = ["&a0 [" + ", ".join(["lol"] * 9) + "]"]
    levels += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "[" + ", ".join(levels) + "]"


def indented_mappings(depth: int) -> str:
    return "".join(" " * i + "k:\n" for i in range(depth))


SCALAR_BYTES = 100 * 1024 * 1024
# Measured: about 5.5 s for the whole case (write, stream path, rapidyaml, report) on the dev box.


def huge_scalar() -> str:
    big = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: {'a' * SCALAR_BYTES}\n"
    return stream(cm("before"), big, cm("after"))


TINY_DOCS = 100_000
# Documents this small go straight to PyYAML (FAST_FROM): 100,000 of them load in about 4 s.


def tiny_docs() -> str:
    return "---\na: 1\n" * TINY_DOCS + "---\n" + cm("last")


WRONG_TYPES = stream(
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: wt-svc\n  labels: [a, b]\n"
    "spec:\n  selector: app=web\n  ports: ['80', http]\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: wt-deploy\n  annotations: [x]\n"
    "spec:\n  replicas: three\n  selector: {matchLabels: [app]}\n"
    "  template:\n    metadata: {labels: app}\n    spec:\n      containers: {name: c, image: x}\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wt-pod\n  labels: {app: 7}\n"
    "spec:\n  containers: nginx\n  volumes: 5\n",
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: wt-sts\nspec:\n  serviceName: 42\n"
    "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
    "    spec: {containers: [{name: db, image: db, ports: [{containerPort: nope}]}]}\n",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: wt-ing\n"
    "spec:\n  rules: x\n  defaultBackend: [svc]\n",
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: wt-hpa\n"
    "spec:\n  scaleTargetRef: Deployment/wt-deploy\n",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: wt-secret\ndata: s3cr3t-as-a-string\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wt-ns\n  namespace: [a, b]\n",
    cm("good"),
)

YAML_CASES = [
    Case(
        "yaml-unparsable-between-good",
        one_file("in.yaml", stream(cm("a"), UNCLOSED, cm("b"), BAD_INDENT, cm("c"))),
        Expect(
            skipped=[
                ("in.yaml", 7, "invalid YAML: "),
                ("in.yaml", 15, "invalid YAML: "),
            ],
            good=["a", "b", "c"],
            objects=3,
        ),
    ),
    Case(
        "yaml-list-truncated-mid-item-plain",
        # Cut inside a plain key: what remains is valid YAML; the cut item is not an object.
        one_file("in.yaml", LIST_HEAD + list_item("a") + list_item("b") + list_item("c")[:53]),
        Expect(
            skipped=[("in.yaml", 16, "not a Kubernetes object: metadata is a string, not a mapping")],
            good=["a", "b"],
            objects=2,
        ),
    ),
    Case(
        "yaml-list-truncated-mid-item-quoted",
        # Cut inside a quoted value: the List document cannot be parsed; the complete items before
        # the cut must survive, as they do for a JSON List (see encoding-json-list-broken-mid-item).
        one_file("in.yaml", LIST_HEAD + list_item("a") + list_item("b") + list_item("c")[:-3]),
        Expect(skipped=[("in.yaml", 21, "invalid YAML: ")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-stream-truncated-mid-document",
        one_file("in.yaml", stream(cm("a"), cm("b"), cm("c") + 'data:\n  k: "unterminated')),
        Expect(skipped=[("in.yaml", 16, "invalid YAML: ")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-tab-indentation",
        one_file(
            "in.yaml", stream(cm("a"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tab\n", cm("b"))
        ),
        Expect(
            skipped=[("in.yaml", 9, "invalid YAML: found character that cannot start any token")],
            good=["a", "b"],
            objects=2,
        ),
    ),
    Case(
        "yaml-duplicate-keys-last-wins",
        # PyYAML (and json.loads behind rapidyaml) keep the last value of a repeated key.
        one_file(
            "in.yaml",
            stream("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  name: second\n", cm("b")),
        ),
        Expect(good=["second", "b"], objects=2, absent=["ConfigMap first analysed"]),
    ),
    Case(
        "yaml-duplicate-keys-last-wins-flow",
        one_file(
            "in.yaml", "{apiVersion: v1, kind: Secret, kind: ConfigMap, metadata: {name: x, name: flow}}\n"
        ),
        Expect(good=["flow"], objects=1, present=["ConfigMap flow analysed"]),
    ),
    Case(
        "yaml-billion-laughs",
        one_file("in.yaml", lambda: stream(cm("a"), billion_laughs(), cm("b"))),
        Expect(
            skipped=[("in.yaml", 6, "too many aliases (billion-laughs guard)")],
            good=["a", "b"],
            objects=2,
        ),
    ),
    Case(
        "yaml-alias-cycle",
        one_file("in.yaml", stream(cm("a"), "a: &x\n  b: *x\n", cm("b"))),
        Expect(
            skipped=[("in.yaml", 6, "an alias refers to a node that contains it")],
            good=["a", "b"],
            objects=2,
        ),
    ),
    Case(
        "yaml-nested-10000-flow-sequences",
        one_file("in.yaml", stream(cm("a"), "[" * 10_000 + "]" * 10_000 + "\n", cm("b"))),
        Expect(skipped=[("in.yaml", 6, "exceeded maximum nesting depth")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-nested-10000-flow-mappings",
        one_file("in.yaml", stream(cm("a"), "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", cm("b"))),
        Expect(skipped=[("in.yaml", 6, "exceeded maximum nesting depth")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-nested-10000-block-sequences",
        # "- - - x": block sequences nested on one line (10,000 levels indented by lines would need
        # 50 MB of spaces).
        one_file("in.yaml", stream(cm("a"), "- " * 10_000 + "x\n", cm("b"))),
        Expect(skipped=[("in.yaml", 6, "exceeded maximum nesting depth")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-nested-2000-block-mappings",
        # Indented block mappings, one space per level: 2,000 levels are 2 MB already.
        one_file("in.yaml", stream(cm("a"), indented_mappings(2_000), cm("b"))),
        Expect(skipped=[("in.yaml", 1005, "exceeded maximum nesting depth")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-100mb-scalar",
        one_file("in.yaml", huge_scalar),
        Expect(good=["before", "big", "after"], objects=3, hang_after=15 * 8.0),  # about 8 s
    ),
    Case(
        "yaml-100000-tiny-documents",
        one_file("in.yaml", tiny_docs),
        Expect(
            skipped=[("in.yaml", 2 * i + 2, "not a Kubernetes object: no kind") for i in range(TINY_DOCS)],
            good=["last"],
            objects=1,
        ),
    ),
    Case(
        "yaml-non-mapping-documents",
        one_file("in.yaml", stream(cm("a"), "- one\n- two\n", "just a string\n", "42\n", "[]\n", cm("b"))),
        Expect(
            skipped=[
                ("in.yaml", 6, "2 list items skipped (not a Kubernetes object: a list item is a string)"),
                ("in.yaml", 9, "not a Kubernetes object: the document is a string"),
                ("in.yaml", 11, "not a Kubernetes object: the document is a number"),
            ],
            good=["a", "b"],
            objects=2,
        ),
    ),
    Case(
        "yaml-missing-kind-name-metadata",
        one_file(
            "in.yaml",
            stream(
                "apiVersion: v1\nmetadata: {name: nokind}\n",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: x}\n",
                "apiVersion: v1\nkind: ConfigMap\n",
                "kind: ConfigMap\nmetadata: {name: noapi}\n",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: gen-}\n",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 123}\n",
                "apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: listkind}\n",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: [name, x]\n",
                cm("good"),
            ),
        ),
        Expect(
            skipped=[
                ("in.yaml", 1, "not a Kubernetes object: no kind"),
                ("in.yaml", 4, "not a Kubernetes object: metadata.name missing"),
                ("in.yaml", 8, "not a Kubernetes object: no metadata"),
                ("in.yaml", 11, "not a Kubernetes object: no apiVersion"),
                ("in.yaml", 14, "not a Kubernetes object: metadata.name missing (only generateName)"),
                ("in.yaml", 18, "not a Kubernetes object: metadata.name is a number, not a string"),
                ("in.yaml", 22, "not a Kubernetes object: kind is not a non-empty string"),
                ("in.yaml", 26, "not a Kubernetes object: metadata is a list, not a mapping"),
            ],
            good=["good"],
            objects=1,
        ),
    ),
    Case(
        "yaml-wrong-field-types",
        one_file("in.yaml", WRONG_TYPES),
        Expect(
            good=[
                "wt-svc",
                "wt-deploy",
                "wt-pod",
                "wt-sts",
                "wt-ing",
                "wt-hpa",
                "wt-secret",
                "wt-ns",
                "good",
            ],
            objects=9,
            absent=["s3cr3t-as-a-string"],
        ),
    ),
    Case(
        "yaml-value-not-fitting-its-tag",
        one_file(
            "in.yaml",
            stream(cm("a"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\nx: !!float hunter2\n"),
        ),
        Expect(
            skipped=[("in.yaml", 6, "a value does not fit its tag")],
            good=["a"],
            objects=1,
            absent=["hunter2"],
        ),
    ),
    Case(
        "yaml-python-tags-do-not-run",
        one_file(
            "in.yaml",
            stream(cm("a"), "!!python/object/apply:os.system ['echo pwned > pwned.txt']\n", cm("b")),
        ),
        Expect(skipped=[("in.yaml", 6, "invalid YAML: ")], good=["a", "b"], objects=2, absent=["pwned"]),
    ),
    Case(
        "yaml-control-character",
        one_file(
            "in.yaml",
            stream(cm("a"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \x07bell}\n", cm("b")),
        ),
        Expect(skipped=[("in.yaml", 8, "invalid YAML: ")], good=["a", "b"], objects=2),
    ),
    Case(
        "yaml-empty-and-comment-only-documents",
        one_file("in.yaml", "---\n---\n# only a comment\n---\n...\n---\n" + cm("a")),
        Expect(good=["a"], objects=1),
    ),
]

# --- encodings -------------------------------------------------------------------------------

TWO_GOOD = stream(cm("a"), cm("b"))


def png_bytes() -> bytes:
    rng = random.Random(1234)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.getrandbits(8) for _ in range(4096))


def two_files(first: tuple[str, str | bytes], second: tuple[str, str | bytes]) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        return [write(folder, *first), write(folder, *second)]

    return build


def json_list(names: Sequence[str]) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": [cm_dict(n) for n in names]}, indent=4)


BROKEN_JSON_LIST = json_list(["a", "b", "c"]).replace('"name": "b"', '"name": "b",,', 1)
CONCATENATED_BROKEN = (
    json.dumps(cm_dict("a"), indent=2)
    + "\n"
    + '{"apiVersion": "v1", "kind": ,\n "x": 1}\n'
    + json.dumps(cm_dict("c"))
)


BIG_B = cm("b") + "data:\n  blob: " + "x" * 5000 + "\n"


def nul_run(text: str, at: str, length: int) -> bytes:
    """``text`` with ``length`` bytes overwritten by NUL bytes from where ``at`` starts."""
    data = text.encode()
    start = data.index(at.encode())
    return data[:start] + b"\x00" * length + data[start + length :]


ENCODING_CASES = [
    Case(
        "encoding-utf8-bom",
        one_file("in.yaml", b"\xef\xbb\xbf" + TWO_GOOD.encode()),
        Expect(good=["a", "b"], objects=2),
    ),
    Case(
        "encoding-utf16-le-bom-powershell",
        one_file("in.yaml", TWO_GOOD.replace("\n", "\r\n").encode("utf-16")),  # Python: LE with a BOM
        Expect(good=["a", "b"], objects=2),
    ),
    Case(
        "encoding-utf16-be-bom",
        one_file("in.yaml", b"\xfe\xff" + TWO_GOOD.encode("utf-16-be")),
        Expect(good=["a", "b"], objects=2),
    ),
    Case(
        "encoding-utf16-le-without-bom",
        two_files(("nobom.yaml", TWO_GOOD.encode("utf-16-le")), ("good.yaml", cm("g"))),
        Expect(
            skipped=[("nobom.yaml", WHOLE_FILE, "binary file (NUL byte at offset 1)")], good=["g"], objects=1
        ),
    ),
    Case(
        "encoding-invalid-utf8",
        two_files(("bad.yaml", cm("a").encode() + b"data:\n  k: caf\xe9\n"), ("good.yaml", cm("g"))),
        Expect(skipped=[("bad.yaml", WHOLE_FILE, "not valid UTF-8 at byte 65")], good=["g"], objects=1),
    ),
    Case(
        "encoding-nul-bytes",
        # One NUL in a text file: the document holding it is damaged, not the file binary.
        two_files(("nul.yaml", cm("a").encode() + b"data: {k: \x00}\n"), ("good.yaml", cm("g"))),
        Expect(skipped=[("nul.yaml", 5, DAMAGE)], good=["g"], objects=1),
    ),
    Case(
        "encoding-nul-run-between-documents",
        # A crashed disk zeroed 4 KiB in the middle of a stream: only the document it falls in is lost.
        one_file("in.yaml", lambda: nul_run(stream(cm("a"), BIG_B, cm("c"), cm("d")), "blob: ", 4096)),
        Expect(skipped=[("in.yaml", 11, DAMAGE)], good=["a", "c", "d"], objects=3),
    ),
    Case(
        "encoding-nul-run-in-one-list-item",
        # kubectl get -o yaml: one List; the damaged item is lost, the items on both sides are kept.
        one_file("in.yaml", lambda: nul_run(LIST_HEAD + "".join(map(list_item, "abcde")), "name: c", 20)),
        Expect(skipped=[("in.yaml", 19, DAMAGE)], good=["a", "b", "d", "e"], objects=4),
    ),
    Case(
        "encoding-nul-run-then-a-document",
        # The start of the file zeroed: what follows the damage is still read.
        one_file("in.yaml", b"\x00" * 8192 + b"\n---\n" + cm("a").encode()),
        Expect(skipped=[("in.yaml", 1, DAMAGE)], good=["a"], objects=1),
    ),
    Case(
        "encoding-only-nul-is-binary",
        two_files(("zeros.yaml", b"\x00" * 8192), ("good.yaml", cm("g"))),
        Expect(
            skipped=[("zeros.yaml", WHOLE_FILE, "binary file (NUL byte at offset 0)")], good=["g"], objects=1
        ),
    ),
    Case(
        "encoding-png-named-yaml",
        two_files(("image.yaml", png_bytes()), ("good.yaml", cm("g"))),
        Expect(
            skipped=[("image.yaml", WHOLE_FILE, "binary file (NUL byte at offset 8)")], good=["g"], objects=1
        ),
    ),
    Case(
        "encoding-json-concatenated-broken-in-the-middle",
        # What follows a syntax error in a JSON stream cannot be trusted: the values before it are
        # kept, the error names its line, and the rest of the file is not read.
        one_file("in.json", CONCATENATED_BROKEN),
        Expect(skipped=[("in.json", 8, "invalid JSON: Expecting value")], good=["a"], objects=1),
    ),
    Case(
        "encoding-json-list-truncated-mid-item",
        # A kubectl -o json dump cut short: the two complete items must survive.
        one_file("in.json", json_list(["a", "b", "c"])[:-70]),
        Expect(skipped=[("in.json", 22, "(the text ends: truncated?)")], good=["a", "b"], objects=2),
    ),
    Case(
        "encoding-json-list-broken-mid-item",
        # kubectl -o json List: the broken item is named by its line; every other item survives.
        one_file("in.json", BROKEN_JSON_LIST),
        Expect(skipped=[("in.json", 16, "invalid JSON: ")], good=["a", "c"], objects=2),
    ),
    Case(
        "encoding-json-list-nul-run-in-one-item",
        # A crashed disk zeroed part of item c: a and b before it, d and e after it survive.
        one_file("in.json", lambda: nul_run(json_list(["a", "b", "c", "d", "e"]), '"name": "c"', 30)),
        Expect(skipped=[("in.json", 23, DAMAGE)], good=["a", "b", "d", "e"], objects=4),
    ),
    Case(
        "encoding-json-list-nul-run-over-two-items",
        # The run covers the end of c and the start of d: both are lost, as one damaged region.
        one_file("in.json", lambda: nul_run(json_list(["a", "b", "c", "d", "e"]), '"name": "c"', 150)),
        Expect(skipped=[("in.json", 23, DAMAGE)], good=["a", "b", "e"], objects=3),
    ),
]

# --- archives --------------------------------------------------------------------------------


def add_member(
    tar: tarfile.TarFile, name: str, body: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = ""
) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(body) if kind == tarfile.REGTYPE else 0
    info.linkname = link
    if kind == tarfile.CHRTYPE:
        info.devmajor, info.devminor = 1, 3
    tar.addfile(info, io.BytesIO(body) if kind == tarfile.REGTYPE else None)


def archive(
    name: str, members: Callable[[tarfile.TarFile], None], mode: str = "w:gz"
) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path, mode) as tar:  # type: ignore[call-overload]
            members(tar)
        return [str(path)]

    return build


def good_then(*extra: tuple[str, bytes, bytes, str]) -> Callable[[tarfile.TarFile], None]:
    def members(tar: tarfile.TarFile) -> None:
        add_member(tar, "good.yaml", cm("good").encode())
        for name, body, kind, link in extra:
            add_member(tar, name, body, kind, link)
        add_member(tar, "later.yaml", cm("later").encode())

    return members


def bomb_members(tar: tarfile.TarFile) -> None:
    add_member(tar, "good.yaml", cm("good").encode())
    add_member(tar, "bomb.yaml", b"#" * (8 * 1024 * 1024))  # 8 MiB of '#': a few KB gzipped
    add_member(tar, "after.yaml", cm("after").encode())


def many_members(tar: tarfile.TarFile) -> None:
    add_member(tar, "good.yaml", cm("good").encode())
    for i in range(1_000):
        add_member(tar, f"pad/{i}.txt")
    add_member(tar, "late.yaml", cm("late").encode())


def nested_members() -> Callable[[tarfile.TarFile], None]:
    def members(tar: tarfile.TarFile) -> None:
        inner = io.BytesIO()
        with tarfile.open(fileobj=inner, mode="w:gz") as inner_tar:
            add_member(inner_tar, "inner.yaml", cm("inner").encode())
        add_member(tar, "outer.yaml", cm("outer").encode())
        add_member(tar, "inner.tgz", inner.getvalue())
        add_member(tar, "inner.tar.yaml", inner.getvalue())  # an archive named like a manifest

    return members


def truncated_archive(folder: Path) -> list[str]:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        add_member(tar, "good.yaml", cm("good").encode())
        add_member(tar, "big.yaml", random.Random(7).randbytes(64 * 1024))
    return [write(folder, "cut.tgz", data.getvalue()[: len(data.getvalue()) // 2])]


A = "x.tgz"
ARCHIVE_CASES = [
    Case(
        "archive-dotdot-member",
        archive(A, good_then(("../evil.yaml", cm("evil").encode(), tarfile.REGTYPE, ""))),
        Expect(
            skipped=[
                ("x.tgz:../evil.yaml", WHOLE_FILE, "unsafe member path (absolute or with ..): not read")
            ],
            good=["good", "later"],
            objects=2,
            absent=["ConfigMap evil analysed"],
        ),
    ),
    Case(
        "archive-dotdot-inside-member",
        archive(A, good_then(("sub/../../evil.yaml", cm("evil").encode(), tarfile.REGTYPE, ""))),
        Expect(
            skipped=[("x.tgz:sub/../../evil.yaml", WHOLE_FILE, "unsafe member path")],
            good=["good", "later"],
            objects=2,
        ),
    ),
    Case(
        "archive-absolute-member",
        archive(A, good_then(("/etc/evil.yaml", cm("evil").encode(), tarfile.REGTYPE, ""))),
        Expect(
            skipped=[
                ("x.tgz:/etc/evil.yaml", WHOLE_FILE, "unsafe member path (absolute or with ..): not read")
            ],
            good=["good", "later"],
            objects=2,
        ),
    ),
    Case(
        "archive-symlink-member",
        # Links are not regular members: never followed, never read (not to the archive, not to disk).
        archive(A, good_then(("passwd.yaml", b"", tarfile.SYMTYPE, "/etc/passwd"))),
        Expect(good=["good", "later"], objects=2, absent=["root:"]),
    ),
    Case(
        "archive-hardlink-member",
        archive(A, good_then(("copy.yaml", b"", tarfile.LNKTYPE, "good.yaml"))),
        Expect(good=["good", "later"], objects=2),
    ),
    Case(
        "archive-hardlink-to-absolute-path",
        archive(A, good_then(("shadow.yaml", b"", tarfile.LNKTYPE, "/etc/passwd"))),
        Expect(good=["good", "later"], objects=2, absent=["root:"]),
    ),
    Case(
        "archive-character-device-member",
        archive(A, good_then(("null.yaml", b"", tarfile.CHRTYPE, ""))),
        Expect(good=["good", "later"], objects=2),
    ),
    Case(
        "archive-gzip-bomb",
        # --max-archive-size 1 (MiB; default 512): an 8 MiB member of '#' (8 KB gzipped) stands
        # for a bomb past the real limit without writing 512 MiB.
        options(archive("bomb.tgz", bomb_members), "--max-archive-size", "1"),
        Expect(
            skipped=[
                (
                    "bomb.tgz",
                    WHOLE_FILE,
                    "more than 1 MiB uncompressed: the rest is not read "
                    "(raise the limit with --max-archive-size)",
                )
            ],
            good=["good"],
            objects=1,
        ),
    ),
    Case(
        "archive-too-many-members",
        # --max-archive-members 1000 (default 100,000) and 1,002 members written, not 1,000,000.
        options(archive("many.tar", many_members, mode="w"), "--max-archive-members", "1000"),
        Expect(
            skipped=[
                (
                    "many.tar",
                    WHOLE_FILE,
                    "more than 1000 archive members: the rest is not read "
                    "(raise the limit with --max-archive-members)",
                )
            ],
            good=["good"],
            objects=1,
        ),
    ),
    Case(
        "archive-nested-archive",
        # An archive inside an archive is not opened (as inside a folder), and nothing is extracted.
        # A nested archive named .yaml is binary text: one entry.
        archive("outer.tgz", nested_members()),
        Expect(
            skipped=[("outer.tgz:inner.tar.yaml", WHOLE_FILE, "binary file (NUL byte")],
            good=["outer"],
            objects=1,
            absent=["ConfigMap inner analysed"],
        ),
    ),
    Case(
        "archive-truncated",
        truncated_archive,
        Expect(skipped=[("cut.tgz", WHOLE_FILE, "damaged tar archive: ")], good=["good"], objects=1),
    ),
]

# --- folders ---------------------------------------------------------------------------------


def folder_with(extra: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        root = folder / "dump"
        write(root, "a-good.yaml", cm("good"))
        extra(root)
        write(root, "z-good.yaml", cm("zgood"))
        return [str(root)]

    return build


def unblock_fifo(folder: Path) -> Callable[[], None]:
    """A watchdog: after 3 s, open the FIFO for writing and close it, so a reader blocked on it
    gets end-of-file instead of hanging the test run forever."""
    done = threading.Event()

    def release() -> None:
        if not done.wait(3):
            fifo = folder / "dump" / "pipe.yaml"
            fifo.open("wb").close()  # a writer that leaves at once: the reader sees end-of-file

    thread = threading.Thread(target=release, daemon=True)
    thread.start()

    def stop() -> None:
        done.set()
        thread.join(5)

    return stop


FOLDER_CASES = [
    Case(
        "folder-fifo-named-yaml",
        folder_with(lambda root: os.mkfifo(root / "pipe.yaml")),
        Expect(
            skipped=[("dump/pipe.yaml", WHOLE_FILE, "not a regular file")],
            good=["good", "zgood"],
            objects=2,
        ),
        before=unblock_fifo,
    ),
    Case(
        "folder-symlink-to-device",
        # --max-file-size 2: with the default (1 GiB) the loader reads 1 GiB of zeros first.
        options(
            folder_with(lambda root: os.symlink("/dev/zero", root / "zero.yaml")), "--max-file-size", "2"
        ),
        Expect(
            skipped=[("dump/zero.yaml", WHOLE_FILE, "not a regular file")],
            good=["good", "zgood"],
            objects=2,
        ),
    ),
    Case(
        "folder-symlink-loop",
        folder_with(lambda root: os.symlink("loop.yaml", root / "loop.yaml")),
        Expect(
            skipped=[("dump/loop.yaml", WHOLE_FILE, "cannot read: Too many levels of symbolic links")],
            good=["good", "zgood"],
            objects=2,
        ),
    ),
]

# --- large files -----------------------------------------------------------------------------

MIB = 1024 * 1024


def stream_from_1_mib(mp: pytest.MonkeyPatch) -> None:
    """STREAM_FROM (64 MiB, no option) lowered to 1 MiB: the 3 MiB file takes the streamed path."""
    mp.setattr(sources, "STREAM_FROM", MIB)


TOO_BIG = "file larger than 2 MiB: not read (raise the limit with --max-file-size)"


def large_yaml() -> str:
    return stream(cm("inside"), "data:\n" + "".join(f"  k{i}: {'v' * 100}\n" for i in range(30_000)))


LARGE_CASES = [
    Case(
        "large-yaml-over-max-file-bytes",
        # --max-file-size 2 (MiB; default 1024) and a 3 MiB file: read whole, up to the limit.
        options(two_files(("big.yaml", large_yaml()), ("good.yaml", cm("g"))), "--max-file-size", "2"),
        Expect(skipped=[("big.yaml", WHOLE_FILE, TOO_BIG)], good=["g"], objects=1),
    ),
    Case(
        "large-yaml-over-max-file-bytes-streamed",
        options(two_files(("big.yaml", large_yaml()), ("good.yaml", cm("g"))), "--max-file-size", "2"),
        Expect(skipped=[("big.yaml", WHOLE_FILE, TOO_BIG)], good=["g"], objects=1),
        patch=stream_from_1_mib,
    ),
    Case(
        "large-json-streamed-has-no-size-limit",
        # By design: JSON past STREAM_FROM is decoded window by window (2.5 GB dumps), never whole.
        options(
            one_file("big.json", lambda: json_list([f"j{i}" for i in range(30_000)])), "--max-file-size", "2"
        ),
        Expect(good=["j0", "j29999"], objects=30_000),
        patch=stream_from_1_mib,
    ),
]

# --- rules and configuration -----------------------------------------------------------------

RULE = """id: my-rule
title: A rule
category: custom
severity: warning
applies_to: [ConfigMap]
check: {predicate: label-missing, params: {label: team}}
message: "ConfigMap {object.name} has {label}={value}."
hint: "Add the label."
docs: {what: W., why: Y., example: E, use_instead: U}
"""


def with_rule(text: str, target: str = "good.yaml", body: str | None = None) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        rules = folder / "my-rules"
        write(rules, "my-rule.yaml", text)
        return [write(folder, target, body if body is not None else cm("good")), "--rules", str(rules)]

    return build


def rule_with(old: str, new: str) -> str:
    assert old in RULE
    return RULE.replace(old, new)


def with_config(text: str, body: str | None = None) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        config = write(folder, "cfg.yaml", text)
        return [write(folder, "good.yaml", body or cm("good")), "--config", config]

    return build


def rule_error(*parts: str) -> Expect:
    return Expect(code=2, errors=("my-rules/my-rule.yaml: rule 'my-rule': ", *parts), report=False)


def config_error(*parts: str) -> Expect:
    return Expect(code=2, errors=("cfg.yaml: ", *parts), report=False)


LONG_A = "a" * 60 + "!"

RULE_CASES = [
    Case(
        "rule-unknown-field", with_rule(RULE + "colour: red\n"), rule_error("field 'colour': unknown field")
    ),
    Case(
        "rule-wrong-type-applies-to",
        with_rule(rule_with("applies_to: [ConfigMap]", "applies_to: ConfigMap")),
        rule_error("field 'applies_to': Input should be a valid list"),
    ),
    Case(
        "rule-wrong-type-severity",
        with_rule(rule_with("severity: warning", "severity: [warning]")),
        rule_error("field 'severity': "),
    ),
    Case(
        "rule-unknown-predicate",
        with_rule(rule_with("predicate: label-missing", "predicate: os.system")),
        rule_error("field 'check.predicate': unknown predicate 'os.system'"),
    ),
    Case(
        "rule-bad-placeholder",
        with_rule(rule_with("{value}", "{valeu}")),
        rule_error("field 'message': unknown placeholder {valeu}"),
    ),
    Case(
        "rule-injection-dunder-class",
        with_rule(rule_with("{value}", "{__class__}")),
        rule_error("field 'message': unknown placeholder {__class__}"),
    ),
    Case(
        "rule-injection-format-attribute",
        with_rule(rule_with("{value}", "{0.__init__.__globals__}")),
        rule_error("field 'message': a brace that is not a {placeholder}"),
    ),
    Case(
        "rule-injection-object-dunder",
        with_rule(rule_with("Add the label.", "{object.__class__.__init__}")),
        rule_error("field 'hint': "),
    ),
    Case(
        "rule-injection-jinja",
        with_rule(rule_with("{value}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}")),
        rule_error("field 'message': a brace that is not a {placeholder}"),
    ),
    Case(
        "rule-injection-shell-variable-braced",
        with_rule(rule_with("{value}", "${HOME}")),
        rule_error("field 'message': a brace that is not a {placeholder}"),
    ),
    Case(
        "rule-literal-text-is-rendered-literally",
        # No braces: $HOME, %-formats and backslashes are plain text, nothing is expanded.
        with_rule(rule_with("{label}={value}.", "{label}={value} $HOME %(name)s %s $" + SECRET_ENV + ".")),
        Expect(
            good=["good"],
            objects=1,
            present=["ConfigMap good has team=<absent> $HOME %(name)s %s $" + SECRET_ENV + "."],
        ),
    ),
    Case(
        "rule-regex-is-not-accepted",
        # Rule files take no regular expression anywhere: a `pattern` parameter is an unknown field.
        with_rule(rule_with("params: {label: team}", "params: {label: team, pattern: '(a+)+$'}")),
        rule_error("field 'check.params.pattern': unknown field"),
    ),
    Case(
        "rule-regex-looking-values-are-literal",
        # `values` are compared as strings: "(a+)+$" against "aaaa...!" cannot backtrack.
        with_rule(
            rule_with("params: {label: team}", "params: {label: team, values: ['(a+)+$']}"),
            body=cm("good").replace("metadata:\n", f"metadata:\n  labels: {{team: '{LONG_A}'}}\n"),
        ),
        Expect(good=["good"], objects=1, present=[f"ConfigMap good has team={LONG_A}."]),
    ),
    Case(
        "rule-file-alias-bomb-unknown-fields",
        with_rule(billion_laughs() + RULE),
        rule_error("field 'a0': unknown field"),
    ),
    Case(
        "rule-file-alias-bomb-in-a-field-of-any-type",
        # skip_if.equals takes any value: the bomb is accepted but never expanded (shared lists).
        with_rule(RULE + "skip_if: [{field: metadata.name, equals: " + flow_bomb() + "}]\n"),
        Expect(good=["good"], objects=1, present=["ConfigMap good has team=<absent>."]),
    ),
    Case(
        "rule-file-not-yaml",
        with_rule("id: my-rule\ntitle: [unclosed\n"),
        Expect(code=2, errors=("my-rules/my-rule.yaml: cannot read rule file: ",), report=False),
    ),
    Case(
        "rule-file-binary",
        with_rule("\x00\x01\x02 not a rule"),
        Expect(code=2, errors=("my-rules/my-rule.yaml: cannot read rule file: ",), report=False),
    ),
    Case(
        "object-names-with-template-text-are-data",
        # Values from the snapshot are substituted once: never read as placeholders or templates.
        one_file(
            "in.yaml",
            stream(
                cm("'{object.kind}{__class__}'"),
                cm("'{{ 7*7 }}'"),
                cm("'${HOME}'"),
                cm("'%(x)s'"),
            ),
        ),
        Expect(
            good=["{object.kind}{__class__}", "{{ 7*7 }}", "${HOME}", "%(x)s"],
            objects=4,
            present=["ConfigMap {object.kind}{__class__} analysed.", "ConfigMap {{ 7*7 }} analysed."],
            absent=["ConfigMap 49", "<class", "ConfigMap ConfigMap", "/nonexistent"],
        ),
    ),
    Case("config-unknown-option", with_config("rulez: {}\n"), config_error("rulez: unknown option")),
    Case(
        "config-wrong-type",
        with_config("ignore: {rule: '*'}\n"),
        config_error("ignore: Input should be a valid list"),
    ),
    Case(
        "config-unknown-rule-names-the-config-file",
        with_config("rules: {no-such-rule: {enabled: false}}\n"),
        config_error('unknown rule "no-such-rule"'),
    ),
    Case(
        "config-alias-bomb",
        with_config(billion_laughs().replace("a0:", "rules: {}\na0:", 1)),
        config_error("a0: unknown option"),
    ),
    Case(
        "config-alias-bomb-in-rule-params",
        with_config("rules: {missing-reference: {params: {kinds: " + flow_bomb() + "}}}\n"),
        config_error(
            "rules.missing-reference.params.kinds.0: Input should be a valid string "
            'for rule "missing-reference"'
        ),
    ),
    Case(
        "config-pathological-glob",
        # fnmatch globs are the only patterns a user supplies; this one must not backtrack.
        with_config(
            "ignore: [{name: '" + "*a" * 30 + "*b'}]\n",
            body=cm("a" * 250),
        ),
        Expect(good=["a" * 250], objects=1),
    ),
]

# --- CEL rule files ----------------------------------------------------------------------------


def cel_rule(expression: str, variables: str = "") -> str:
    """A CEL rule over ConfigMaps whose only validation is ``expression`` (a finding says judged)."""
    return (
        "id: my-rule\ntitle: A rule\nseverity: warning\napplies_to: [ConfigMap]\n"
        + variables
        + f"validations:\n  - expression: {json.dumps(expression)}\n    message: judged\n"
    )


TEN = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
BUDGET = "Iteration budget exceeded"
SIZE_LIMIT = "size limit exceeded: the evaluation needed more memory than it may use (at least 16 MiB)"


def small_evaluation_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """One evaluation may add 16 MiB of address space (1 GiB by default, or twice the process)."""
    from analyzer.rules.cel import engine

    monkeypatch.setattr(engine, "EVALUATION_MEMORY", 16 << 20)
    monkeypatch.setattr(engine, "INPUT_FACTOR", 0)


def doubling(levels: int) -> str:
    """``levels`` variables, each the previous one twice: a string of 2 ** (levels + 1) bytes."""
    lines = ["variables:", "  - {name: v0, expression: \"'ab'\"}"]
    lines += [
        f"  - {{name: v{i}, expression: 'variables.v{i - 1} + variables.v{i - 1}'}}"
        for i in range(1, levels + 1)
    ]
    return "\n".join(lines) + "\n"


CEL_CASES = [
    Case(
        "cel-runaway-comprehension",
        # 10^4 iterations: the engine's budget stops the evaluation; a coverage note says so.
        with_rule(cel_rule(f"{TEN}.map(a, {TEN}.map(b, {TEN}.map(c, {TEN}.map(d, d)))).size() > 0")),
        Expect(good=["good"], objects=1, present=[BUDGET, '"reason": "validations[0].expression: ']),
    ),
    Case(
        "cel-runaway-comprehension-through-variables",
        with_rule(
            cel_rule(
                "variables.big.size() > 0",
                variables="variables:\n  - name: big\n    expression: "
                f"'{TEN}.map(a, {TEN}.map(b, {TEN}.map(c, {TEN}.map(d, d))))'\n",
            )
        ),
        Expect(good=["good"], objects=1, present=[BUDGET]),
    ),
    Case(
        "cel-huge-list-literal",
        with_rule(cel_rule("[" + "1, " * 50_000 + "1].size() > 0")),
        rule_error("field 'validations[0].expression': 1:1: expression longer than 20000 characters"),
    ),
    Case(
        "cel-deep-nesting",
        with_rule(cel_rule("(" * 200 + "true" + ")" * 200)),
        rule_error("field 'validations[0].expression': 1:1: ", "recursion"),
    ),
    Case(
        "cel-deep-variable-chain",
        # Each variable a rule needs wraps its expression once more: the engine's depth limit holds.
        with_rule(cel_rule("variables.v40.size() > 0", variables=doubling(40))),
        rule_error("field 'validations[0].expression': cannot be run: ", "recursion"),
    ),
    Case(
        "cel-catastrophic-regex",
        # RE2 (the engine's matches and our find/findAll): linear time, no backtracking.
        with_rule(
            cel_rule(
                "object.metadata.labels.team.matches('^(a+)+$') "
                "|| object.metadata.labels.team.find('(a|aa)+$') != ''"
            ),
            body=cm("good").replace("metadata:\n", f"metadata:\n  labels: {{team: '{LONG_A}'}}\n"),
        ),
        Expect(good=["good"], objects=1, present=['"message": "judged"']),
    ),
    Case(
        "cel-invalid-regex-is-a-coverage-note",
        with_rule(cel_rule("object.metadata.name.find('(a)\\\\1') == ''")),
        Expect(good=["good"], objects=1, present=["invalid regular expression"]),
    ),
    Case(
        "cel-string-amplification",
        # 26 variables doubling a string: 128 MiB (30 would be 2 GiB). The engine bounds no value's
        # size; the adapter bounds each evaluation's address space (lowered here to 16 MiB). Its
        # last strings (64 and 128 MiB) are mapped afresh, whatever the heap holds free already.
        with_rule(cel_rule("size(variables.v26) < 0", variables=doubling(26))),
        Expect(good=["good"], objects=1, present=[SIZE_LIMIT, '"reason": "validations[0].expression: ']),
        patch=small_evaluation_memory,
    ),
    Case(
        "cel-replace-squares-a-string",
        # A string replaced into itself: 8 KiB -> 32 MiB -> 512 TiB, grown piece by piece.
        with_rule(
            cel_rule(
                "cel.bind(w, variables.v12.replace('a', variables.v12), w.replace('a', w)).size() < 0",
                variables=doubling(12),
            )
        ),
        Expect(good=["good"], objects=1, present=[SIZE_LIMIT]),
        patch=small_evaluation_memory,
    ),
    Case(
        "cel-list-amplification-in-a-comprehension",
        # Within the iteration budget: 10^3 lists of 10 copies of a 2 MiB string (20 GiB of
        # references, the strings shared or copied as the engine pleases), joined into one.
        with_rule(
            cel_rule(
                f"{TEN}.map(a, {TEN}.map(b, {TEN}.map(c, variables.v20)))"
                ".map(x, x.map(y, y.join('')).join('')).join('').size() < 0",
                variables=doubling(20),
            )
        ),
        Expect(good=["good"], objects=1, present=[SIZE_LIMIT]),
        patch=small_evaluation_memory,
    ),
    Case(
        "cel-injection-in-message-is-data",
        # A messageExpression's value is text: placeholders and templates in it are not expanded.
        with_rule(
            cel_rule("false").replace(
                "message: judged", "messageExpression: \"'{object.name} {{ 7*7 }} ${HOME}'\""
            )
        ),
        # What an expansion would write (a bare "49" also matches the temporary folder's path,
        # /tmp/pytest-of-root/pytest-49/..., in the report's file locations).
        Expect(
            good=["good"],
            objects=1,
            present=["{object.name} {{ 7*7 }} ${HOME}"],
            absent=["} 49 ", "good 49", "{{ 49"],
        ),
    ),
]

# --- whole run -------------------------------------------------------------------------------

RUN_CASES = [
    Case(
        "run-nothing-readable-exits-2",
        two_files(("image.yaml", png_bytes()), ("broken.json", '{"kind": ')),
        Expect(
            code=2,
            skipped=[
                ("image.yaml", WHOLE_FILE, "binary file (NUL byte at offset 8)"),
                ("broken.json", 1, "invalid JSON: Expecting value (the text ends: truncated?)"),
            ],
            errors=["kubesnap: no readable Kubernetes object in the input"],
        ),
    ),
    Case(
        "run-hostile-stream-on-stdin",
        lambda folder: ["-"],
        Expect(
            skipped=[
                ("<stdin>", 6, "too many aliases (billion-laughs guard)"),
                ("<stdin>", 22, "exceeded maximum nesting depth"),
            ],
            good=["a", "b"],
            objects=2,
        ),
    ),
]
STDIN = {"run-hostile-stream-on-stdin": stream(cm("a"), billion_laughs(), cm("b"), "[" * 10_000 + "\n")}

CASES = (
    YAML_CASES
    + ENCODING_CASES
    + ARCHIVE_CASES
    + FOLDER_CASES
    + LARGE_CASES
    + RULE_CASES
    + CEL_CASES
    + RUN_CASES
)


def params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else [],
        )
        for case in CASES
    ]


# --- the runner ------------------------------------------------------------------------------


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def probe_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "probe"
    write(folder, f"{PROBE_ID}.yaml", PROBE_RULE)
    return folder


@pytest.mark.parametrize("case", params())
def test_hostile_input(
    case: Case, tmp_path: Path, probe_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    cwd = tmp_path / "cwd"  # empty: no .kubesnap.yaml is picked up, and nothing may appear here
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv(SECRET_ENV, SECRET_VALUE)
    monkeypatch.setenv("HOME", FAKE_HOME)
    if case.patch is not None:
        case.patch(monkeypatch)
    args = case.build(inputs)
    before = (listing(tmp_path), listing(cwd))
    stop = case.before(inputs) if case.before is not None else None

    started = time.perf_counter()
    try:
        result = CliRunner().invoke(
            cli,
            ["check", *args, "--rules", str(probe_rules), "--format", "json", "--fail-on", "never"],
            input=STDIN.get(case.name),
        )
    finally:
        if stop is not None:
            stop()
    elapsed = time.perf_counter() - started

    expect = case.expect
    output = result.output  # standard output and error, as the user sees them
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crashed: {result.exception!r}"
    )
    assert "Traceback" not in output and "internal error" not in output
    assert result.exit_code == expect.code, output[-2000:]
    assert (listing(tmp_path), listing(cwd)) == before, "something was written to disk"
    assert SECRET_VALUE not in output and FAKE_HOME not in output
    for text in expect.errors:
        assert text in result.stderr, result.stderr
    for text in expect.absent:
        assert text not in output
    for text in expect.present:
        assert text in result.stdout

    if expect.report:
        report = json.loads(result.stdout)
        skipped = [(s["file"], s["line"], s["reason"]) for s in report["inputs"]["skipped"]]
        assert len(skipped) == len(expect.skipped), skipped[:20]
        for (file, line, reason), (suffix, want_line, want_reason) in zip(
            skipped, expect.skipped, strict=True
        ):
            assert file.endswith(suffix), (file, suffix)
            assert line == want_line, (file, line, reason)
            assert want_reason in reason, (reason, want_reason)
        analysed = {f["object"]["name"] for f in report["findings"] if f["rule"] == PROBE_ID}
        assert set(expect.good) <= analysed, sorted(set(expect.good) - analysed)
        if expect.objects is not None:
            assert report["inputs"]["objects"] == expect.objects
    else:
        assert result.stdout == ""

    assert elapsed < expect.hang_after, f"took {elapsed:.1f} s: hung? (guard {expect.hang_after} s)"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        1024 * 1024 if sys.platform == "darwin" else 1024
    )
    assert peak < MEMORY_BOUND_MB, f"the test process peaked at {peak:.0f} MB (bound {MEMORY_BOUND_MB} MB)"


MEMORY_BOUND_MB = 1536
"""Peak memory of the whole test process, checked after each case (the largest, the 100 MB
scalar, brings it to about 1 GB: its text, bytes, the PyYAML events and the value)."""

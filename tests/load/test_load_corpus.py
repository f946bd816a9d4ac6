"""Real files written by other projects (../shared/corpus, see its PROVENANCE.md): every one of
them loads without an exception, and the known bad ones are skipped where they are bad."""

from __future__ import annotations

import collections
import re
import time

import pytest
from conftest import CORPUS, CORPUS_REQUIRED

from analyzer.load import load_inputs

pytestmark = CORPUS_REQUIRED

LONGHORN = "sbctl-support-bundle/tests/support-bundle/cluster-resources/custom-resources"
ALIAS_HINT = (
    "invalid YAML: did not find expected alphabetic or numeric character "
    "(while scanning an alias; a plain value starting with '*' must be quoted)"
)


def test_every_corpus_file_loads(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    result = load_inputs([str(CORPUS)])
    folder_seconds = time.perf_counter() - started
    # Every file again, each named on its own, whatever its extension (.log and .md included).
    every = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file())
    started = time.perf_counter()
    each = load_inputs(every)
    each_seconds = time.perf_counter() - started
    with capsys.disabled():
        reasons = collections.Counter(re.sub(r"\d+", "N", s.reason) for s in result.skipped)
        print(
            f"\ncorpus: {len(result.files)} files, {result.documents} documents,"
            f" {len(result.objects)} objects, {len(result.skipped)} skipped in {folder_seconds:.1f} s"
        )
        print(
            f"every file by name ({len(every)}): {len(each.objects)} objects,"
            f" {len(each.skipped)} skipped in {each_seconds:.1f} s"
        )
        for reason, count in reasons.most_common():
            print(f"  {count:4} {reason}")
    assert len(result.files) > 1400 and len(result.objects) > 3000
    assert len(each.files) == len(every)
    assert not [s for s in result.skipped + each.skipped if s.reason.startswith("internal error")]
    assert all(o.location.line for o in result.objects)
    assert folder_seconds < 120, "hung?"  # a guard, not a speed target: about 3 s on an idle machine


def test_the_three_longhorn_files_are_skipped_where_they_break_and_the_bundle_loads() -> None:
    result = load_inputs([str(CORPUS / "sbctl-support-bundle")])
    broken = [
        (s.file.split(LONGHORN + "/")[1], s.line, s.reason)
        for s in result.skipped
        if s.reason.startswith("invalid")
    ]
    # The bundle's redactor wrote ***HIDDEN*** as plain scalars: YAML reads '*' as an alias.
    assert broken == [
        ("engines.longhorn.io/longhorn-system.yaml", 126, ALIAS_HINT),
        ("instancemanagers.longhorn.io/longhorn-system.yaml", 99, ALIAS_HINT),
        ("replicas.longhorn.io/longhorn-system.yaml", 65, ALIAS_HINT),
    ]
    kinds = collections.Counter(o.data["kind"] for o in result.objects)
    assert kinds["Pod"] == 58 and kinds["Event"] == 67 and kinds["Deployment"] == 12
    assert kinds["CustomResourceDefinition"] == 32  # an untyped list: the kind is its file's
    assert len(result.objects) == 268

"""Hypothesis over the whole pipeline: random Kubernetes-shaped objects, random bytes, mutated
fixture documents. Invariants: no exception escapes; every document is an object or a skipped
entry; findings do not depend on the order of the documents (locations apart); the JSON report
always validates against the kubesnap/report/v1 schema.

CI runs 60 examples a property; ``KUBESNAP_FUZZ_EXAMPLES=2000`` runs more by hand. A failure
found is kept as an ``@example`` of its property, as a regression case."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analyzer import pipeline
from analyzer.load import load_inputs
from analyzer.report.json_report import render
from analyzer.report.schema import validate

SETTINGS = settings(
    max_examples=int(os.environ.get("KUBESNAP_FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = st.sampled_from(["web", "api", "db", "cache", "web-2", "x"])
LABELS = st.dictionaries(st.sampled_from(["app", "tier", "app.kubernetes.io/name"]), NAMES, max_size=2)
ODD = st.one_of(
    st.none(), st.integers(-3, 3), st.booleans(), st.text(max_size=4), st.lists(st.integers(), max_size=2)
)


def _maybe_odd(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value, or now and then something of the wrong type (as real dumps have)."""
    return st.one_of(value, value, value, ODD)


PORTS = st.lists(
    st.fixed_dictionaries(
        {"port": _maybe_odd(st.integers(1, 9000))},
        optional={"name": NAMES, "targetPort": _maybe_odd(st.one_of(st.integers(1, 9000), NAMES))},
    ),
    max_size=2,
)
CONTAINER = st.fixed_dictionaries(
    {"name": NAMES, "image": st.just("nginx")},
    optional={
        "ports": st.lists(
            st.fixed_dictionaries({"containerPort": st.integers(1, 9000)}, optional={"name": NAMES}),
            max_size=2,
        ),
        "envFrom": st.lists(
            st.fixed_dictionaries({"configMapRef": st.fixed_dictionaries({"name": NAMES})}), max_size=1
        ),
        "volumeMounts": st.lists(
            st.fixed_dictionaries({"name": NAMES, "mountPath": st.just("/m")}), max_size=1
        ),
    },
)
POD_SPEC = st.fixed_dictionaries(
    {"containers": _maybe_odd(st.lists(CONTAINER, min_size=1, max_size=2))},
    optional={
        "volumes": st.lists(
            st.fixed_dictionaries({"name": NAMES, "configMap": st.fixed_dictionaries({"name": NAMES})}),
            max_size=2,
        )
    },
)


def _obj(
    api: str, kind: str, spec: st.SearchStrategy[Any] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    meta = st.fixed_dictionaries(
        {"name": NAMES}, optional={"namespace": st.sampled_from(["a", "b"]), "labels": _maybe_odd(LABELS)}
    )
    fields: dict[str, Any] = {"apiVersion": st.just(api), "kind": st.just(kind), "metadata": meta}
    if spec is not None:
        fields["spec"] = spec
    return st.fixed_dictionaries(fields)


OBJECTS = st.one_of(
    _obj(
        "v1", "Service", st.fixed_dictionaries({}, optional={"selector": _maybe_odd(LABELS), "ports": PORTS})
    ),
    _obj(
        "apps/v1",
        "Deployment",
        st.fixed_dictionaries(
            {
                "selector": st.fixed_dictionaries({"matchLabels": _maybe_odd(LABELS)}),
                "template": st.fixed_dictionaries(
                    {"metadata": st.fixed_dictionaries({"labels": LABELS}), "spec": POD_SPEC}
                ),
            }
        ),
    ),
    _obj("v1", "Pod", POD_SPEC),
    _obj("v1", "ConfigMap"),
    _obj(
        "networking.k8s.io/v1",
        "Ingress",
        st.fixed_dictionaries(
            {
                "rules": st.lists(
                    st.fixed_dictionaries(
                        {
                            "http": st.fixed_dictionaries(
                                {
                                    "paths": st.lists(
                                        st.fixed_dictionaries(
                                            {
                                                "path": st.just("/"),
                                                "pathType": st.just("Prefix"),
                                                "backend": st.fixed_dictionaries(
                                                    {
                                                        "service": st.fixed_dictionaries(
                                                            {
                                                                "name": NAMES,
                                                                "port": st.fixed_dictionaries(
                                                                    {"number": st.integers(1, 9000)}
                                                                ),
                                                            }
                                                        )
                                                    }
                                                ),
                                            }
                                        ),
                                        max_size=1,
                                    )
                                }
                            )
                        }
                    ),
                    max_size=1,
                )
            }
        ),
    ),
    _obj(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        st.fixed_dictionaries(
            {
                "scaleTargetRef": st.fixed_dictionaries(
                    {"apiVersion": st.just("apps/v1"), "kind": st.just("Deployment"), "name": NAMES}
                )
            }
        ),
    ),
    _obj(
        "policy/v1",
        "PodDisruptionBudget",
        st.fixed_dictionaries({"selector": st.fixed_dictionaries({"matchLabels": LABELS})}),
    ),
)


def unique(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One object per identity: which of two copies is judged is by definition order-dependent."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for obj in objects:
        meta = obj["metadata"]
        seen.setdefault((obj["kind"], meta.get("namespace"), meta["name"]), obj)
    return list(seen.values())


def run(path: Path) -> tuple[pipeline.Report, str]:
    report = pipeline.analyse([str(path)]).report
    text = render(report)
    validate(text)
    return report, text


def findings_apart_from_locations(report: pipeline.Report) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.object.display(), f.message) for f in report.findings)


@SETTINGS
@given(
    st.lists(OBJECTS, min_size=1, max_size=7).map(unique), st.randoms(use_true_random=False), st.booleans()
)
def test_random_objects(
    tmp_path_factory: Any, objects: list[dict[str, Any]], rnd: random.Random, as_json: bool
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    first, second = folder / ("a.json" if as_json else "a.yaml"), folder / ("b.json" if as_json else "b.yaml")
    shuffled = objects[:]
    rnd.shuffle(shuffled)
    for path, docs in ((first, objects), (second, shuffled)):
        if as_json:
            path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": docs}, indent=2))
        else:
            path.write_text(yaml.safe_dump_all(docs))
    report, _ = run(first)
    assert (report.objects, report.skipped) == (len(objects), [])  # every generated object is valid
    again, _ = run(second)
    assert findings_apart_from_locations(again) == findings_apart_from_locations(report)


@SETTINGS
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe")
@example(b"---\n---\n...\n")
def test_random_bytes(tmp_path_factory: Any, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("x.yaml", "x.json"):
        (folder / name).write_bytes(data)
        result = load_inputs([str(folder / name)])
        assert all(s.file.endswith(name) for s in result.skipped)
        run(folder / name)


BLUEOCEAN = (REPO / "fixtures" / "blueocean" / "before" / "resources.yaml").read_text(encoding="utf-8")
LINES = BLUEOCEAN.splitlines(keepends=True)


@SETTINGS
@given(
    st.integers(0, len(LINES) - 1),
    st.integers(1, 200),
    st.sampled_from(["cut", "drop", "dup", "dedent", "tab"]),
)
def test_mutated_dump(tmp_path_factory: Any, at: int, span: int, how: str) -> None:
    lines = LINES[:]
    if how == "cut":
        lines = [*lines[:at], lines[at][: len(lines[at]) // 2]]
    elif how == "drop":
        del lines[at : at + span]
    elif how == "dup":
        lines[at:at] = lines[at : at + span]
    elif how == "dedent":
        lines[at : at + span] = [
            line[2:] if line.startswith("  ") else line for line in lines[at : at + span]
        ]
    else:
        lines[at] = "\t" + lines[at]
    path = tmp_path_factory.mktemp("mutated") / "resources.yaml"
    path.write_text("".join(lines))
    report, _ = run(path)
    assert report.objects > 0 or report.skipped

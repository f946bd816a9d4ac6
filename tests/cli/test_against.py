"""``kubesnap check CHANGED --against DUMP``: a change laid over a live dump; the report keeps the
findings the change introduces or touches and counts those the dump already had."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli, without_risks

from analyzer.load.types import LoadResult, Location, RawObject
from analyzer.model import build_snapshot
from analyzer.overlay import overlay
from analyzer.report.schema import validate

# The workloads below are hardened (probe, resources, securityContext): the tests are about the
# overlay, and a change that adds no hardening warning keeps their finding lists to the point.
LIVE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: "nginx:1.25"
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}}
        resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 64Mi}}
        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}
status: {replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d4f
  namespace: shop
  uid: r1
  labels: {app: web, pod-template-hash: 5d4f}
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: web, pod-template-hash: 5d4f}}
  template:
    metadata: {labels: {app: web, pod-template-hash: 5d4f}}
    spec:
      containers: [{name: web, image: "nginx:1.25"}]
status: {replicas: 1, readyReplicas: 1, availableReplicas: 1}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d4f-abcde
  namespace: shop
  labels: {app: web, pod-template-hash: 5d4f}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, uid: r1, controller: true}]
spec:
  containers: [{name: web, image: "nginx:1.25"}]
status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
  containerStatuses: [{name: web, ready: true, restartCount: 0, state: {running: {}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  selector: {app: gone}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {mode: fast}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web{namespace}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: {app}}}}}
  template:
    metadata: {{labels: {{app: {app}}}}}
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
        ports: [{{containerPort: 80}}]
        readinessProbe: {{httpGet: {{path: /, port: 80}}}}
        resources: {{requests: {{cpu: 50m, memory: 64Mi}}, limits: {{memory: 64Mi}}}}
        securityContext: {{runAsNonRoot: true, allowPrivilegeEscalation: false}}
{status}"""

WORKER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: worker, namespace: shop}}
spec:
  selector: {{matchLabels: {{app: worker}}}}
  template:
    metadata: {{labels: {{app: worker}}}}
    spec:
      containers:
      - name: worker
        image: "worker:1"
        envFrom: [{{configMapRef: {{name: {configmap}}}}}]
        resources: {{requests: {{cpu: 50m, memory: 64Mi}}, limits: {{memory: 64Mi}}}}
        securityContext: {{runAsNonRoot: true, allowPrivilegeEscalation: false}}
"""


def deployment(app: str, namespace: str | None = "shop", status: str = "") -> str:
    return DEPLOYMENT.format(
        app=app, namespace=f", namespace: {namespace}" if namespace else "", status=status
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def check_json(tmp_path: Path, change: str, live: str = LIVE, *extra: str) -> tuple[int, dict[str, Any]]:
    dump = write(tmp_path, "live.yaml", live)
    changed = write(tmp_path, "change/app.yaml", change)
    code, out = run_cli(["check", changed, "--against", dump, "--format", "json", *extra])
    validate(out)
    return code, json.loads(out)


def found(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f["rule"], f"{f['object']['kind']}/{f['object']['namespace']}/{f['object']['name']}")
        for f in report["findings"]
    ]


def test_a_relabelled_deployment_orphans_the_live_service(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, deployment("web-v2"))
    assert code == 1
    assert found(report) == [("service-selector-matches-nothing", "Service/shop/web")]
    (finding,) = report["findings"]
    assert finding["message"].startswith("Service web selects app=web, but no pod or pod template")
    assert "app=web-v2 instead of app=web" in finding["message"]
    assert finding["location"]["file"].endswith("live.yaml")
    # Service legacy selected nothing before the change: counted, not listed; no effect on the exit code.
    assert report["against"] == {
        "dump": [str(tmp_path / "live.yaml")],
        "pre_existing": 1,
        "changed": 1,
        "replaced": 1,
        "superseded": 2,  # the live ReplicaSet and Pod of the old template
    }
    assert report["summary"]["error"] == 1


def test_the_dump_alone_gives_only_the_legacy_service(tmp_path: Path) -> None:
    """The break caught above is the change's: the dump alone does not give it."""
    code, out = run_cli(["check", write(tmp_path, "live.yaml", LIVE), "--format", "json"])
    assert code == 1
    assert found(json.loads(out)) == [
        ("service-selector-matches-nothing", "Service/shop/legacy"),
        # True: nothing of the dump uses ConfigMap settings (the worker of a later change does).
        ("unused-configmap", "ConfigMap/shop/settings"),
    ]


def test_the_text_report_counts_the_pre_existing_findings(tmp_path: Path) -> None:
    dump = write(tmp_path, "live.yaml", LIVE)
    changed = write(tmp_path, "change/app.yaml", deployment("web-v2"))
    code, out = run_cli(["check", changed, "--against", dump])
    assert code == 1
    assert "Service/shop/web  [service-selector-matches-nothing]" in out
    assert "Service/shop/legacy" not in out
    assert (
        f"against {dump}: 1 object(s) changed, 1 replacing live ones, 2 live pod(s)/ReplicaSet(s) "
        "of replaced workloads left out; pre-existing: 1 (findings of the dump the change does not touch)"
    ) in out.splitlines()


def test_a_clean_change_exits_0(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, deployment("web"))
    assert code == 0
    assert report["findings"] == []
    assert report["against"]["pre_existing"] == 1


def test_a_change_without_namespace_lands_in_the_namespace_option(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, deployment("web-v2", namespace=None), LIVE, "--namespace", "shop")
    assert code == 1
    assert found(report) == [("service-selector-matches-nothing", "Service/shop/web")]
    assert report["against"]["replaced"] == 1


def test_elsewhere_it_is_a_new_object(tmp_path: Path) -> None:
    """In namespace default the relabelled Deployment replaces nothing: Service web keeps its pods."""
    code, report = check_json(tmp_path, deployment("web-v2", namespace=None))
    assert code == 0
    assert report["findings"] == []
    assert report["against"]["replaced"] == 0
    assert report["against"]["superseded"] == 0


def test_a_new_object_may_reference_what_only_the_dump_holds(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, WORKER.format(configmap="settings"))
    assert code == 0
    assert report["findings"] == []
    assert report["against"] == {
        "dump": [str(tmp_path / "live.yaml")],
        "pre_existing": 1,
        "changed": 1,
        "replaced": 0,
        "superseded": 0,
    }


def test_near_miss_a_reference_nothing_holds_is_missing(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, WORKER.format(configmap="absent"))
    assert code == 1
    assert found(report) == [("missing-reference", "Deployment/shop/worker")]
    assert "absent" in report["findings"][0]["message"]


UNAVAILABLE = """\
status:
  replicas: 1
  unavailableReplicas: 1
  conditions:
  - type: Available
    status: "False"
    reason: MinimumReplicasUnavailable
    message: Deployment does not have minimum availability.
"""


def test_observed_state_does_not_fire_on_a_replaced_object(tmp_path: Path) -> None:
    """The live Deployment is unavailable; the change replaces it, with a status copied along:
    that status belongs to the old spec, and is dropped."""
    live = LIVE.replace(
        "status: {replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1}\n",
        UNAVAILABLE,
    )
    code, out = run_cli(["check", write(tmp_path, "live.yaml", live), "--format", "json"])
    assert ("workload-unavailable", "Deployment/shop/web") in found(json.loads(out))
    code, report = check_json(tmp_path, deployment("web", status=UNAVAILABLE), live)
    assert code == 0
    assert report["findings"] == []


def test_a_break_the_change_keeps_on_its_own_object_is_shown(tmp_path: Path) -> None:
    """The live worker references a missing ConfigMap; a change to worker that keeps the
    reference touches it: it is listed, not counted as pre-existing."""
    live = LIVE + "---\n" + WORKER.format(configmap="absent")
    changed = WORKER.format(configmap="absent").replace('"worker:1"', '"worker:2"')
    code, report = check_json(tmp_path, changed, live)
    assert code == 1
    assert found(report) == [("missing-reference", "Deployment/shop/worker")]
    assert report["against"]["pre_existing"] == 2  # Service legacy; ConfigMap settings, unused


@pytest.mark.parametrize(
    ("against", "message"),
    [
        ("missing.yaml", "kubesnap: --against {tmp}/missing.yaml: no such file or folder"),
        ("-", "kubesnap: --against: the dump must be a file, folder or archive, not standard input"),
        ("empty.yaml", "kubesnap: --against {tmp}/empty.yaml: no readable Kubernetes object in the dump"),
    ],
)
def test_a_bad_dump_is_a_usage_error(tmp_path: Path, against: str, message: str) -> None:
    write(tmp_path, "empty.yaml", "# nothing here\n")
    changed = write(tmp_path, "change/app.yaml", deployment("web"))
    dump = against if against == "-" else str(tmp_path / against)
    code, out = run_cli(["check", changed, "--against", dump])
    assert code == 2
    assert "Traceback" not in out
    assert out.splitlines() == [message.format(tmp=tmp_path)]


def test_an_unreadable_change_is_a_usage_error(tmp_path: Path) -> None:
    dump = write(tmp_path, "live.yaml", LIVE)
    changed = write(tmp_path, "change/app.yaml", "kind: [broken\n")
    code, out = run_cli(["check", changed, "--against", dump])
    assert code == 2
    assert out.splitlines()[-1] == "kubesnap: the change holds no readable Kubernetes object"


# The overlay itself: what is replaced, added, left out.


def raw(kind: str, name: str, namespace: str | None = "shop", api: str = "v1", **fields: Any) -> RawObject:
    meta: dict[str, Any] = {"name": name, **({"namespace": namespace} if namespace else {})}
    meta.update(fields.pop("metadata", {}))
    return RawObject({"apiVersion": api, "kind": kind, "metadata": meta, **fields}, Location("x.yaml"))


def owned_by(kind: str, name: str, api: str = "apps/v1") -> dict[str, Any]:
    return {"ownerReferences": [{"apiVersion": api, "kind": kind, "name": name, "controller": True}]}


def names(loaded: LoadResult) -> list[str]:
    return [f"{r.data['kind']}/{r.data['metadata']['name']}" for r in loaded.objects]


LIVE_OBJECTS = [
    raw("StatefulSet", "db", api="apps/v1", spec={}, status={"readyReplicas": 0}),
    raw("Pod", "db-0", metadata=owned_by("StatefulSet", "db"), status={"phase": "Running"}),
    raw("ControllerRevision", "db-7f9", api="apps/v1", metadata=owned_by("StatefulSet", "db")),
    raw("CronJob", "nightly", api="batch/v1", spec={}),
    raw("Job", "nightly-1", api="batch/v1", metadata=owned_by("CronJob", "nightly", "batch/v1")),
    raw("Pod", "nightly-1-x", metadata=owned_by("Job", "nightly-1", "batch/v1")),
    raw("Pod", "other", status={"phase": "Running"}),
    raw("Widget", "w", api="example.com/v1", namespace=None),
    raw(
        "CustomResourceDefinition",
        "widgets.example.com",
        api="apiextensions.k8s.io/v1",
        namespace=None,
        spec={"group": "example.com", "scope": "Cluster", "names": {"kind": "Widget"}},
    ),
]


def test_the_overlay_replaces_adds_and_leaves_out_a_rollouts_pods() -> None:
    live = LoadResult(objects=LIVE_OBJECTS, files=["live.yaml"], documents=9)
    live.logs = {("shop", "db-0"): "old log", ("shop", "other"): "other log"}
    change = LoadResult(
        objects=[
            raw("StatefulSet", "db", namespace=None, api="apps/v1", spec={"replicas": 2}, status={"x": 1}),
            raw("CronJob", "nightly", api="batch/v1", spec={"schedule": "0 3 * * *"}),
            raw("Widget", "w", api="example.com/v1", namespace=None, spec={"size": 2}),
            raw("ConfigMap", "new"),
        ],
        files=["change.yaml"],
        documents=4,
    )
    merged = overlay(change, live, build_snapshot(live, "shop"), namespace="shop")
    # db-0 and its revision go with the old StatefulSet; the CronJob's running Job and pod stay.
    assert names(merged.loaded) == [
        "Job/nightly-1",
        "Pod/nightly-1-x",
        "Pod/other",
        "CustomResourceDefinition/widgets.example.com",
        "StatefulSet/db",
        "CronJob/nightly",
        "Widget/w",
        "ConfigMap/new",
    ]
    assert merged.superseded == 2
    assert sorted(k[1] for k in merged.replaced) == ["CronJob", "StatefulSet", "Widget"]
    assert len(merged.changed) == 4
    db = merged.loaded.objects[4].data
    assert "status" not in db and db["spec"] == {"replicas": 2}  # the change's, its status dropped
    assert merged.loaded.logs == {("shop", "other"): "other log"}
    assert merged.loaded.files == ["live.yaml", "change.yaml"]
    assert merged.loaded.documents == 13


PREMERGE = REPO / "fixtures" / "premerge"


def test_the_premerge_fixture_gives_what_its_readme_says() -> None:
    """fixtures/premerge: the change relabels Deployment web; the live Service web loses it."""
    code, out = run_cli(
        ["check", str(PREMERGE / "change"), "--against", str(PREMERGE / "live.yaml"), "--format", "json"]
    )
    validate(out)
    report = json.loads(out)
    assert code == 1
    # Deployment web's hardening warnings (layer risk) are listed apart in the README.
    report["findings"] = without_risks(report["findings"])
    assert found(report) == [("service-selector-matches-nothing", "Service/shop/web")]
    assert (
        "closest: Deployment web, whose pods carry app=web-v2 instead of app=web"
        in report["findings"][0]["message"]
    )
    assert report["against"]["pre_existing"] == 1
    assert report["against"]["replaced"] == 1
    code, out = run_cli(["check", str(PREMERGE / "live.yaml"), "--format", "json"])
    assert code == 1
    assert found({"findings": without_risks(json.loads(out)["findings"])}) == [
        ("service-selector-matches-nothing", "Service/shop/legacy")
    ]

"""Service endpoints and dependencies between workloads: service-no-ready-endpoints,
loadbalancer-pending, dependency-missing and dependency-unavailable. What the case files cannot
show: exact messages, causes and evidence, the two rules agreeing, renders left alone, bad input,
Secrets never read, and speed on many pods."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from analyzer import pipeline
from analyzer.commands.process import collector_paused
from analyzer.graph import build_graph
from analyzer.load import load_inputs
from analyzer.model import build_snapshot
from analyzer.rules.catalog import load_catalog
from analyzer.rules.evaluate import evaluate
from analyzer.rules.finding import Evidence, Finding, Layer, Severity

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "blueocean"
RULES = ("service-no-ready-endpoints", "loadbalancer-pending", "dependency-missing", "dependency-unavailable")


def analyse(tmp_path: Path, text: str) -> list[Finding]:
    path = tmp_path / "dump.yaml"
    path.write_text(text, encoding="utf-8")
    return [f for f in pipeline.analyse([str(path)]).report.findings if f.rule in RULES]


def of(found: list[Finding], rule: str) -> list[Finding]:
    return [f for f in found if f.rule == rule]


# The seed audit ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blueocean() -> list[Finding]:
    return list(pipeline.analyse([str(FIXTURE / "before")]).report.findings)


def test_opencost_is_down_because_prometheus_is(blueocean: list[Finding]) -> None:
    [dep] = of(blueocean, "dependency-unavailable")
    assert dep.object.display() == "Deployment/monitoring/opencost"
    assert dep.message == (
        "Deployment monitoring/opencost reads "
        "PROMETHEUS_SERVER_ENDPOINT=http://prometheus-server.monitoring.svc.cluster.local:80, but Service "
        "monitoring/prometheus-server has no ready endpoint (its selector matches no pod)."
    )
    assert [r.display() for r in dep.because_of] == ["Service/monitoring/prometheus-server"]
    assert dep.layer is Layer.CONFIGURATION and dep.severity is Severity.ERROR
    assert of(blueocean, "dependency-missing") == []


def test_blueocean_services_without_ready_endpoints(blueocean: list[Finding]) -> None:
    found = {f.object.display(): f for f in of(blueocean, "service-no-ready-endpoints")}
    assert sorted(found) == [
        "Service/monitoring/loki",
        "Service/monitoring/opencost",
        "Service/monitoring/promtail-metrics",
        "Service/onlyoneapi/public-api",
        "Service/saas-dev/konqer-api",
        "Service/saas-dev/kreach-api",
    ]
    opencost = found["Service/monitoring/opencost"]
    assert opencost.message == (
        "Service opencost has no ready endpoint: its only pod is not ready: opencost-cnrzsfzh24-nr9b7 "
        "(Running, container opencost not ready, 40 restarts)."
    )
    assert [r.display() for r in opencost.because_of] == ["Pod/monitoring/opencost-cnrzsfzh24-nr9b7"]
    assert (
        Evidence("status", "Endpoints of Service monitoring/opencost: 0 ready, 1 not ready")
        in opencost.evidence
    )
    assert opencost.layer is Layer.AGGREGATE
    dev = found["Service/saas-dev/konqer-api"]
    assert dev.severity is Severity.INFO
    assert [r.display() for r in dev.because_of] == ["Deployment/saas-dev/konqer-api"]
    # The selector that matches nothing is its own rule's, never reported twice.
    selects_nothing = {f.object for f in blueocean if f.rule == "service-selector-matches-nothing"}
    assert selects_nothing and not selects_nothing & {
        f.object for f in of(blueocean, "service-no-ready-endpoints")
    }
    # loki's pod is ready, its Endpoints empty: the port mismatch on the Service itself explains it.
    loki = found["Service/monitoring/loki"]
    assert "loki-0" in loki.message and [r.display() for r in loki.because_of] == ["Service/monitoring/loki"]


def test_blueocean_after_has_no_endpoint_or_dependency_error() -> None:
    report = pipeline.analyse([str(FIXTURE / "after")]).report
    mine = [f for f in report.findings if f.rule in RULES]
    assert {(f.object.display(), f.severity) for f in mine} == {
        ("Service/saas-dev/konqer-api", Severity.INFO),
        ("Service/saas-dev/kreach-api", Severity.INFO),
    }


# Both rules judge a Service the same way ----------------------------------------------------

LIVE = """
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop, labels: {app: db}}
spec: {containers: [{name: db, image: postgres:16}]}
status: {phase: Running, conditions: [{type: Ready, status: "%(ready)s"}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {selector: {app: %(label)s}, ports: [{port: 5432}]}
status: {loadBalancer: {}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: shop/api:1, env: [{name: DB_HOST, value: db}]}]}
"""


@pytest.mark.parametrize(
    ("ready", "label", "service_rule", "dependency"),
    [
        ("True", "db", None, False),
        ("False", "db", "service-no-ready-endpoints", True),
        ("True", "dbx", "service-selector-matches-nothing", True),
    ],
)
def test_dependency_unavailable_agrees_with_the_service_rules(
    tmp_path: Path, ready: str, label: str, service_rule: str | None, dependency: bool
) -> None:
    path = tmp_path / "dump.yaml"
    path.write_text(LIVE % {"ready": ready, "label": label}, encoding="utf-8")
    findings = pipeline.analyse([str(path)]).report.findings
    on_service = {f.rule for f in findings if f.object.display() == "Service/shop/db"}
    assert on_service == ({service_rule} if service_rule else set())
    deps = [f for f in findings if f.rule == "dependency-unavailable"]
    assert bool(deps) is dependency
    if deps:
        assert deps[0].message.startswith(
            "Deployment shop/api reads DB_HOST=db, but Service shop/db has no ready"
        )


# Renders, LoadBalancers, passwords, Secrets -------------------------------------------------

RENDER = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: shop/web:1, env: [{name: API_URL, value: "http://api:8080"}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: shop/api:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
"""


def test_a_render_without_status_is_not_judged(tmp_path: Path) -> None:
    assert analyse(tmp_path, RENDER) == []


def test_a_load_balancer_pending_in_a_live_dump_quotes_its_events(tmp_path: Path) -> None:
    live = RENDER.replace(
        "spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}",
        "spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}\nstatus: {loadBalancer: {}}",
    )
    live += """
---
apiVersion: v1
kind: Event
metadata: {name: edge.1, namespace: shop}
involvedObject: {apiVersion: v1, kind: Service, name: edge, namespace: shop}
type: Warning
reason: SyncLoadBalancerFailed
message: "Error syncing load balancer: failed to ensure load balancer: quota exceeded"
count: 4
lastTimestamp: "2025-09-13T05:10:00Z"
---
apiVersion: v1
kind: Event
metadata: {name: edge.2, namespace: shop}
involvedObject: {apiVersion: v1, kind: Service, name: edge, namespace: shop}
type: Normal
reason: EnsuringLoadBalancer
message: Ensuring load balancer
count: 4
lastTimestamp: "2025-09-13T05:09:00Z"
"""
    [lb] = of(analyse(tmp_path, live), "loadbalancer-pending")
    assert lb.object.display() == "Service/shop/edge" and lb.severity is Severity.WARNING
    quoted = (
        "SyncLoadBalancerFailed x4 (last 2025-09-13T05:10:00Z): "
        "Error syncing load balancer: failed to ensure load balancer: quota exceeded"
    )
    assert lb.message == (
        "LoadBalancer Service edge has no external address (status.loadBalancer.ingress is empty); "
        f"last event: {quoted}."
    )
    assert lb.evidence == (Evidence("event", quoted),)


def test_passwords_in_urls_are_masked(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: platform}
spec: {selector: {app: postgres}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  containers:
    - {name: api, image: shop/api:1, env: [{name: DB, value: "postgres://app:hunter2@pgsql.platform.svc:5432/x"}]}
status: {phase: Running}
"""
    [missing] = of(analyse(tmp_path, text), "dependency-missing")
    assert "hunter2" not in missing.message
    assert "DB=postgres://app:***@pgsql.platform.svc:5432/x" in missing.message
    assert [r.display() for r in missing.because_of] == ["Service/platform/pgsql"]


def test_secrets_are_never_read(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: shop}
spec: {selector: {app: postgres}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Secret
metadata: {name: api-env, namespace: shop}
stringData: {DATABASE_HOST: ghost.shop.svc.cluster.local}
data: {DATABASE_URL: cG9zdGdyZXM6Ly9naG9zdC5zaG9wLnN2Yzo1NDMy}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  containers:
    - name: api
      image: shop/api:1
      envFrom: [{secretRef: {name: api-env}}]
      env: [{name: X, valueFrom: {secretKeyRef: {name: api-env, key: DATABASE_HOST}}}]
  volumes: [{name: s, secret: {secretName: api-env}}]
status: {phase: Running}
"""
    assert analyse(tmp_path, text) == []


def test_a_render_never_reports_a_service_missing(tmp_path: Path) -> None:
    """prometheus-adapter's chart names kube-prometheus-stack's Service (the corpus' vllm example)."""
    text = """
apiVersion: v1
kind: Service
metadata: {name: prometheus-adapter, namespace: monitoring}
spec: {selector: {app: prometheus-adapter}, ports: [{port: 443}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: prometheus-adapter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: prometheus-adapter}}
  template:
    metadata: {labels: {app: prometheus-adapter}}
    spec:
      containers:
        - name: prometheus-adapter
          image: registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0
          args: ["--prometheus-url=http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090/"]
"""
    assert analyse(tmp_path, text) == []
    live = text + "status: {replicas: 1}\n"  # the same Deployment, running
    [missing] = of(analyse(tmp_path, live), "dependency-missing")
    assert missing.message.endswith(
        "but Service monitoring/prometheus-kube-prometheus-prometheus does not exist in namespace monitoring."
    )


def test_configmap_key_ref_reads_only_its_key(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: shop}
spec: {selector: {app: postgres}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {DB_HOST: postgres.shop.svc, CACHE_HOST: ghost.shop.svc}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  containers:
    - name: api
      image: shop/api:1
      env: [{name: DB, valueFrom: {configMapKeyRef: {name: cfg, key: DB_HOST}}}]
status: {phase: Running}
---
apiVersion: v1
kind: Pod
metadata: {name: cache, namespace: shop}
spec:
  containers:
    - {name: c, image: shop/c:1, env: [{name: C, valueFrom: {configMapKeyRef: {name: cfg, key: CACHE_HOST}}}]}
status: {phase: Running}
"""
    [missing] = of(analyse(tmp_path, text), "dependency-missing")
    assert missing.object.display() == "Pod/shop/cache"
    assert missing.message == (
        "Pod shop/cache reads CACHE_HOST=ghost.shop.svc (ConfigMap shop/cfg, env C of container c), "
        "but Service shop/ghost does not exist in namespace shop."
    )


# Bad input is normal input ------------------------------------------------------------------

BROKEN = [
    # Endpoints, EndpointSlices and statuses of the wrong types
    {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "a", "namespace": "x"}, "subsets": "none"},
    {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "b", "namespace": "x"},
        "subsets": [None, 3, {"addresses": "x", "notReadyAddresses": [None, 5, {"targetRef": "pod"}]}],
    },
    {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "c-1", "namespace": "x", "labels": {"kubernetes.io/service-name": "c"}},
        "endpoints": [None, {"conditions": "ready"}, {"conditions": {"ready": False}, "targetRef": [1]}],
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "a", "namespace": "x"},
        "spec": {"selector": {"app": "p"}, "type": 7},
        "status": "live",
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "b", "namespace": "x"},
        "spec": {"selector": {"app": "p"}},
        "status": {"loadBalancer": []},
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "c", "namespace": "x"},
        "spec": {"selector": {"app": "p"}, "type": "LoadBalancer"},
        "status": {"loadBalancer": {"ingress": "x"}},
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "d", "namespace": "x"},
        "spec": {"selector": ["app"], "type": "LoadBalancer"},
        "status": {"loadBalancer": "x"},
    },
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "x", "labels": {"app": "p"}},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "env": [
                        None,
                        {"name": "A", "value": 5},
                        {"value": "a.x.svc"},
                        {"valueFrom": {"configMapKeyRef": "cm"}},
                    ],
                    "args": [None, 3, {"a": "b"}, "http://zz.x.svc:80"],
                    "command": "sh",
                    "envFrom": ["x", {"configMapRef": {"name": "cm"}}],
                }
            ],
            "volumes": [
                None,
                {"configMap": "cm"},
                {"projected": {"sources": [None, {"configMap": {"items": 3}}]}},
            ],
        },
        "status": {"phase": "Running", "conditions": "Ready", "containerStatuses": [None, "x"]},
    },
    {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "x"},
        "data": {"k": ["list"], "n": None, "u": "url=http://yy.x.svc:80"},
    },
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "x"},
        "spec": {
            "replicas": "two",
            "selector": {"matchLabels": {"app": "p"}},
            "template": {"metadata": {"labels": {"app": "p"}}, "spec": {"containers": "none"}},
        },
        "status": {"replicas": "x"},
    },
]


def test_wrong_types_never_raise(tmp_path: Path) -> None:
    found = analyse(tmp_path, yaml.safe_dump_all(BROKEN))
    missing = {f.message.split(" reads ")[1].split(",")[0] for f in of(found, "dependency-missing")}
    # a.x.svc names Service x/a, which exists; the two others do not.
    assert missing == {"args of container c: http://zz.x.svc:80", "u=url=http://yy.x.svc:80 (ConfigMap x/cm"}


# Speed ------------------------------------------------------------------------------------------


def test_many_pods_naming_one_service_stay_linear(tmp_path: Path) -> None:
    """Thousands of bare client pods name one Service whose thousands of pods are not ready: the
    Service is judged once per graph, not once per client (which would be quadratic)."""

    def pod(name: str, app: str, env: list[dict[str, str]]) -> dict[str, object]:
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "shop", "labels": {"app": app}},
            "spec": {"containers": [{"name": "c", "image": "c:1", "env": env}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}]},
        }

    def dump(count: int) -> str:
        servers = [pod(f"q-{i}", "q", []) for i in range(count)]
        clients = [
            pod(f"c-{i}", "c", [{"name": "Q_URL", "value": "http://q.shop.svc:80"}]) for i in range(count)
        ]
        service = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "q", "namespace": "shop"},
            "spec": {"selector": {"app": "q"}},
            "status": {"loadBalancer": {}},
        }
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": [service, *servers, *clients]})

    rules = [r for r in load_catalog() if r.id in RULES]
    timings = []
    for count in (500, 2000):
        path = tmp_path / f"dump-{count}.json"
        path.write_text(dump(count), encoding="utf-8")
        graph = build_graph(build_snapshot(load_inputs([str(path)])))
        with collector_paused():
            start = time.perf_counter()
            result = evaluate(rules, graph)
            timings.append(time.perf_counter() - start)
        assert len([f for f in result.findings if f.rule == "dependency-unavailable"]) == count
        [service] = [f for f in result.findings if f.rule == "service-no-ready-endpoints"]
        assert service.message.startswith(
            f"Service q has no ready endpoint: none of its {count} pods is ready: "
        )
        assert service.message.endswith(f" and {count - 3} more.")
    assert timings[1] < timings[0] * 4 * 2 + 0.2, timings  # 4 times the pods: not 16 times the time

"""Deterministic synthetic Kubernetes cluster dumps, for the kubesnap performance benchmark.

Run ``python bench/synth.py --pods N --format {yaml-list,yaml-docs,json} --out FILE``
(options: ``--seed S``, ``--broken-services FRACTION`` (default 0.05), ``--jobs J``).
The same arguments always give byte-identical output, whatever ``--jobs`` is.

A cluster of N pods holds exactly N pods (N >= 50; smaller clusters are approximate) in
Deployments (one ReplicaSet each), StatefulSets (headless governing Service, one Bound PVC per pod)
and DaemonSets (one pod per node of their pool), about N/30 Nodes (min 3) in 3-6 pools, some tainted,
about N/500 Namespaces (min 3), about 15 pods a workload, a Service per workload plus a few extra,
Endpoints and one EndpointSlice per Service, the ConfigMaps, Secrets and ServiceAccounts the pods reference,
kube-root-ca.crt per namespace, Ingresses and HorizontalPodAutoscalers. About 2% of pods are in
CrashLoopBackOff, 1.5% running but not Ready, 0.5% Pending (Unschedulable); ``--broken-services`` of
the selector Services that are not headless (rounded) select nothing (a value typo or a label the
pods lack). Secret values contain the marker ``SYNTH-SECRET-MARKER``.

Formats: ``yaml-list`` is one List as ``kubectl get -A -o yaml`` prints it (equal to
``yaml.dump(whole, default_flow_style=False, sort_keys=True)``), ``yaml-docs`` the items as a
multi-document stream (equal to ``yaml.dump_all(items, ...)``), ``json`` the List as
``kubectl get -o json`` prints it (equal to ``json.dumps(whole, indent=4, sort_keys=True)`` plus a
final newline, as kubectl ends its output). Output is streamed item by item; ``--jobs`` (default: the
number of CPUs) generates and serialises batches in forked worker processes, in order. YAML is
emitted by libyaml (CSafeDumper) except ConfigMaps, whose multi-line values libyaml folds differently
from PyYAML's own emitter (both valid; the latter keeps the output equal to ``yaml.dump``).

Measured on the 2-core development machine (Python 3.11, PyYAML 6.0.4 with libyaml, default --jobs 2),
with about 15 pods a workload (Kubernetes' envelope: 150,000 pods for 10,000 Services):
    --pods 4,000   --format yaml-list --kinds Pod    4.4 s    22.4 MB   (4,000 objects)
    --pods 4,000   --format yaml-list                5.0 s    28.6 MB   (6,243 objects)
    --pods 15,000  --format json                     6.2 s   248 MB     (24,217 objects)
    --pods 150,000 --format json                    100 s    2.5 GB     (240,671 objects)
YAML runs about 3x slower than JSON per object (not measured at 150,000 pods: expect about 7 minutes).

Self-contained: the standard library and PyYAML only.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

Obj = dict[str, Any]

FORMATS = ("yaml-list", "yaml-docs", "json")
MARKER = "SYNTH-SECRET-MARKER"
BASE = 1736150400  # 2025-01-06T08:00:00Z: day 0 of the cluster
NOW = BASE + 120 * 86400  # the moment of the dump
SUFFIX = "bcdfghjklmnpqrstvwxz2456789"  # the alphabet of generated name suffixes
HEX = "0123456789abcdef"
ZONES = ("europe-west1-b", "europe-west1-c", "europe-west1-d")
K8S = "v1.30.5"
CA = (
    "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIS3luVGhDQTAwDQYJKoZIhvcNAQELBQAw\n"
    "-----END CERTIFICATE-----\n"
)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# name, machine type, (cpu, memory Ki), taint (key, value) or None, weight
POOLS = (
    ("general", "n2-standard-8", ("8", 32880784), None, 5),
    ("apps", "n2-standard-16", ("16", 65848720), None, 5),
    ("infra", "n2-standard-4", ("4", 16393356), ("dedicated", "infra"), 1),
    ("highmem", "n2-highmem-8", ("8", 65848720), ("workload", "highmem"), 2),
    ("compute", "c2-standard-16", ("16", 65848720), None, 3),
    ("batch", "e2-standard-8", ("8", 32880784), ("dedicated", "batch"), 2),
)
TEAMS = [
    "payments",
    "checkout",
    "catalog",
    "search",
    "identity",
    "billing",
    "orders",
    "shipping",
    "inventory",
    "pricing",
    "media",
    "reviews",
    "loyalty",
    "ledger",
    "analytics",
    "support",
    "growth",
    "mobile",
    "partners",
    "risk",
    "fraud",
    "data",
    "platform",
]
ENVS = ("prod", "staging", "dev", "qa", "perf")
APP_WORDS = [
    "cart",
    "checkout",
    "catalog",
    "search",
    "auth",
    "billing",
    "orders",
    "gateway",
    "profile",
    "notify",
    "recommend",
    "review",
    "shipping",
    "pricing",
    "ledger",
    "report",
    "media",
    "thumbnail",
    "inventory",
    "session",
    "token",
    "webhook",
    "mailer",
    "export",
    "import",
    "feed",
    "rating",
    "quote",
    "invoice",
    "refund",
    "coupon",
    "tax",
    "geo",
]
APP_ROLES = [
    "api",
    "worker",
    "web",
    "consumer",
    "scheduler",
    "sync",
    "indexer",
    "proxy",
    "frontend",
    "backend",
    "cron",
]
STATEFUL = {
    "postgres": ("docker.io/library/postgres:16.4", "postgres", 5432, "/var/lib/postgresql/data"),
    "redis": ("docker.io/library/redis:7.2.5", "redis", 6379, "/data"),
    "rabbitmq": ("docker.io/library/rabbitmq:3.13.7-management", "amqp", 5672, "/var/lib/rabbitmq"),
    "kafka": ("docker.io/bitnami/kafka:3.8.0", "kafka", 9092, "/bitnami/kafka"),
    "elasticsearch": (
        "docker.elastic.co/elasticsearch/elasticsearch:8.15.1",
        "http",
        9200,
        "/usr/share/elasticsearch/data",
    ),
    "zookeeper": ("docker.io/bitnami/zookeeper:3.9.2", "client", 2181, "/bitnami/zookeeper"),
}
CPU = ("50m", "100m", "100m", "200m", "250m", "500m", "1")
MEMORY = ("64Mi", "128Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi")
# Mean about 15 pods a workload (and so a Service): Kubernetes' scalability envelope is 150,000 pods
# for 10,000 Services, and real clusters of that size run few, wide workloads.
REPLICAS = (1, 2, 3, 5, 8, 10, 12, 15, 20, 25, 30, 50)


def stamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(BASE + seconds))


def new_uid(rng: random.Random) -> str:
    x = f"{rng.getrandbits(128):032x}"
    return f"{x[:8]}-{x[8:12]}-4{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:]}"


def suffix(rng: random.Random, n: int = 5) -> str:
    return "".join(rng.choices(SUFFIX, k=n))


def hexid(rng: random.Random, n: int = 64) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --------------------------------------------------------------------------- the plan
# A light model of the whole cluster, built first with one random stream; each object is then
# rendered from its plan entry alone (with its own seed), so objects can be generated in batches.


@dataclass
class NodePlan:
    index: int
    name: str
    pool: int
    uid: str
    seed: int
    created: int
    pods: int = 0  # pods placed so far (for pod IPs)


@dataclass
class PodPlan:
    ns: str
    name: str
    uid: str
    workload: Workload
    ordinal: int
    node: NodePlan | None
    ip: str | None
    state: str  # ready | notready | crashloop | pending
    seed: int
    created: int


@dataclass
class Workload:
    kind: str  # Deployment | StatefulSet | DaemonSet
    ns: str
    name: str
    uid: str
    labels: dict[str, str]  # labels of the controller and its pod template
    selector: dict[str, str]
    replicas: int
    pool: int | None  # None: every node (DaemonSet)
    image: str
    ports: list[tuple[str, int]]
    seed: int
    created: int
    sa: str = "default"
    configmap: str | None = None
    secret: str | None = None
    claim: str | None = None  # StatefulSet volume claim template name
    data_path: str = "/data"
    sidecar: bool = False
    guaranteed: bool = False
    host_network: bool = False
    tolerate_all: bool = False
    anti_affinity: bool = False
    rs_name: str = ""
    rs_uid: str = ""
    hash: str = ""
    service: str | None = None  # StatefulSet governing Service
    pods: list[PodPlan] = field(default_factory=list)


@dataclass
class ServicePlan:
    ns: str
    name: str
    uid: str
    workload: Workload | None
    selector: dict[str, str] | None
    ports: list[tuple[str, int, int | str]]  # (name, port, targetPort)
    cluster_ip: str
    seed: int
    created: int
    headless: bool = False
    broken: bool = False
    endpoints_uid: str = ""
    slice_name: str = ""
    slice_uid: str = ""


@dataclass
class Simple:
    """A plan entry for the small kinds: namespaces, service accounts, config maps, secrets, ..."""

    ns: str | None
    name: str
    uid: str
    seed: int
    created: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    pods_wanted: int
    nodes: list[NodePlan]
    pools: list[int]
    namespaces: list[Simple]
    workloads: list[Workload]
    pods: list[PodPlan]
    services: list[ServicePlan]
    service_accounts: list[Simple]
    configmaps: list[Simple]
    secrets: list[Simple]
    pvcs: list[Simple]
    ingresses: list[Simple]
    hpas: list[Simple]


def build_plan(pods: int, seed: int = 0, broken_fraction: float = 0.05) -> Plan:
    rng = random.Random(f"kubesnap-synth/{seed}")

    def sim(ns: str | None, name: str, created: int, **extra: Any) -> Simple:
        return Simple(ns, name, new_uid(rng), rng.getrandbits(63), created, extra)

    # nodes, in pools
    n_nodes = max(3, round(pods / 30))
    pools = list(range(min(len(POOLS), 3 + n_nodes // 40)))
    weights = [POOLS[p][4] for p in pools]
    assigned = [pools[i % len(pools)] for i in range(len(pools))]  # one node per pool at least
    assigned += rng.choices(pools, weights, k=max(0, n_nodes - len(pools)))
    nodes = []
    for i, pool in enumerate(sorted(assigned)):
        name = f"gke-synth-{POOLS[pool][0]}-pool-{hexid(rng, 8)}-{suffix(rng, 4)}"
        nodes.append(NodePlan(i, name, pool, new_uid(rng), rng.getrandbits(63), rng.randrange(86400)))
    by_pool: dict[int, list[NodePlan]] = {p: [n for n in nodes if n.pool == p] for p in pools}

    # namespaces
    n_ns = max(3, round(pods / 500))
    ns_names = ["default", "kube-system"]
    while len(ns_names) < n_ns:
        candidate = f"{rng.choice(TEAMS)}-{rng.choice(ENVS)}"
        if candidate in ns_names:
            candidate = f"{candidate}-{len(ns_names)}"
        ns_names.append(candidate)
    app_ns = ns_names[2:]
    used: dict[str, set[str]] = {ns: set() for ns in ns_names}  # workload and service names

    workloads: list[Workload] = []
    all_pods: list[PodPlan] = []
    services: list[ServicePlan] = []
    service_accounts = [sim(ns, "default", 0) for ns in ns_names]
    configmaps = [sim(ns, "kube-root-ca.crt", 0) for ns in ns_names]
    secrets: list[Simple] = []
    pvcs: list[Simple] = []
    ingresses: list[Simple] = []
    hpas: list[Simple] = []
    service_ips = iter(range(10, 1 << 20))

    def cluster_ip() -> str:
        k = next(service_ips)
        return f"10.{96 + (k >> 16)}.{(k >> 8) & 255}.{k & 255}"

    def service(
        w: Workload | None,
        name: str,
        ports: list[tuple[str, int, int | str]],
        headless: bool = False,
        selector: dict[str, str] | None = None,
    ) -> ServicePlan:
        ns = w.ns if w else "default"
        used[ns].add(name)
        s = ServicePlan(
            ns,
            name,
            new_uid(rng),
            w,
            dict(selector if selector is not None else w.selector) if w else None,
            ports,
            "None" if headless else cluster_ip(),
            rng.getrandbits(63),
            (w.created if w else 0) + rng.randrange(60, 600),
            headless,
        )
        s.endpoints_uid, s.slice_name, s.slice_uid = new_uid(rng), f"{name}-{suffix(rng)}", new_uid(rng)
        services.append(s)
        return s

    def unique(ns: str, base: str) -> str:
        name, k = base, 2
        while name in used[ns] or any(name + x in used[ns] for x in ("-headless", "-metrics")):
            name, k = f"{base}-{SUFFIX[k % len(SUFFIX)]}{k}", k + 1
        used[ns].add(name)
        return name

    def place(w: Workload, targets: list[NodePlan], states: list[str]) -> None:
        start = rng.randrange(len(targets))
        for i, state in enumerate(states):
            if w.kind == "StatefulSet":
                name = f"{w.name}-{i}"
            elif w.kind == "Deployment":
                name = f"{w.rs_name}-{suffix(rng)}"
            else:
                name = f"{w.name}-{suffix(rng)}"
            node: NodePlan | None = targets[(start + i) % len(targets)]
            ip = None
            if state == "pending":
                node = None
            elif node is not None:
                node.pods += 1
                host = 1 + node.pods % 254
                ip = (
                    node_ip(node)
                    if w.host_network
                    else f"10.{64 + (node.index >> 8)}.{node.index & 255}.{host}"
                )
            created = w.created + rng.randrange(60, max(120, NOW - BASE - w.created - 3600))
            w.pods.append(
                PodPlan(w.ns, name, new_uid(rng), w, i, node, ip, state, rng.getrandbits(63), created)
            )

    def daemon_states(n: int) -> list[str]:
        out = []
        for _ in range(n):
            r = rng.random()
            out.append("crashloop" if r < 0.02 else "notready" if r < 0.035 else "ready")
        return out

    # DaemonSets in kube-system: two on every node, one on a pool; only when the budget allows
    daemons: list[tuple[str, int | None]] = [
        ("kube-proxy", None),
        ("node-exporter", None),
        ("local-volume-provisioner", pools[-1]),
    ]
    budget = pods
    for name, ds_pool in daemons:
        targets = nodes if ds_pool is None else by_pool[ds_pool]
        if len(targets) > budget // 4:
            continue
        w = Workload(
            "DaemonSet",
            "kube-system",
            name,
            new_uid(rng),
            {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name},
            {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name},
            len(targets),
            ds_pool,
            {
                "kube-proxy": f"registry.k8s.io/kube-proxy:{K8S}",
                "node-exporter": "quay.io/prometheus/node-exporter:v1.8.2",
                "local-volume-provisioner": "registry.k8s.io/sig-storage/local-volume-provisioner:v2.6.0",
            }[name],
            [("metrics", {"kube-proxy": 10249, "node-exporter": 9100}.get(name, 8080))],
            rng.getrandbits(63),
            rng.randrange(86400),
            sa=name,
            host_network=name != "local-volume-provisioner",
            tolerate_all=ds_pool is None,
        )
        w.hash = suffix(rng, 10)
        used["kube-system"].add(name)
        service_accounts.append(sim("kube-system", name, w.created))
        place(w, targets, daemon_states(len(targets)))
        workloads.append(w)
        budget -= len(targets)
        if name == "node-exporter":
            service(w, name, [("metrics", 9100, "metrics")])

    untainted = [p for p in pools if POOLS[p][3] is None]
    tainted = [p for p in pools if POOLS[p][3] is not None]
    # the states of the other pods: exact fractions (at least one of each), in a random order
    pending, crashing, unready = (max(1, round(budget * f)) for f in (0.005, 0.02, 0.015))
    pod_states = ["pending"] * pending + ["crashloop"] * crashing + ["notready"] * unready
    pod_states += ["ready"] * max(0, budget - len(pod_states))
    rng.shuffle(pod_states)
    taken, first = 0, True

    def states(n: int) -> list[str]:
        nonlocal taken
        taken += n
        return (pod_states[taken - n : taken] + ["ready"] * n)[:n]

    while budget > 0:
        ns = rng.choice(app_ns)
        stateful = first or rng.random() < 0.12  # at least one StatefulSet
        first = False
        replicas = min(budget, rng.choice(REPLICAS))
        budget -= replicas
        pool = rng.choice(tainted) if tainted and rng.random() < 0.15 else rng.choice(untainted)
        created = rng.randrange(86400, 90 * 86400)
        if stateful:
            kind = rng.choice(sorted(STATEFUL))
            image, port_name, port, path = STATEFUL[kind]
            name = unique(ns, f"{kind}-{rng.choice(APP_WORDS)}")
            ports = [(port_name, port)]
        else:
            name = unique(ns, f"{rng.choice(APP_WORDS)}-{rng.choice(APP_ROLES)}")
            team = ns.split("-")[0]
            image = f"registry.example.com/{team}/{name}:1.{rng.randrange(40)}.{rng.randrange(10)}"
            ports = [("http", rng.choice((8080, 8000, 3000, 5000)))]
            if rng.random() < 0.3:
                ports.append(("grpc", 9090))
            if rng.random() < 0.4:
                ports.append(("metrics", 9102))
            path = "/data"
        instance = f"{name}-{ns.split('-')[-1]}"
        labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance}
        if rng.random() < 0.6:
            labels["app.kubernetes.io/part-of"] = ns.split("-")[0]
        selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance}
        w = Workload(
            "StatefulSet" if stateful else "Deployment",
            ns,
            name,
            new_uid(rng),
            labels,
            selector,
            replicas,
            pool,
            image,
            ports,
            rng.getrandbits(63),
            created,
            data_path=path,
            sidecar=not stateful and rng.random() < 0.2,
            guaranteed=rng.random() < 0.2,
            anti_affinity=rng.random() < 0.3,
        )
        if rng.random() < 0.3:
            w.sa = name
            service_accounts.append(sim(ns, name, created - 60))
        if stateful or rng.random() < 0.7:
            w.configmap = f"{name}-config"
            configmaps.append(sim(ns, w.configmap, created - 120, workload=w))
        if stateful or rng.random() < 0.5:
            w.secret = f"{name}-credentials"
            secrets.append(sim(ns, w.secret, created - 120))
        if stateful:
            w.claim = "data"
            w.hash = f"{name}-{suffix(rng, 10)}"
            w.service = f"{name}-headless"
            place(w, by_pool[pool], states(replicas))
            for p in w.pods:
                pvcs.append(sim(ns, f"data-{p.name}", p.created - 30, size=rng.choice((8, 20, 50, 100))))
            service(w, w.service, [(port_name, port, port_name)], headless=True)
            service(w, name, [(port_name, port, rng.choice((port_name, port)))])
        else:
            w.hash = suffix(rng, 10)
            w.rs_name, w.rs_uid = f"{name}-{w.hash}", new_uid(rng)
            place(w, by_pool[pool], states(replicas))
            http = ports[0][1]
            svc_ports: list[tuple[str, int, int | str]] = [("http", 80, rng.choice(("http", http)))]
            if len(ports) > 1 and ports[1][0] == "grpc":
                svc_ports.append(("grpc", 9090, "grpc"))
            service(w, name, svc_ports)
            if ports[-1][0] == "metrics" and rng.random() < 0.15:
                service(w, f"{name}-metrics", [("metrics", 9102, "metrics")])
            if rng.random() < 0.12:
                tls = rng.random() < 0.5
                ingresses.append(
                    sim(ns, name, created + 3600, port=rng.choice(("http", 80)), tls=tls, service=name)
                )
                if tls:
                    secrets.append(sim(ns, f"{name}-tls", created + 3600, tls=True))
            if replicas >= 2 and rng.random() < 0.3:
                hpas.append(sim(ns, name, created + 600, replicas=replicas))
        workloads.append(w)

    # the API server's own Service, without selector
    service(None, "kubernetes", [("https", 443, 6443)])

    # broken Services: a value typo or a label the pods lack
    candidates = [s for s in services if s.selector and not s.headless]
    broken = round(broken_fraction * len(candidates)) or (1 if broken_fraction > 0 and candidates else 0)
    for s in rng.sample(candidates, broken):
        assert s.selector is not None
        s.broken = True
        value = s.selector["app.kubernetes.io/name"]
        typo = value[:-2] + value[-1] + value[-2] if value[-1] != value[-2] else value + "x"
        if rng.random() < 0.5 and typo not in used[s.ns]:
            s.selector["app.kubernetes.io/name"] = typo
        else:
            s.selector["app.kubernetes.io/component"] = rng.choice(("server", "primary", "backend"))

    for members in by_pool.values():
        members.sort(key=lambda n: n.name)
    nodes.sort(key=lambda n: n.name)
    for w in workloads:
        all_pods.extend(w.pods)

    def key(x: Any) -> tuple[str, str]:
        return (x.ns or "", x.name)

    return Plan(
        pods,
        nodes,
        pools,
        sorted((sim(None, ns, 0) for ns in ns_names), key=key),
        sorted(workloads, key=key),
        sorted(all_pods, key=key),
        sorted(services, key=key),
        sorted(service_accounts, key=key),
        sorted(configmaps, key=key),
        sorted(secrets, key=key),
        sorted(pvcs, key=key),
        sorted(ingresses, key=key),
        sorted(hpas, key=key),
    )


def node_ip(node: NodePlan) -> str:
    return f"10.0.{node.index // 250}.{4 + node.index % 250}"


def broken_services(pods: int, seed: int = 0, broken_fraction: float = 0.05) -> set[tuple[str, str]]:
    """(namespace, name) of the Services made to select nothing."""
    return {(s.ns, s.name) for s in build_plan(pods, seed, broken_fraction).services if s.broken}


# --------------------------------------------------------------------------- rendering


def meta(e: Any, labels: dict[str, str] | None = None, rv: random.Random | None = None, **extra: Any) -> Obj:
    m: Obj = {
        "creationTimestamp": stamp(e.created),
        "name": e.name,
        "resourceVersion": str((rv or random.Random(e.seed)).randrange(1000, 99999999)),
        "uid": e.uid,
    }
    if getattr(e, "ns", None):
        m["namespace"] = e.ns
    if labels:
        m["labels"] = dict(labels)
    m.update(extra)
    return m


def owner(kind: str, name: str, uid: str, api: str = "apps/v1") -> list[Obj]:
    return [
        {
            "apiVersion": api,
            "blockOwnerDeletion": True,
            "controller": True,
            "kind": kind,
            "name": name,
            "uid": uid,
        }
    ]


def render_namespace(e: Simple) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": meta(e, {"kubernetes.io/metadata.name": e.name}),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def render_node(n: NodePlan) -> Obj:
    pool, machine, (cpu, mem_ki), taint, _ = POOLS[n.pool]
    rng = random.Random(n.seed)
    zone = ZONES[n.index % len(ZONES)]
    ip = node_ip(n)
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": machine,
        "beta.kubernetes.io/os": "linux",
        "cloud.google.com/gke-nodepool": f"{pool}-pool",
        "failure-domain.beta.kubernetes.io/region": "europe-west1",
        "failure-domain.beta.kubernetes.io/zone": zone,
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": machine,
        "synth.kubesnap.dev/pool": pool,
        "topology.kubernetes.io/region": "europe-west1",
        "topology.kubernetes.io/zone": zone,
    }
    spec: Obj = {
        "podCIDR": f"10.{64 + (n.index >> 8)}.{n.index & 255}.0/24",
        "podCIDRs": [f"10.{64 + (n.index >> 8)}.{n.index & 255}.0/24"],
        "providerID": f"gce://synth-project/{zone}/{n.name}",
    }
    if taint:
        spec["taints"] = [{"effect": "NoSchedule", "key": taint[0], "value": taint[1]}]
    cores = int(cpu)
    conditions = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(
            n,
            labels,
            rng,
            annotations={
                "container.googleapis.com/instance_id": str(rng.getrandbits(62)),
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        ),
        "spec": spec,
        "status": {
            "addresses": [
                {"address": ip, "type": "InternalIP"},
                {
                    "address": f"34.{76 + (n.index >> 16)}.{(n.index >> 8) & 255}.{n.index & 255}",
                    "type": "ExternalIP",
                },
                {"address": n.name, "type": "Hostname"},
            ],
            "allocatable": {
                "cpu": f"{cores * 1000 - 70 - 10 * cores}m",
                "ephemeral-storage": "47060071478",
                "hugepages-1Gi": "0",
                "hugepages-2Mi": "0",
                "memory": f"{mem_ki - 3500000}Ki",
                "pods": "110",
            },
            "capacity": {
                "cpu": cpu,
                "ephemeral-storage": "98831908Ki",
                "hugepages-1Gi": "0",
                "hugepages-2Mi": "0",
                "memory": f"{mem_ki}Ki",
                "pods": "110",
            },
            "conditions": [
                {
                    "lastHeartbeatTime": stamp(NOW - BASE - rng.randrange(60)),
                    "lastTransitionTime": stamp(n.created + 40),
                    "message": message,
                    "reason": reason,
                    "status": status,
                    "type": kind,
                }
                for kind, status, reason, message in conditions
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": [
                {
                    "names": [
                        f"registry.k8s.io/kube-proxy@sha256:{hexid(rng)}",
                        f"registry.k8s.io/kube-proxy:{K8S}",
                    ],
                    "sizeBytes": 29056238,
                },
                {
                    "names": [f"registry.k8s.io/pause@sha256:{hexid(rng)}", "registry.k8s.io/pause:3.9"],
                    "sizeBytes": 321520,
                },
            ],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": new_uid(rng),
                "containerRuntimeVersion": "containerd://1.7.22",
                "kernelVersion": "6.1.100+",
                "kubeProxyVersion": K8S,
                "kubeletVersion": K8S,
                "machineID": hexid(rng, 32),
                "operatingSystem": "linux",
                "osImage": "Container-Optimized OS from Google",
                "systemUUID": new_uid(rng),
            },
        },
    }


def render_service_account(e: Simple) -> Obj:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(e)}


def render_configmap(e: Simple) -> Obj:
    w: Workload | None = e.extra.get("workload")
    if w is None:
        data = {"ca.crt": CA}
        m = meta(e, annotations={"kubernetes.io/description": "Contains a CA bundle for the API server."})
    else:
        data = {
            "LOG_FORMAT": "json",
            "LOG_LEVEL": random.Random(e.seed).choice(("info", "debug", "warn")),
            "PORT": str(w.ports[0][1]),
            "TRACING_ENABLED": "true",
            "config.yaml": f"server:\n  port: {w.ports[0][1]}\n  name: {w.name}\nfeatures:\n  cache: true\n",
        }
        m = meta(e, {"app.kubernetes.io/name": w.name, "app.kubernetes.io/managed-by": "Helm"})
    return {"apiVersion": "v1", "data": data, "kind": "ConfigMap", "metadata": m}


def render_secret(e: Simple) -> Obj:
    rng = random.Random(e.seed)
    if e.extra.get("tls"):
        data = {
            "tls.crt": b64(CA),
            "tls.key": b64(f"-----BEGIN PRIVATE KEY-----\n{MARKER}-{hexid(rng, 16)}\n"),
        }
        kind = "kubernetes.io/tls"
    else:
        data = {
            "api-key": b64(f"{MARKER}-{hexid(rng, 24)}"),
            "password": b64(f"pw-{MARKER}-{hexid(rng, 16)}"),
            "username": b64(e.name.rsplit("-", 1)[0]),
        }
        kind = "Opaque"
    return {"apiVersion": "v1", "data": data, "kind": "Secret", "metadata": meta(e, rv=rng), "type": kind}


def render_pvc(e: Simple) -> Obj:
    rng = random.Random(e.seed)
    size = f"{e.extra['size']}Gi"
    sts = e.name[len("data-") :].rsplit("-", 1)[0]
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": meta(
            e,
            {"app.kubernetes.io/name": sts},
            rng,
            annotations={
                "pv.kubernetes.io/bind-completed": "yes",
                "pv.kubernetes.io/bound-by-controller": "yes",
                "volume.beta.kubernetes.io/storage-provisioner": "pd.csi.storage.gke.io",
                "volume.kubernetes.io/selected-node": "",
                "volume.kubernetes.io/storage-provisioner": "pd.csi.storage.gke.io",
            },
            finalizers=["kubernetes.io/pvc-protection"],
        ),
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}},
            "storageClassName": "standard-rwo",
            "volumeMode": "Filesystem",
            "volumeName": f"pvc-{new_uid(rng)}",
        },
        "status": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}, "phase": "Bound"},
    }


def controller_labels(w: Workload) -> dict[str, str]:
    if w.kind == "DaemonSet":
        return dict(w.labels)
    return {**w.labels, "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": f"{w.name}-0.1.0"}


def helm_annotations(w: Workload) -> dict[str, str]:
    if w.kind == "DaemonSet":
        return {}
    return {
        "meta.helm.sh/release-name": w.labels["app.kubernetes.io/instance"],
        "meta.helm.sh/release-namespace": w.ns,
    }


def containers(w: Workload) -> list[Obj]:
    rng = random.Random(w.seed)
    cpu, mem = rng.choice(CPU), rng.choice(MEMORY)
    limits = {"cpu": cpu, "memory": mem} if w.guaranteed else {"memory": mem}
    main: Obj = {
        "image": w.image,
        "imagePullPolicy": "IfNotPresent",
        "name": w.name.split("-")[0] if w.kind != "Deployment" else "app",
        "ports": [{"containerPort": p, "name": n, "protocol": "TCP"} for n, p in w.ports],
        "resources": {"limits": limits, "requests": {"cpu": cpu, "memory": mem}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    if w.host_network:
        for port in main["ports"]:
            port["hostPort"] = port["containerPort"]
    env: list[Obj] = [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
        {"name": "PORT", "value": str(w.ports[0][1])},
    ]
    mounts: list[Obj] = []
    if w.kind != "DaemonSet":
        env.append({"name": "ENVIRONMENT", "value": w.ns.split("-")[-1]})
        env.append({"name": "METRICS_ENABLED", "value": "true"})
    if w.configmap:
        env.append(
            {"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"key": "LOG_LEVEL", "name": w.configmap}}}
        )
        main["envFrom"] = [{"configMapRef": {"name": w.configmap}}]
        mounts.append({"mountPath": f"/etc/{w.name}", "name": "config", "readOnly": True})
    if w.secret:
        env.append(
            {
                "name": "DATABASE_PASSWORD",
                "valueFrom": {"secretKeyRef": {"key": "password", "name": w.secret}},
            }
        )
        if rng.random() < 0.5:
            main.setdefault("envFrom", []).append({"secretRef": {"name": w.secret}})
    if w.claim:
        mounts.append({"mountPath": w.data_path, "name": w.claim})
    if w.kind == "Deployment":
        mounts.append({"mountPath": "/tmp", "name": "tmp"})
    main["env"] = env
    if mounts:
        main["volumeMounts"] = mounts
    probe_port: int | str = w.ports[0][0]
    if w.kind == "Deployment":
        main["livenessProbe"] = probe(
            {"httpGet": {"path": "/healthz", "port": probe_port, "scheme": "HTTP"}}, 10
        )
        main["readinessProbe"] = probe(
            {"httpGet": {"path": "/ready", "port": probe_port, "scheme": "HTTP"}}, 5
        )
        main["securityContext"] = {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
        }
    else:
        main["readinessProbe"] = probe({"tcpSocket": {"port": probe_port}}, 10)
        if w.host_network:
            main["securityContext"] = {"privileged": True}
    out = [main]
    if w.sidecar:
        out.append(
            {
                "args": ["--config=/etc/otel/config.yaml"],
                "image": "otel/opentelemetry-collector-contrib:0.110.0",
                "imagePullPolicy": "IfNotPresent",
                "name": "otel-agent",
                "ports": [{"containerPort": 4317, "name": "otlp", "protocol": "TCP"}],
                "resources": {"limits": {"memory": "128Mi"}, "requests": {"cpu": "50m", "memory": "64Mi"}},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        )
    return out


def probe(action: Obj, period: int) -> Obj:
    return {
        **action,
        "failureThreshold": 3,
        "initialDelaySeconds": 5,
        "periodSeconds": period,
        "successThreshold": 1,
        "timeoutSeconds": 1,
    }


def template(w: Workload, extra_labels: dict[str, str] | None = None) -> Obj:
    volumes: list[Obj] = []
    if w.configmap:
        volumes.append({"configMap": {"defaultMode": 420, "name": w.configmap}, "name": "config"})
    if w.kind == "Deployment":
        volumes.append({"emptyDir": {}, "name": "tmp"})
    spec: Obj = {
        "containers": containers(w),
        "dnsPolicy": "ClusterFirstWithHostNet" if w.host_network else "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {"fsGroup": 2000, "runAsNonRoot": True, "runAsUser": 1000}
        if w.kind == "Deployment"
        else {},
        "serviceAccount": w.sa,
        "serviceAccountName": w.sa,
        "terminationGracePeriodSeconds": 30,
    }
    if volumes:
        spec["volumes"] = volumes
    if w.host_network:
        spec["hostNetwork"] = True
    if w.pool is not None:
        pool = POOLS[w.pool]
        spec["nodeSelector"] = {"cloud.google.com/gke-nodepool": f"{pool[0]}-pool"}
        if pool[3]:
            key, value = pool[3]
            spec["tolerations"] = [{"effect": "NoSchedule", "key": key, "operator": "Equal", "value": value}]
    if w.tolerate_all:
        spec["tolerations"] = [{"operator": "Exists"}]
    if w.anti_affinity:
        spec["affinity"] = {
            "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "podAffinityTerm": {
                            "labelSelector": {"matchLabels": dict(w.selector)},
                            "topologyKey": "kubernetes.io/hostname",
                        },
                        "weight": 100,
                    }
                ]
            }
        }
    labels = {**w.labels, **(extra_labels or {})}
    return {"metadata": {"creationTimestamp": None, "labels": labels}, "spec": spec}


def render_deployment(w: Workload) -> Obj:
    rng = random.Random(w.seed ^ 1)
    ready = sum(p.state == "ready" for p in w.pods)
    available = ready == w.replicas
    status: Obj = {
        "conditions": [
            {
                "lastTransitionTime": stamp(w.created + 60),
                "lastUpdateTime": stamp(w.created + 60),
                "message": "Deployment has minimum availability."
                if available
                else "Deployment does not have minimum availability.",
                "reason": "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
                "status": "True" if available else "False",
                "type": "Available",
            },
            {
                "lastTransitionTime": stamp(w.created),
                "lastUpdateTime": stamp(w.created + 60),
                "message": f'ReplicaSet "{w.rs_name}" has successfully progressed.',
                "reason": "NewReplicaSetAvailable",
                "status": "True",
                "type": "Progressing",
            },
        ],
        "observedGeneration": 1,
        "replicas": w.replicas,
        "updatedReplicas": w.replicas,
    }
    if ready:
        status.update(availableReplicas=ready, readyReplicas=ready)
    if ready < w.replicas:
        status["unavailableReplicas"] = w.replicas - ready
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(
            w,
            controller_labels(w),
            rng,
            annotations={**helm_annotations(w), "deployment.kubernetes.io/revision": "1"},
            generation=1,
        ),
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": w.replicas,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(w.selector)},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                "type": "RollingUpdate",
            },
            "template": template(w),
        },
        "status": status,
    }


class RSView:
    """The ReplicaSet of a Deployment, as a plan entry."""

    def __init__(self, w: Workload) -> None:
        self.w, self.ns, self.name, self.uid, self.seed, self.created = (
            w,
            w.ns,
            w.rs_name,
            w.rs_uid,
            w.seed ^ 2,
            w.created,
        )


def render_replicaset(r: RSView) -> Obj:
    w = r.w
    ready = sum(p.state == "ready" for p in w.pods)
    hash_label = {"pod-template-hash": w.hash}
    status: Obj = {"fullyLabeledReplicas": w.replicas, "observedGeneration": 1, "replicas": w.replicas}
    if ready:
        status.update(availableReplicas=ready, readyReplicas=ready)
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": meta(
            r,
            {**controller_labels(w), **hash_label},
            annotations={
                **helm_annotations(w),
                "deployment.kubernetes.io/desired-replicas": str(w.replicas),
                "deployment.kubernetes.io/max-replicas": str(w.replicas + max(1, (w.replicas + 3) // 4)),
                "deployment.kubernetes.io/revision": "1",
            },
            generation=1,
            ownerReferences=owner("Deployment", w.name, w.uid),
        ),
        "spec": {
            "replicas": w.replicas,
            "selector": {"matchLabels": {**w.selector, **hash_label}},
            "template": template(w, hash_label),
        },
        "status": status,
    }


def render_statefulset(w: Workload) -> Obj:
    ready = sum(p.state == "ready" for p in w.pods)
    size = f"{random.Random(w.seed).choice((8, 20, 50))}Gi"
    status: Obj = {
        "availableReplicas": ready,
        "collisionCount": 0,
        "currentReplicas": w.replicas,
        "currentRevision": w.hash,
        "observedGeneration": 1,
        "readyReplicas": ready,
        "replicas": w.replicas,
        "updateRevision": w.hash,
        "updatedReplicas": w.replicas,
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": meta(w, controller_labels(w), annotations=helm_annotations(w), generation=1),
        "spec": {
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "podManagementPolicy": "OrderedReady",
            "replicas": w.replicas,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(w.selector)},
            "serviceName": w.service,
            "template": template(w),
            "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
            "volumeClaimTemplates": [
                {
                    "apiVersion": "v1",
                    "kind": "PersistentVolumeClaim",
                    "metadata": {"creationTimestamp": None, "name": w.claim},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": size}},
                        "storageClassName": "standard-rwo",
                        "volumeMode": "Filesystem",
                    },
                    "status": {"phase": "Pending"},
                }
            ],
        },
        "status": status,
    }


def render_daemonset(w: Workload) -> Obj:
    ready = sum(p.state == "ready" for p in w.pods)
    status: Obj = {
        "currentNumberScheduled": len(w.pods),
        "desiredNumberScheduled": len(w.pods),
        "numberAvailable": ready,
        "numberMisscheduled": 0,
        "numberReady": ready,
        "observedGeneration": 1,
        "updatedNumberScheduled": len(w.pods),
    }
    if ready < len(w.pods):
        status["numberUnavailable"] = len(w.pods) - ready
    spec_template = template(w)
    if w.pool is not None:
        spec_template["spec"]["nodeSelector"] = {"cloud.google.com/gke-nodepool": f"{POOLS[w.pool][0]}-pool"}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": meta(
            w,
            controller_labels(w),
            annotations={"deprecated.daemonset.template.generation": "1"},
            generation=1,
        ),
        "spec": {
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(w.selector)},
            "template": spec_template,
            "updateStrategy": {
                "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
                "type": "RollingUpdate",
            },
        },
        "status": status,
    }


def unschedulable(plan_nodes: int, w: Workload) -> str:
    pool = POOLS[w.pool][0] if w.pool is not None else "default"
    return (
        f"0/{plan_nodes} nodes are available: {plan_nodes} Insufficient memory. preemption: "
        f"0/{plan_nodes} nodes are available: {plan_nodes} No preemption victims found for incoming pod "
        f"(pool {pool})."
    )


def render_pod(p: PodPlan, n_nodes: int) -> Obj:
    w = p.workload
    rng = random.Random(p.seed)
    extra: dict[str, str] = {}
    if w.kind == "Deployment":
        extra = {"pod-template-hash": w.hash}
        ref = owner("ReplicaSet", w.rs_name, w.rs_uid)
    elif w.kind == "StatefulSet":
        extra = {
            "apps.kubernetes.io/pod-index": str(p.ordinal),
            "controller-revision-hash": w.hash,
            "statefulset.kubernetes.io/pod-name": p.name,
        }
        ref = owner("StatefulSet", w.name, w.uid)
    else:
        extra = {"controller-revision-hash": w.hash, "pod-template-generation": "1"}
        ref = owner("DaemonSet", w.name, w.uid)
    tpl = template(w, extra)
    spec = tpl["spec"]
    token = f"kube-api-access-{suffix(rng)}"
    volumes = spec.get("volumes", [])
    if w.claim:
        volumes.insert(0, {"name": w.claim, "persistentVolumeClaim": {"claimName": f"{w.claim}-{p.name}"}})
    volumes.append(
        {
            "name": token,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {
                        "configMap": {
                            "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            "name": "kube-root-ca.crt",
                        }
                    },
                    {
                        "downwardAPI": {
                            "items": [
                                {
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace",
                                }
                            ]
                        }
                    },
                ],
            },
        }
    )
    spec["volumes"] = volumes
    for c in spec["containers"]:
        c.setdefault("volumeMounts", []).append(
            {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": token, "readOnly": True}
        )
    spec["enableServiceLinks"] = True
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    spec["priority"] = 0
    spec["tolerations"] = [
        *spec.get("tolerations", []),
        {
            "effect": "NoExecute",
            "key": "node.kubernetes.io/not-ready",
            "operator": "Exists",
            "tolerationSeconds": 300,
        },
        {
            "effect": "NoExecute",
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "tolerationSeconds": 300,
        },
    ]
    if w.kind == "StatefulSet":
        spec["hostname"] = p.name
        spec["subdomain"] = w.service
    if w.kind == "DaemonSet" and p.node is not None:
        spec["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [p.node.name]}]}
                    ]
                }
            }
        }
        spec["tolerations"] += [
            {"effect": "NoSchedule", "key": f"node.kubernetes.io/{t}", "operator": "Exists"}
            for t in ("disk-pressure", "memory-pressure", "pid-pressure", "unschedulable")
        ]
    if p.node is not None:
        spec["nodeName"] = p.node.name
    annotations = {"kubectl.kubernetes.io/default-container": spec["containers"][0]["name"]}
    if w.kind == "Deployment" and rng.random() < 0.5:
        annotations.update({"prometheus.io/port": "9102", "prometheus.io/scrape": "true"})
    metadata = meta(p, tpl["metadata"]["labels"], rng, annotations=annotations, ownerReferences=ref)
    if w.kind != "StatefulSet":
        metadata["generateName"] = p.name[: p.name.rfind("-") + 1]
    qos = "Guaranteed" if w.guaranteed and not w.sidecar else "Burstable"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": spec,
        "status": pod_status(p, spec["containers"], rng, qos, n_nodes),
    }


def pod_status(p: PodPlan, specs: list[Obj], rng: random.Random, qos: str, n_nodes: int) -> Obj:
    start = p.created + rng.randrange(1, 4)
    if p.state == "pending":
        return {
            "conditions": [
                {
                    "lastProbeTime": None,
                    "lastTransitionTime": stamp(p.created + 1),
                    "message": unschedulable(n_nodes, p.workload),
                    "reason": "Unschedulable",
                    "status": "False",
                    "type": "PodScheduled",
                }
            ],
            "phase": "Pending",
            "qosClass": qos,
        }
    assert p.node is not None
    ready = p.state == "ready"
    statuses = []
    for c in specs:
        image = c["image"]
        entry: Obj = {
            "containerID": f"containerd://{hexid(rng)}",
            "image": image,
            "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{hexid(random.Random(image))}",
            "lastState": {},
            "name": c["name"],
            "ready": ready,
            "restartCount": 0,
            "started": True,
            "state": {"running": {"startedAt": stamp(start + 4)}},
        }
        main = c is specs[0]
        if p.state == "crashloop" and main:
            entry["restartCount"] = rng.randrange(40, 900)
            entry["started"] = False
            entry["lastState"] = {
                "terminated": {
                    "containerID": f"containerd://{hexid(rng)}",
                    "exitCode": rng.choice((1, 1, 2, 137)),
                    "finishedAt": stamp(NOW - BASE - rng.randrange(10, 290)),
                    "reason": "Error",
                    "startedAt": stamp(NOW - BASE - rng.randrange(300, 330)),
                }
            }
            entry["state"] = {
                "waiting": {
                    "message": f"back-off 5m0s restarting failed container={c['name']} pod={p.name}_{p.ns}"
                    f"({p.uid})",
                    "reason": "CrashLoopBackOff",
                }
            }
            entry["containerID"] = entry["lastState"]["terminated"]["containerID"]
        elif p.state == "notready" and main:
            entry["restartCount"] = rng.randrange(1, 6)
        elif not main:
            entry["ready"] = True
        statuses.append(entry)
    statuses.sort(key=lambda s: s["name"])
    moment = stamp(start + 6 + rng.randrange(20))
    names = " ".join(c["name"] for c in specs[:1])
    conditions: list[Obj] = [
        {
            "lastProbeTime": None,
            "lastTransitionTime": stamp(start + 5),
            "status": "True",
            "type": "PodReadyToStartContainers",
        },
        {"lastProbeTime": None, "lastTransitionTime": stamp(start), "status": "True", "type": "Initialized"},
        {"lastProbeTime": None, "lastTransitionTime": moment, "status": "True", "type": "Ready"},
        {"lastProbeTime": None, "lastTransitionTime": moment, "status": "True", "type": "ContainersReady"},
        {
            "lastProbeTime": None,
            "lastTransitionTime": stamp(p.created),
            "status": "True",
            "type": "PodScheduled",
        },
    ]
    if not ready:
        for cond in conditions[2:4]:
            cond.update(
                lastTransitionTime=stamp(NOW - BASE - rng.randrange(600, 7200)),
                message=f"containers with unready status: [{names}]",
                reason="ContainersNotReady",
                status="False",
            )
    host_ip = node_ip(p.node)
    return {
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "phase": "Running",
        "podIP": p.ip,
        "podIPs": [{"ip": p.ip}],
        "qosClass": qos,
        "startTime": stamp(start),
    }


def service_labels(s: ServicePlan) -> dict[str, str] | None:
    if s.workload is None:
        return {"component": "apiserver", "provider": "kubernetes"}
    return controller_labels(s.workload)


def render_service(s: ServicePlan) -> Obj:
    spec: Obj = {
        "clusterIP": s.cluster_ip,
        "clusterIPs": [s.cluster_ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name": n, "port": port, "protocol": "TCP", "targetPort": t} for n, port, t in s.ports],
        "sessionAffinity": "None",
        "type": "ClusterIP",
    }
    if s.selector is not None:
        spec["selector"] = dict(s.selector)
    if s.headless:
        spec["publishNotReadyAddresses"] = True
    m = meta(s, service_labels(s))
    if s.workload is not None and s.workload.kind != "DaemonSet":
        m["annotations"] = helm_annotations(s.workload)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": m,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def resolved_ports(s: ServicePlan) -> list[Obj]:
    assert s.workload is not None
    numbers = dict(s.workload.ports)
    return [
        {"name": n, "port": numbers[t] if isinstance(t, str) else t, "protocol": "TCP"} for n, _, t in s.ports
    ]


def selected(s: ServicePlan) -> list[PodPlan]:
    """The pods with an IP that the Service selects (none for a broken one)."""
    if s.broken or s.workload is None:
        return []
    return sorted((p for p in s.workload.pods if p.ip), key=lambda p: p.ip or "")


def render_endpoints(s: ServicePlan) -> Obj:
    obj: Obj = {"apiVersion": "v1", "kind": "Endpoints"}
    e = Simple(s.ns, s.name, s.endpoints_uid, s.seed ^ 3, s.created)
    if s.workload is None:  # kubernetes
        obj["metadata"] = meta(e, {"endpointslice.kubernetes.io/skip-mirror": "true"})
        obj["subsets"] = [
            {
                "addresses": [{"ip": "10.0.255.2"}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
            }
        ]
        return obj
    rng = random.Random(s.seed ^ 3)
    obj["metadata"] = meta(
        e,
        service_labels(s),
        rng,
        annotations={
            "endpoints.kubernetes.io/last-change-trigger-time": stamp(NOW - BASE - rng.randrange(86400))
        },
    )
    ready: list[Obj] = []
    not_ready: list[Obj] = []
    for p in selected(s):
        assert p.node is not None
        address: Obj = {
            "ip": p.ip,
            "nodeName": p.node.name,
            "targetRef": {"kind": "Pod", "name": p.name, "namespace": p.ns, "uid": p.uid},
        }
        if s.headless:
            address["hostname"] = p.name
        (ready if p.state == "ready" or s.headless else not_ready).append(address)
    if ready or not_ready:
        subset: Obj = {"ports": resolved_ports(s)}
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        obj["subsets"] = [subset]
    return obj


def render_endpointslice(s: ServicePlan) -> Obj:
    labels = {
        **(service_labels(s) or {}),
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        "kubernetes.io/service-name": s.name,
    }
    if s.workload is None:
        labels = {"kubernetes.io/service-name": s.name}
        return {
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": [
                {
                    "addresses": ["10.0.255.2"],
                    "conditions": {"ready": True, "serving": True, "terminating": False},
                }
            ],
            "kind": "EndpointSlice",
            "metadata": meta(Simple(s.ns, s.name, s.slice_uid, s.seed ^ 4, s.created), labels, generation=1),
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        }
    if s.headless:
        labels["service.kubernetes.io/headless"] = ""
    rng = random.Random(s.seed ^ 4)
    endpoints = []
    for p in selected(s):
        assert p.node is not None
        ok = p.state == "ready" or s.headless
        endpoints.append(
            {
                "addresses": [p.ip],
                "conditions": {"ready": ok, "serving": ok, "terminating": False},
                **({"hostname": p.name} if s.headless else {}),
                "nodeName": p.node.name,
                "targetRef": {"kind": "Pod", "name": p.name, "namespace": p.ns, "uid": p.uid},
                "zone": ZONES[p.node.index % len(ZONES)],
            }
        )
    return {
        "addressType": "IPv4",
        "apiVersion": "discovery.k8s.io/v1",
        "endpoints": endpoints or None,
        "kind": "EndpointSlice",
        "metadata": meta(
            Simple(s.ns, s.slice_name, s.slice_uid, s.seed ^ 4, s.created),
            labels,
            rng,
            annotations={
                "endpoints.kubernetes.io/last-change-trigger-time": stamp(NOW - BASE - rng.randrange(86400))
            },
            generateName=f"{s.name}-",
            generation=1 + rng.randrange(5),
            ownerReferences=[
                {
                    "apiVersion": "v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "Service",
                    "name": s.name,
                    "uid": s.uid,
                }
            ],
        ),
        "ports": resolved_ports(s) if endpoints else None,
    }


def render_ingress(e: Simple) -> Obj:
    host = f"{e.name}.{e.ns}.apps.example.com"
    port = e.extra["port"]
    spec: Obj = {
        "ingressClassName": "nginx",
        "rules": [
            {
                "host": host,
                "http": {
                    "paths": [
                        {
                            "backend": {
                                "service": {
                                    "name": e.extra["service"],
                                    "port": {"name": port} if isinstance(port, str) else {"number": port},
                                }
                            },
                            "path": "/",
                            "pathType": "Prefix",
                        }
                    ]
                },
            }
        ],
    }
    annotations = {"nginx.ingress.kubernetes.io/proxy-body-size": "8m"}
    if e.extra["tls"]:
        spec["tls"] = [{"hosts": [host], "secretName": f"{e.name}-tls"}]
        annotations["cert-manager.io/cluster-issuer"] = "letsencrypt-prod"
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta(e, {"app.kubernetes.io/name": e.name}, annotations=annotations, generation=1),
        "spec": spec,
        "status": {"loadBalancer": {"ingress": [{"ip": "34.120.17.42"}]}},
    }


def render_hpa(e: Simple) -> Obj:
    rng = random.Random(e.seed)
    replicas = e.extra["replicas"]
    utilisation = rng.randrange(10, 95)
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta(e, {"app.kubernetes.io/name": e.name}, rng),
        "spec": {
            "maxReplicas": replicas * 2,
            "metrics": [
                {
                    "resource": {"name": "cpu", "target": {"averageUtilization": 70, "type": "Utilization"}},
                    "type": "Resource",
                }
            ],
            "minReplicas": max(1, replicas // 2),
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": e.name},
        },
        "status": {
            "conditions": [
                {
                    "lastTransitionTime": stamp(e.created + 60),
                    "message": "recommended size matches current size",
                    "reason": "ReadyForNewScale",
                    "status": "True",
                    "type": "AbleToScale",
                },
                {
                    "lastTransitionTime": stamp(e.created + 60),
                    "message": "the HPA was able to successfully calculate a replica count from cpu resource "
                    "utilization (percentage of request)",
                    "reason": "ValidMetricFound",
                    "status": "True",
                    "type": "ScalingActive",
                },
            ],
            "currentMetrics": [
                {
                    "resource": {
                        "current": {"averageUtilization": utilisation, "averageValue": f"{utilisation}m"},
                        "name": "cpu",
                    },
                    "type": "Resource",
                }
            ],
            "currentReplicas": replicas,
            "desiredReplicas": replicas,
        },
    }


# --------------------------------------------------------------------------- the object stream

BATCH = 400  # objects per task (the unit of work of a worker process)


def sections(plan: Plan) -> list[tuple[str, list[Any], Callable[[Any], Obj]]]:
    """The kinds in output order, each with its plan entries (sorted by namespace, name) and renderer."""
    n_nodes = len(plan.nodes)
    deployments = [w for w in plan.workloads if w.kind == "Deployment"]
    return [
        ("Namespace", plan.namespaces, render_namespace),
        ("Node", plan.nodes, render_node),
        ("ServiceAccount", plan.service_accounts, render_service_account),
        ("ConfigMap", plan.configmaps, render_configmap),
        ("Secret", plan.secrets, render_secret),
        ("PersistentVolumeClaim", plan.pvcs, render_pvc),
        ("Deployment", deployments, render_deployment),
        (
            "ReplicaSet",
            sorted((RSView(w) for w in deployments), key=lambda r: (r.ns, r.name)),
            render_replicaset,
        ),
        ("StatefulSet", [w for w in plan.workloads if w.kind == "StatefulSet"], render_statefulset),
        ("DaemonSet", [w for w in plan.workloads if w.kind == "DaemonSet"], render_daemonset),
        ("Pod", plan.pods, lambda p: render_pod(p, n_nodes)),
        ("Service", plan.services, render_service),
        ("Endpoints", plan.services, render_endpoints),
        (
            "EndpointSlice",
            sorted(plan.services, key=lambda s: (s.ns, s.slice_name if s.workload else s.name)),
            render_endpointslice,
        ),
        ("Ingress", plan.ingresses, render_ingress),
        ("HorizontalPodAutoscaler", plan.hpas, render_hpa),
    ]


def tasks(plan: Plan) -> list[tuple[int, int, int]]:
    """(section index, start, end) batches covering every object in order."""
    out: list[tuple[int, int, int]] = []
    for i, (_, entries, _) in enumerate(sections(plan)):
        out.extend((i, start, min(start + BATCH, len(entries))) for start in range(0, len(entries), BATCH))
    return out


def run_task(
    plan: Plan, secs: list[tuple[str, list[Any], Callable[[Any], Obj]]], task: tuple[int, int, int]
) -> list[Obj]:
    _, entries, render = secs[task[0]]
    return [render(e) for e in entries[task[1] : task[2]]]


def cluster_objects(pods: int, seed: int = 0, broken_fraction: float = 0.05) -> Iterator[Obj]:
    """Every object of the cluster, in ``kubectl get`` order (kind by kind, by namespace and name)."""
    plan = build_plan(pods, seed, broken_fraction)
    secs = sections(plan)
    for task in tasks(plan):
        yield from run_task(plan, secs, task)


# --------------------------------------------------------------------------- serialisation

JSON_HEAD = '{\n    "apiVersion": "v1",\n    "items": [\n'
JSON_TAIL = '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
YAML_HEAD = "apiVersion: v1\nitems:\n"
YAML_TAIL = "kind: List\nmetadata:\n  resourceVersion: ''\n"


def json_item(obj: Obj) -> str:
    """One item as it appears inside the List of json.dumps(..., indent=4): indented by 8."""
    return "        " + json.dumps(obj, indent=4, sort_keys=True).replace("\n", "\n        ")


def dumper(obj: Obj) -> type:
    """libyaml, except for ConfigMaps: their multi-line values fold differently in libyaml and in
    PyYAML's own emitter (both valid YAML); PyYAML's keeps the output equal to ``yaml.dump``."""
    return yaml.SafeDumper if obj["kind"] == "ConfigMap" else DUMPER


def yaml_item(obj: Obj) -> str:
    """One item as it appears under ``items:``: '- ' then the mapping indented by 2.

    Dumped at width 78 so that long scalars fold at the same columns as they do 2 columns deeper."""
    text = yaml.dump(obj, Dumper=dumper(obj), default_flow_style=False, sort_keys=True, width=78)
    lines = text.split("\n")
    return "- " + "\n".join([lines[0]] + [("  " + line) if line else line for line in lines[1:]])


def yaml_doc(obj: Obj) -> str:
    return yaml.dump(obj, Dumper=dumper(obj), default_flow_style=False, sort_keys=True)


SERIALISERS: dict[str, Callable[[Obj], str]] = {
    "yaml-list": yaml_item,
    "yaml-docs": yaml_doc,
    "json": json_item,
}

_WORKER: tuple[Plan, list[Any], str] | None = None  # set before forking workers


def _serialise_task(task: tuple[int, int, int]) -> tuple[list[str], list[str]]:
    assert _WORKER is not None
    plan, secs, fmt = _WORKER
    objects = run_task(plan, secs, task)
    return [SERIALISERS[fmt](o) for o in objects], [o["kind"] for o in objects]


def write_cluster(
    path: str | os.PathLike[str],
    pods: int,
    fmt: str,
    seed: int = 0,
    broken_fraction: float = 0.05,
    jobs: int = 1,
    kinds: frozenset[str] | None = None,
) -> dict[str, int]:
    """Write the cluster to ``path`` in ``fmt`` (only the objects of ``kinds`` when given, as
    ``kubectl get pods -A`` writes only pods); return the number of objects per kind."""
    global _WORKER
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    plan = build_plan(pods, seed, broken_fraction)
    secs = sections(plan)
    work = tasks(plan)
    counts: dict[str, int] = {}
    _WORKER = (plan, secs, fmt)
    pool = None
    try:
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            pool = multiprocessing.get_context("fork").Pool(jobs)
            results: Iterator[tuple[list[str], list[str]]] = pool.imap(_serialise_task, work, chunksize=1)
        else:
            results = map(_serialise_task, work)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write({"yaml-list": YAML_HEAD, "yaml-docs": "", "json": JSON_HEAD}[fmt])
            first = True
            for all_texts, all_kinds in results:
                kept = [
                    (t, k) for t, k in zip(all_texts, all_kinds, strict=True) if kinds is None or k in kinds
                ]
                texts = [t for t, _ in kept]
                for _, kind in kept:
                    counts[kind] = counts.get(kind, 0) + 1
                if fmt == "json":
                    out.write(("" if first else ",\n") + ",\n".join(texts))
                elif fmt == "yaml-docs":
                    out.write(("" if first else "---\n") + "---\n".join(texts))
                else:
                    out.write("".join(texts))
                first = first and not texts
            out.write({"yaml-list": YAML_TAIL, "yaml-docs": "", "json": JSON_TAIL}[fmt])
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _WORKER = None
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pods", type=int, required=True, help="number of pods (1,000 to 150,000)")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--out", required=True, help="the file to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--broken-services", type=float, default=0.05, metavar="FRACTION")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--kinds", help="only these kinds, comma-separated (e.g. Pod)")
    args = parser.parse_args(argv)
    if args.pods < 1 or not 0 <= args.broken_services <= 1:
        parser.error("--pods must be >= 1 and --broken-services between 0 and 1")
    started = time.perf_counter()
    kinds = frozenset(args.kinds.split(",")) if args.kinds else None
    counts = write_cluster(
        args.out, args.pods, args.format, args.seed, args.broken_services, args.jobs, kinds
    )
    took = time.perf_counter() - started
    size = os.path.getsize(args.out)
    summary = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    print(f"{args.out}: {sum(counts.values())} objects ({summary}); {size / 1e6:.1f} MB in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

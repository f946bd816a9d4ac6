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
CrashLoopBackOff, 1.5% running but not Ready, 0.5% Pending (Unschedulable), 2% of the others ready
after one OOMKilled restart within the hour; their controllers' status counts and conditions
agree with them (a Deployment is Available when all but 25 % of its pods are ready). About 2% of
the nodes are under memory or disk pressure (the condition True and the node lifecycle
controller's NoSchedule taint). The Events of the hour before the dump, about one for 10 pods, as
``kubectl get events -A`` lists them (last, by namespace and name): a Warning for each pod in trouble
(``BackOff``, ``Unhealthy``, the scheduler's ``FailedScheduling`` with a ``series``), the
kubelet's Normal ``Pulled``/``Created``/``Started`` of each restarted pod and its
``NodeHasInsufficientMemory``/``NodeHasDiskPressure`` on each node under pressure.
``--broken-services`` of the selector Services that are not headless (rounded) select nothing (a
value typo or a label the pods lack). Secret values contain the marker ``SYNTH-SECRET-MARKER``.

Formats: ``yaml-list`` is one List as ``kubectl get -A -o yaml`` prints it (equal to
``yaml.dump(whole, default_flow_style=False, sort_keys=True)``), ``yaml-docs`` the items as a
multi-document stream (equal to ``yaml.dump_all(items, ...)``), ``json`` the List as
``kubectl get -o json`` prints it (equal to ``json.dumps(whole, indent=4, sort_keys=True)`` plus a
final newline, as kubectl ends its output). Output is streamed item by item; ``--jobs`` (default: the
number of CPUs) generates and serialises batches in forked worker processes, in order. YAML is
emitted by libyaml (CSafeDumper) except ConfigMaps, whose multi-line values libyaml folds differently
from PyYAML's own emitter (both valid; the latter keeps the output equal to ``yaml.dump``).

Measured on the 2-core development machine (Python 3.11, PyYAML 6.0.4 with libyaml, default --jobs 2),
with about 15 pods a workload (Kubernetes' envelope: 150,000 pods for 10,000 Services); the times
are those measured before the Events and node pressure were added (5 % more objects), the sizes
and counts are today's:
    --pods 4,000   --format yaml-list --kinds Pod    4.4 s    22.4 MB   (4,000 objects)
    --pods 4,000   --format yaml-list                5.0 s    29.0 MB   (6,605 objects, 362 Events)
    --pods 15,000  --format json                     6.2 s   250 MB     (25,636 objects, 1,419 Events)
    --pods 150,000 --format json                    100 s    2.5 GB     (240,671 objects before Events)
YAML runs about 3x slower than JSON per object (not measured at 150,000 pods: expect about 7 minutes).

Needs the standard library, PyYAML and the repository's kubefactory package (the builders of the
objects' shapes, shared with fixtures/blueocean/generate.py), which it finds from its own place in
the repository: what is here is the cluster mix (the plan) and the values drawn for each object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the repository root, for kubefactory
import kubefactory as kf
from kubefactory import Obj

FORMATS = ("yaml-list", "yaml-docs", "json")
MARKER = "SYNTH-SECRET-MARKER"
BASE = 1736150400  # 2025-01-06T08:00:00Z: day 0 of the cluster
NOW = BASE + 120 * 86400  # the moment of the dump
CLOCK = kf.Clock.from_epoch(BASE)
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
    return CLOCK.at(seconds)


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
    pressure: str | None = None  # a pressure condition that is True (MemoryPressure, DiskPressure)


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
    restarted: bool = False  # a ready pod whose main container was OOMKilled once, within the hour


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
    events: list[Simple] = field(default_factory=list)


class Planner:
    """Draws the plan of a cluster from one random stream, step by step: the order of the steps and
    of the draws in each is the order of the output's values."""

    def __init__(self, pods: int, seed: int) -> None:
        self.pods = pods
        self.rng = random.Random(f"kubesnap-synth/{seed}")
        self.workloads: list[Workload] = []
        self.services: list[ServicePlan] = []
        self.secrets: list[Simple] = []
        self.pvcs: list[Simple] = []
        self.ingresses: list[Simple] = []
        self.hpas: list[Simple] = []
        self.service_ips = iter(range(10, 1 << 20))
        self.plan_nodes()
        self.plan_namespaces()
        self.service_accounts = [self.simple(ns, "default", 0) for ns in self.ns_names]
        self.configmaps = [self.simple(ns, "kube-root-ca.crt", 0) for ns in self.ns_names]

    def simple(self, ns: str | None, name: str, created: int, **extra: Any) -> Simple:
        return Simple(ns, name, kf.random_uid(self.rng), self.rng.getrandbits(63), created, extra)

    def plan_nodes(self) -> None:
        """About one node for 30 pods (3 at least) in pools (one node each at least)."""
        rng = self.rng
        n_nodes = max(3, round(self.pods / 30))
        self.pools = list(range(min(len(POOLS), 3 + n_nodes // 40)))
        weights = [POOLS[p][4] for p in self.pools]
        assigned = [self.pools[i % len(self.pools)] for i in range(len(self.pools))]
        assigned += rng.choices(self.pools, weights, k=max(0, n_nodes - len(self.pools)))
        self.nodes = []
        for i, pool in enumerate(sorted(assigned)):
            name = f"gke-synth-{POOLS[pool][0]}-pool-{kf.random_hex(rng, 8)}-{kf.random_suffix(rng, 4)}"
            self.nodes.append(
                NodePlan(i, name, pool, kf.random_uid(rng), rng.getrandbits(63), rng.randrange(86400))
            )
        self.by_pool = {p: [n for n in self.nodes if n.pool == p] for p in self.pools}

    def plan_namespaces(self) -> None:
        """default, kube-system and a namespace of a team and an environment for about 500 pods."""
        n_ns = max(3, round(self.pods / 500))
        self.ns_names = ["default", "kube-system"]
        while len(self.ns_names) < n_ns:
            candidate = f"{self.rng.choice(TEAMS)}-{self.rng.choice(ENVS)}"
            if candidate in self.ns_names:
                candidate = f"{candidate}-{len(self.ns_names)}"
            self.ns_names.append(candidate)
        self.used: dict[str, set[str]] = {ns: set() for ns in self.ns_names}  # workload and service names

    def cluster_ip(self) -> str:
        k = next(self.service_ips)
        return f"10.{96 + (k >> 16)}.{(k >> 8) & 255}.{k & 255}"

    def service(
        self, w: Workload | None, name: str, ports: list[tuple[str, int, int | str]], headless: bool = False
    ) -> None:
        rng = self.rng
        ns = w.ns if w else "default"
        self.used[ns].add(name)
        s = ServicePlan(
            ns,
            name,
            kf.random_uid(rng),
            w,
            dict(w.selector) if w else None,
            ports,
            "None" if headless else self.cluster_ip(),
            rng.getrandbits(63),
            (w.created if w else 0) + rng.randrange(60, 600),
            headless,
        )
        s.endpoints_uid, s.slice_name, s.slice_uid = (
            kf.random_uid(rng),
            f"{name}-{kf.random_suffix(rng)}",
            kf.random_uid(rng),
        )
        self.services.append(s)

    def unique(self, ns: str, base: str) -> str:
        used = self.used[ns]
        name, k = base, 2
        while name in used or any(name + x in used for x in ("-headless", "-metrics")):
            name, k = f"{base}-{kf.NAME_ALPHABET[k % len(kf.NAME_ALPHABET)]}{k}", k + 1
        used.add(name)
        return name

    def place(self, w: Workload, targets: list[NodePlan], states: list[str]) -> None:
        """The pods of ``w`` in ``states``, on ``targets`` in turn from a random one."""
        rng = self.rng
        start = rng.randrange(len(targets))
        for i, state in enumerate(states):
            if w.kind == "StatefulSet":
                name = f"{w.name}-{i}"
            elif w.kind == "Deployment":
                name = f"{w.rs_name}-{kf.random_suffix(rng)}"
            else:
                name = f"{w.name}-{kf.random_suffix(rng)}"
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
                PodPlan(w.ns, name, kf.random_uid(rng), w, i, node, ip, state, rng.getrandbits(63), created)
            )

    def plan_daemonsets(self, budget: int) -> int:
        """DaemonSets in kube-system: two on every node, one on a pool; only when the budget of pods
        allows. Returns what is left of it."""
        rng = self.rng
        images = {
            "kube-proxy": f"registry.k8s.io/kube-proxy:{K8S}",
            "node-exporter": "quay.io/prometheus/node-exporter:v1.8.2",
            "local-volume-provisioner": "registry.k8s.io/sig-storage/local-volume-provisioner:v2.6.0",
        }
        for name, ds_pool in (
            ("kube-proxy", None),
            ("node-exporter", None),
            ("local-volume-provisioner", self.pools[-1]),
        ):
            targets = self.nodes if ds_pool is None else self.by_pool[ds_pool]
            if len(targets) > budget // 4:
                continue
            labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
            w = Workload(
                "DaemonSet",
                "kube-system",
                name,
                kf.random_uid(rng),
                labels,
                dict(labels),
                len(targets),
                ds_pool,
                images[name],
                [("metrics", {"kube-proxy": 10249, "node-exporter": 9100}.get(name, 8080))],
                rng.getrandbits(63),
                rng.randrange(86400),
                sa=name,
                host_network=name != "local-volume-provisioner",
                tolerate_all=ds_pool is None,
            )
            w.hash = kf.random_suffix(rng, 10)
            self.used["kube-system"].add(name)
            self.service_accounts.append(self.simple("kube-system", name, w.created))
            states = []
            for _ in targets:
                r = rng.random()
                states.append("crashloop" if r < 0.02 else "notready" if r < 0.035 else "ready")
            self.place(w, targets, states)
            self.workloads.append(w)
            budget -= len(targets)
            if name == "node-exporter":
                self.service(w, name, [("metrics", 9100, "metrics")])
        return budget

    def plan_apps(self, budget: int) -> None:
        """Deployments and StatefulSets (at least one) in the application namespaces, until the
        budget of pods is spent; their pods' states in exact fractions (at least one of each), in
        a random order."""
        rng = self.rng
        app_ns = self.ns_names[2:]
        untainted = [p for p in self.pools if POOLS[p][3] is None]
        tainted = [p for p in self.pools if POOLS[p][3] is not None]
        pending, crashing, unready = (max(1, round(budget * f)) for f in (0.005, 0.02, 0.015))
        pod_states = ["pending"] * pending + ["crashloop"] * crashing + ["notready"] * unready
        pod_states += ["ready"] * max(0, budget - len(pod_states))
        rng.shuffle(pod_states)
        taken, first = 0, True
        while budget > 0:
            ns = rng.choice(app_ns)
            stateful = first or rng.random() < 0.12
            first = False
            replicas = min(budget, rng.choice(REPLICAS))
            budget -= replicas
            pool = rng.choice(tainted) if tainted and rng.random() < 0.15 else rng.choice(untainted)
            w = self.app(ns, stateful, replicas, pool, rng.randrange(86400, 90 * 86400))
            states = (pod_states[taken : taken + replicas] + ["ready"] * replicas)[:replicas]
            taken += replicas
            if stateful:
                self.plan_statefulset(w, self.by_pool[pool], states)
            else:
                self.plan_deployment(w, self.by_pool[pool], states)
            self.workloads.append(w)

    def app(self, ns: str, stateful: bool, replicas: int, pool: int, created: int) -> Workload:
        """A Deployment or StatefulSet, with its ServiceAccount, ConfigMap and Secret when it has its own."""
        rng = self.rng
        if stateful:
            kind = rng.choice(sorted(STATEFUL))
            image, port_name, port, path = STATEFUL[kind]
            name = self.unique(ns, f"{kind}-{rng.choice(APP_WORDS)}")
            ports = [(port_name, port)]
        else:
            name = self.unique(ns, f"{rng.choice(APP_WORDS)}-{rng.choice(APP_ROLES)}")
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
        w = Workload(
            "StatefulSet" if stateful else "Deployment",
            ns,
            name,
            kf.random_uid(rng),
            labels,
            {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance},
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
            self.service_accounts.append(self.simple(ns, name, created - 60))
        if stateful or rng.random() < 0.7:
            w.configmap = f"{name}-config"
            self.configmaps.append(self.simple(ns, w.configmap, created - 120, workload=w))
        if stateful or rng.random() < 0.5:
            w.secret = f"{name}-credentials"
            self.secrets.append(self.simple(ns, w.secret, created - 120))
        return w

    def plan_statefulset(self, w: Workload, targets: list[NodePlan], states: list[str]) -> None:
        """Its pods, a Bound claim each, its headless governing Service and a Service."""
        rng = self.rng
        (port_name, port) = w.ports[0]
        w.claim = "data"
        w.hash = f"{w.name}-{kf.random_suffix(rng, 10)}"
        w.service = f"{w.name}-headless"
        self.place(w, targets, states)
        for p in w.pods:
            self.pvcs.append(
                self.simple(w.ns, f"data-{p.name}", p.created - 30, size=rng.choice((8, 20, 50, 100)))
            )
        self.service(w, w.service, [(port_name, port, port_name)], headless=True)
        self.service(w, w.name, [(port_name, port, rng.choice((port_name, port)))])

    def plan_deployment(self, w: Workload, targets: list[NodePlan], states: list[str]) -> None:
        """Its ReplicaSet's pods, its Service (sometimes one more for metrics), maybe an Ingress and
        an autoscaler."""
        rng = self.rng
        ns, name, ports = w.ns, w.name, w.ports
        w.hash = kf.random_suffix(rng, 10)
        w.rs_name, w.rs_uid = f"{name}-{w.hash}", kf.random_uid(rng)
        self.place(w, targets, states)
        svc_ports: list[tuple[str, int, int | str]] = [("http", 80, rng.choice(("http", ports[0][1])))]
        if len(ports) > 1 and ports[1][0] == "grpc":
            svc_ports.append(("grpc", 9090, "grpc"))
        self.service(w, name, svc_ports)
        if ports[-1][0] == "metrics" and rng.random() < 0.15:
            self.service(w, f"{name}-metrics", [("metrics", 9102, "metrics")])
        if rng.random() < 0.12:
            tls = rng.random() < 0.5
            port = rng.choice(("http", 80))
            self.ingresses.append(self.simple(ns, name, w.created + 3600, port=port, tls=tls, service=name))
            if tls:
                self.secrets.append(self.simple(ns, f"{name}-tls", w.created + 3600, tls=True))
        if w.replicas >= 2 and rng.random() < 0.3:
            self.hpas.append(self.simple(ns, name, w.created + 600, replicas=w.replicas))

    def break_services(self, fraction: float) -> None:
        """``fraction`` of the selector Services that are not headless (one at least, unless 0) select
        nothing: a typo in a value, or a label the pods lack."""
        rng = self.rng
        candidates = [s for s in self.services if s.selector and not s.headless]
        broken = round(fraction * len(candidates)) or (1 if fraction > 0 and candidates else 0)
        for s in rng.sample(candidates, broken):
            assert s.selector is not None
            s.broken = True
            value = s.selector["app.kubernetes.io/name"]
            typo = value[:-2] + value[-1] + value[-2] if value[-1] != value[-2] else value + "x"
            if rng.random() < 0.5 and typo not in self.used[s.ns]:
                s.selector["app.kubernetes.io/name"] = typo
            else:
                s.selector["app.kubernetes.io/component"] = rng.choice(("server", "primary", "backend"))

    def plan(self, broken_fraction: float) -> Plan:
        budget = self.plan_daemonsets(self.pods)
        self.plan_apps(budget)
        self.service(None, "kubernetes", [("https", 443, 6443)])  # the API server's, without selector
        self.break_services(broken_fraction)
        for members in self.by_pool.values():
            members.sort(key=lambda n: n.name)
        self.nodes.sort(key=lambda n: n.name)

        def key(x: Any) -> tuple[str, str]:
            return (x.ns or "", x.name)

        plan = Plan(
            self.pods,
            self.nodes,
            self.pools,
            sorted((self.simple(None, ns, 0) for ns in self.ns_names), key=key),
            sorted(self.workloads, key=key),
            sorted((p for w in self.workloads for p in w.pods), key=key),
            sorted(self.services, key=key),
            sorted(self.service_accounts, key=key),
            sorted(self.configmaps, key=key),
            sorted(self.secrets, key=key),
            sorted(self.pvcs, key=key),
            sorted(self.ingresses, key=key),
            sorted(self.hpas, key=key),
        )
        plan.events = sorted(self.plan_events(plan), key=key)
        return plan

    def plan_events(self, plan: Plan) -> list[Simple]:
        """The Events of the hour before the dump (drawn last, so that the other objects do not
        depend on them): 2 % of the nodes under memory or disk pressure (the kubelet's Normal
        ``NodeHasInsufficientMemory``/``NodeHasDiskPressure``); for each pod in trouble its Warning
        (``BackOff``, ``Unhealthy``, ``FailedScheduling``); 2 % of the ready pods restarted once
        within the hour (``Pulled``, ``Created``, ``Started``). About one Event for 10 pods."""
        rng = self.rng
        out: list[Simple] = []

        def add(ns: str, about: Any, reason: str, first: int | None = None) -> None:
            first = NOW - BASE - rng.randrange(600, 3000) if first is None else first
            nanos = rng.randrange(10**9)
            name = kf.event_name(about.name, stamp(first), nanos)
            out.append(
                Simple(
                    ns,
                    name,
                    kf.random_uid(rng),
                    rng.getrandbits(63),
                    first,
                    {"about": about, "reason": reason},
                )
            )

        for n in plan.nodes:
            if rng.random() < 0.02:
                n.pressure = rng.choice(("MemoryPressure", "DiskPressure"))
                add("default", n, n.pressure, NOW - BASE - 3000)  # when its condition turned True
        warnings = {"crashloop": "BackOff", "notready": "Unhealthy", "pending": "FailedScheduling"}
        for p in plan.pods:
            if p.state in warnings:
                add(p.ns, p, warnings[p.state])
            elif rng.random() < 0.02:
                p.restarted = True
                for reason in ("Pulled", "Created", "Started"):
                    add(p.ns, p, reason, restart_time(p))
        return out


def build_plan(pods: int, seed: int = 0, broken_fraction: float = 0.05) -> Plan:
    return Planner(pods, seed).plan(broken_fraction)


def restart_time(p: PodPlan) -> int:
    """When a restarted pod's main container started again (seconds after ``BASE``), 10 to 50
    minutes before the dump."""
    return NOW - BASE - random.Random(p.seed ^ 7).randrange(600, 3000)


def node_ip(node: NodePlan) -> str:
    return f"10.0.{node.index // 250}.{4 + node.index % 250}"


def broken_services(pods: int, seed: int = 0, broken_fraction: float = 0.05) -> set[tuple[str, str]]:
    """(namespace, name) of the Services made to select nothing."""
    return {(s.ns, s.name) for s in build_plan(pods, seed, broken_fraction).services if s.broken}


# --------------------------------------------------------------------------- rendering
# Each object from its plan entry alone: its values drawn from a random stream seeded by the entry,
# its shape from kubefactory.


class Entry(Protocol):
    """A plan entry (or a view of one) that an object is rendered from."""

    name: str
    uid: str
    seed: int
    created: int


def meta(
    e: Entry, labels: Mapping[str, str] | None = None, rng: random.Random | None = None, **extra: Any
) -> Obj:
    """The metadata of ``e``'s object; its resource version drawn from ``rng`` (by default a stream
    of its own)."""
    return kf.object_meta(
        e.name,
        uid=e.uid,
        resource_version=str((rng or random.Random(e.seed)).randrange(1000, 99999999)),
        created=stamp(e.created),
        namespace=getattr(e, "ns", None),
        labels=labels,
        **extra,
    )


def render_namespace(e: Simple) -> Obj:
    return kf.namespace(meta(e, {"kubernetes.io/metadata.name": e.name}))


def render_node(n: NodePlan) -> Obj:
    pool, machine, (cpu, mem_ki), taint, _ = POOLS[n.pool]
    rng = random.Random(n.seed)
    zone = ZONES[n.index % len(ZONES)]
    labels = kf.node_labels(
        n.name,
        machine,
        "europe-west1",
        {
            "cloud.google.com/gke-nodepool": f"{pool}-pool",
            "failure-domain.beta.kubernetes.io/zone": zone,
            "synth.kubesnap.dev/pool": pool,
            "topology.kubernetes.io/zone": zone,
        },
    )
    cores = int(cpu)
    return kf.node(
        meta(
            n,
            labels,
            rng,
            annotations=kf.node_annotations(
                {"container.googleapis.com/instance_id": str(rng.getrandbits(62))}
            ),
        ),
        kf.node_spec(
            f"gce://synth-project/{zone}/{n.name}",
            pod_cidr=f"10.{64 + (n.index >> 8)}.{n.index & 255}.0/24",
            taints=[kf.taint(*t) for t in (taint,) if t] + [kf.pressure_taint(c) for c in (n.pressure,) if c],
        ),
        addresses=[
            ("InternalIP", node_ip(n)),
            ("ExternalIP", f"34.{76 + (n.index >> 16)}.{(n.index >> 8) & 255}.{n.index & 255}"),
            ("Hostname", n.name),
        ],
        allocatable=kf.node_resources(
            f"{cores * 1000 - 70 - 10 * cores}m",
            f"{mem_ki - 3500000}Ki",
            "47060071478",
            hugepages=("1Gi", "2Mi"),
        ),
        capacity=kf.node_resources(cpu, f"{mem_ki}Ki", "98831908Ki", hugepages=("1Gi", "2Mi")),
        conditions=kf.node_conditions(
            lambda: stamp(NOW - BASE - rng.randrange(60)),
            stamp(n.created + 40),
            pressure={n.pressure: stamp(NOW - BASE - 3000)} if n.pressure else None,
        ),
        images=[
            {
                "names": [
                    f"registry.k8s.io/kube-proxy@sha256:{kf.random_hex(rng)}",
                    f"registry.k8s.io/kube-proxy:{K8S}",
                ],
                "sizeBytes": 29056238,
            },
            {
                "names": [f"registry.k8s.io/pause@sha256:{kf.random_hex(rng)}", "registry.k8s.io/pause:3.9"],
                "sizeBytes": 321520,
            },
        ],
        info=kf.node_info(
            boot_id=kf.random_uid(rng),
            machine_id=kf.random_hex(rng, 32),
            system_uuid=kf.random_uid(rng),
            kubelet=K8S,
            runtime="containerd://1.7.22",
            kernel="6.1.100+",
            os_image="Container-Optimized OS from Google",
        ),
    )


def render_service_account(e: Simple) -> Obj:
    return kf.service_account(meta(e))


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
    return kf.configmap(m, data)


def render_secret(e: Simple) -> Obj:
    rng = random.Random(e.seed)
    if e.extra.get("tls"):
        data = {"tls.crt": CA, "tls.key": f"-----BEGIN PRIVATE KEY-----\n{MARKER}-{kf.random_hex(rng, 16)}\n"}
        kind = "kubernetes.io/tls"
    else:
        data = {
            "api-key": f"{MARKER}-{kf.random_hex(rng, 24)}",
            "password": f"pw-{MARKER}-{kf.random_hex(rng, 16)}",
            # A user name that no finding quotes (the workload's own name would be, in any message on it).
            "username": e.name.rsplit("-", 1)[0].replace("-", "_") + "_rw",
        }
        kind = "Opaque"
    return kf.secret(meta(e, rng=rng), data, kind)


def render_pvc(e: Simple) -> Obj:
    rng = random.Random(e.seed)
    sts = e.name[len("data-") :].rsplit("-", 1)[0]
    return kf.bound_claim(
        meta(
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
        size=f"{e.extra['size']}Gi",
        storage_class="standard-rwo",
        volume=f"pvc-{kf.random_uid(rng)}",
    )


def controller_labels(w: Workload) -> dict[str, str]:
    if w.kind == "DaemonSet":
        return dict(w.labels)
    return {**w.labels, **kf.helm_labels(w.name, "0.1.0")}


def release_annotations(w: Workload) -> dict[str, str]:
    if w.kind == "DaemonSet":
        return {}
    return kf.helm_annotations(w.labels["app.kubernetes.io/instance"], w.ns)


def containers(w: Workload) -> list[Obj]:
    rng = random.Random(w.seed)
    cpu, mem = rng.choice(CPU), rng.choice(MEMORY)
    limits = {"cpu": cpu, "memory": mem} if w.guaranteed else {"memory": mem}
    env = [kf.env_field("POD_NAME", "metadata.name"), kf.env_value("PORT", str(w.ports[0][1]))]
    env_from: list[Obj] = []
    mounts: list[Obj] = []
    if w.kind != "DaemonSet":
        env.append(kf.env_value("ENVIRONMENT", w.ns.split("-")[-1]))
        env.append(kf.env_value("METRICS_ENABLED", "true"))
    if w.configmap:
        env.append(kf.env_from_configmap("LOG_LEVEL", w.configmap, "LOG_LEVEL"))
        env_from.append({"configMapRef": {"name": w.configmap}})
        mounts.append(kf.volume_mount("config", f"/etc/{w.name}", read_only=True))
    if w.secret:
        env.append(kf.env_from_secret("DATABASE_PASSWORD", w.secret, "password"))
        if rng.random() < 0.5:
            env_from.append({"secretRef": {"name": w.secret}})
    if w.claim:
        mounts.append(kf.volume_mount(w.claim, w.data_path))
    probe_port: int | str = w.ports[0][0]
    liveness = security = None
    if w.kind == "Deployment":
        mounts.append(kf.volume_mount("tmp", "/tmp"))
        liveness = kf.probe(kf.http_get("/healthz", probe_port), 10)
        readiness = kf.probe(kf.http_get("/ready", probe_port), 5)
        security = {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
        }
    else:
        readiness = kf.probe(kf.tcp_socket(probe_port), 10)
        if w.host_network:
            security = {"privileged": True}
    out = [
        kf.container(
            w.name.split("-")[0] if w.kind != "Deployment" else "app",
            w.image,
            ports=[kf.container_port(n, p, host_port=w.host_network) for n, p in w.ports],
            resources=kf.resources({"cpu": cpu, "memory": mem}, limits),
            env_from=env_from,
            env=env,
            mounts=mounts,
            liveness=liveness,
            readiness=readiness,
            security_context=security,
        )
    ]
    if w.sidecar:
        out.append(
            kf.container(
                "otel-agent",
                "otel/opentelemetry-collector-contrib:0.110.0",
                args=["--config=/etc/otel/config.yaml"],
                ports=[kf.container_port("otlp", 4317)],
                resources=kf.resources({"cpu": "50m", "memory": "64Mi"}, {"memory": "128Mi"}),
            )
        )
    return out


def template(w: Workload, extra_labels: dict[str, str] | None = None) -> Obj:
    volumes: list[Obj] = []
    if w.configmap:
        volumes.append(kf.configmap_volume("config", w.configmap))
    if w.kind == "Deployment":
        volumes.append(kf.empty_dir_volume("tmp"))
    node_selector = tolerations = None
    if w.pool is not None:
        pool = POOLS[w.pool]
        node_selector = {"cloud.google.com/gke-nodepool": f"{pool[0]}-pool"}
        if pool[3]:
            tolerations = [kf.toleration(*pool[3])]
    if w.tolerate_all:
        tolerations = kf.tolerate_everything()
    affinity = None
    if w.anti_affinity:
        affinity = {
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
    spec = kf.pod_template_spec(
        containers(w),
        service_account=w.sa,
        security_context={"fsGroup": 2000, "runAsNonRoot": True, "runAsUser": 1000}
        if w.kind == "Deployment"
        else None,
        volumes=volumes,
        host_network=w.host_network,
        node_selector=node_selector,
        tolerations=tolerations,
        affinity=affinity,
    )
    return kf.pod_template({**w.labels, **(extra_labels or {})}, spec)


def ready_pods(w: Workload) -> int:
    return sum(p.state == "ready" for p in w.pods)


def render_deployment(w: Workload) -> Obj:
    ready = ready_pods(w)
    conditions = kf.deployment_conditions(
        w.rs_name,
        available=ready >= kf.min_available(w.replicas),
        created=stamp(w.created),
        settled=stamp(w.created + 60),
    )
    return kf.deployment(
        meta(
            w,
            controller_labels(w),
            random.Random(w.seed ^ 1),
            annotations={**release_annotations(w), "deployment.kubernetes.io/revision": "1"},
            generation=1,
        ),
        replicas=w.replicas,
        selector=w.selector,
        template=template(w),
        status=kf.deployment_status(conditions, replicas=w.replicas, updated=w.replicas, ready=ready),
    )


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
    hash_label = {"pod-template-hash": w.hash}
    return kf.replicaset(
        meta(
            r,
            {**controller_labels(w), **hash_label},
            annotations={**release_annotations(w), **kf.replicaset_annotations(w.replicas, 1)},
            generation=1,
            owner_references=[kf.controller_ref("Deployment", w.name, w.uid)],
        ),
        replicas=w.replicas,
        selector={**w.selector, **hash_label},
        template=template(w, hash_label),
        ready=ready_pods(w),
    )


def render_statefulset(w: Workload) -> Obj:
    assert w.claim is not None
    size = f"{random.Random(w.seed).choice((8, 20, 50))}Gi"
    return kf.statefulset(
        meta(w, controller_labels(w), annotations=release_annotations(w), generation=1),
        replicas=w.replicas,
        selector=w.selector,
        service=w.service,
        template=template(w),
        claims=[kf.claim_template(w.claim, size, "standard-rwo")],
        revision=w.hash,
        ready=ready_pods(w),
    )


def render_daemonset(w: Workload) -> Obj:
    return kf.daemonset(
        meta(
            w,
            controller_labels(w),
            annotations={"deprecated.daemonset.template.generation": "1"},
            generation=1,
        ),
        selector=w.selector,
        template=template(w),
        desired=len(w.pods),
        scheduled=len(w.pods),
        ready=ready_pods(w),
    )


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
    if w.kind == "Deployment":
        extra = {"pod-template-hash": w.hash}
        ref = kf.controller_ref("ReplicaSet", w.rs_name, w.rs_uid)
    elif w.kind == "StatefulSet":
        extra = {
            "apps.kubernetes.io/pod-index": str(p.ordinal),
            "controller-revision-hash": w.hash,
            "statefulset.kubernetes.io/pod-name": p.name,
        }
        ref = kf.controller_ref("StatefulSet", w.name, w.uid)
    else:
        extra = {"controller-revision-hash": w.hash, "pod-template-generation": "1"}
        ref = kf.controller_ref("DaemonSet", w.name, w.uid)
    tpl = template(w, extra)
    stateful, pinned = w.kind == "StatefulSet", w.kind == "DaemonSet" and p.node is not None
    spec = kf.pod_spec(
        tpl["spec"],
        token=f"kube-api-access-{kf.random_suffix(rng)}",
        claims=[kf.claim_volume(w.claim, f"{w.claim}-{p.name}")] if w.claim else (),
        tolerations=kf.daemon_tolerations(host_network=w.host_network) if w.kind == "DaemonSet" else (),
        hostname=p.name if stateful else None,
        subdomain=w.service if stateful else None,
        affinity=kf.node_affinity(p.node.name) if pinned and p.node is not None else None,
        node=p.node.name if p.node is not None else None,
    )
    annotations = {"kubectl.kubernetes.io/default-container": spec["containers"][0]["name"]}
    if w.kind == "Deployment" and rng.random() < 0.5:
        annotations.update({"prometheus.io/port": "9102", "prometheus.io/scrape": "true"})
    metadata = meta(p, tpl["metadata"]["labels"], rng, annotations=annotations, owner_references=[ref])
    if not stateful:
        metadata["generateName"] = p.name[: p.name.rfind("-") + 1]
    qos = "Guaranteed" if w.guaranteed and not w.sidecar else "Burstable"
    return kf.pod(metadata, spec, pod_status(p, spec["containers"], rng, qos, n_nodes))


def container_status(p: PodPlan, c: Obj, main: bool, rng: random.Random, start: int) -> Obj:
    image = c["image"]
    container_id = f"containerd://{kf.random_hex(rng)}"
    ready, started, restarts = p.state == "ready", True, 0
    state, last_state = kf.running(stamp(start + 4)), None
    if p.state == "crashloop" and main:
        restarts = rng.randrange(40, 900)
        container_id = f"containerd://{kf.random_hex(rng)}"
        last_state = kf.terminated(
            container_id,
            rng.choice((1, 1, 2, 137)),
            finished=stamp(NOW - BASE - rng.randrange(10, 290)),
            started=stamp(NOW - BASE - rng.randrange(300, 330)),
        )
        started = False
        message = f"back-off 5m0s restarting failed container={c['name']} pod={p.name}_{p.ns}({p.uid})"
        state = kf.waiting("CrashLoopBackOff", message)
    elif p.state == "notready" and main:
        restarts = rng.randrange(1, 6)
    elif p.restarted and main:
        restarts, restarted = 1, restart_time(p)
        last_state = kf.terminated(
            container_id, 137, started=stamp(start + 4), finished=stamp(restarted - 1), reason="OOMKilled"
        )
        container_id = f"containerd://{kf.random_hex(random.Random(p.seed ^ 8))}"
        state = kf.running(stamp(restarted))
    elif not main:
        ready = True
    return kf.container_status(
        c["name"],
        image,
        kf.image_id(image, kf.random_hex(random.Random(image))),
        container_id=container_id,
        ready=ready,
        started=started,
        state=state,
        restarts=restarts,
        last_state=last_state,
    )


def pod_status(p: PodPlan, specs: list[Obj], rng: random.Random, qos: str, n_nodes: int) -> Obj:
    start = p.created + rng.randrange(1, 4)
    if p.state == "pending":
        return kf.pending_pod_status(stamp(p.created + 1), unschedulable(n_nodes, p.workload), qos)
    assert p.node is not None and p.ip is not None
    statuses = [container_status(p, c, c is specs[0], rng, start) for c in specs]
    statuses.sort(key=lambda s: s["name"])
    ready = containers_ready = stamp(start + 6 + rng.randrange(20))
    if p.state != "ready":
        ready = stamp(NOW - BASE - rng.randrange(600, 7200))
        containers_ready = stamp(NOW - BASE - rng.randrange(600, 7200))
    conditions = kf.pod_conditions(
        sandbox=stamp(start + 5),
        initialized=stamp(start),
        ready=ready,
        containers_ready=containers_ready,
        scheduled=stamp(p.created),
        unready=[] if p.state == "ready" else [specs[0]["name"]],
    )
    return kf.running_pod_status(
        conditions, statuses, host_ip=node_ip(p.node), pod_ip=p.ip, qos=qos, started=stamp(start)
    )


def service_labels(s: ServicePlan) -> dict[str, str]:
    if s.workload is None:
        return {"component": "apiserver", "provider": "kubernetes"}
    return controller_labels(s.workload)


def render_service(s: ServicePlan) -> Obj:
    m = meta(s, service_labels(s))
    if s.workload is not None and s.workload.kind != "DaemonSet":
        m["annotations"] = release_annotations(s.workload)
    return kf.service(
        m,
        cluster_ip=s.cluster_ip,
        ports=[kf.service_port(n, port, t) for n, port, t in s.ports],
        selector=None if s.selector is None else dict(s.selector),
        publish_not_ready=s.headless,
    )


def resolved_ports(s: ServicePlan) -> list[Obj]:
    assert s.workload is not None
    numbers = dict(s.workload.ports)
    return [kf.endpoint_port(n, numbers[t] if isinstance(t, str) else t) for n, _, t in s.ports]


def selected(s: ServicePlan) -> list[PodPlan]:
    """The pods with an IP that the Service selects (none for a broken one)."""
    if s.broken or s.workload is None:
        return []
    return sorted((p for p in s.workload.pods if p.ip), key=lambda p: p.ip or "")


def trigger_time(rng: random.Random) -> dict[str, str]:
    """The annotation of the endpoints controllers: when the last change that they published began."""
    return {"endpoints.kubernetes.io/last-change-trigger-time": stamp(NOW - BASE - rng.randrange(86400))}


def render_endpoints(s: ServicePlan) -> Obj:
    e = Simple(s.ns, s.name, s.endpoints_uid, s.seed ^ 3, s.created)
    if s.workload is None:  # kubernetes
        return kf.apiserver_endpoints(
            meta(e, {"endpointslice.kubernetes.io/skip-mirror": "true"}), "10.0.255.2", 6443
        )
    rng = random.Random(s.seed ^ 3)
    metadata = meta(e, service_labels(s), rng, annotations=trigger_time(rng))
    ready: list[Obj] = []
    not_ready: list[Obj] = []
    for p in selected(s):
        assert p.node is not None and p.ip is not None
        address = kf.endpoint_address(p.ip, p.node.name, p.name, p.ns, p.uid, p.name if s.headless else None)
        (ready if p.state == "ready" or s.headless else not_ready).append(address)
    return kf.endpoints(metadata, ports=resolved_ports(s), ready=ready, not_ready=not_ready)


def render_endpointslice(s: ServicePlan) -> Obj:
    if s.workload is None:
        return kf.endpoint_slice(
            meta(
                Simple(s.ns, s.name, s.slice_uid, s.seed ^ 4, s.created),
                {"kubernetes.io/service-name": s.name},
                generation=1,
            ),
            [kf.slice_endpoint("10.0.255.2", ready=True)],
            [kf.endpoint_port("https", 6443)],
        )
    labels = {
        **service_labels(s),
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        "kubernetes.io/service-name": s.name,
    }
    if s.headless:
        labels["service.kubernetes.io/headless"] = ""
    rng = random.Random(s.seed ^ 4)
    endpoints = []
    for p in selected(s):
        assert p.node is not None and p.ip is not None
        endpoints.append(
            kf.slice_endpoint(
                p.ip,
                ready=p.state == "ready" or s.headless,
                hostname=p.name if s.headless else None,
                node=p.node.name,
                target={"kind": "Pod", "name": p.name, "namespace": p.ns, "uid": p.uid},
                zone=ZONES[p.node.index % len(ZONES)],
            )
        )
    return kf.endpoint_slice(
        meta(
            Simple(s.ns, s.slice_name, s.slice_uid, s.seed ^ 4, s.created),
            labels,
            rng,
            annotations=trigger_time(rng),
            generate_name=f"{s.name}-",
            generation=1 + rng.randrange(5),
            owner_references=[kf.controller_ref("Service", s.name, s.uid, "v1")],
        ),
        endpoints or None,
        resolved_ports(s) if endpoints else None,
    )


def render_ingress(e: Simple) -> Obj:
    annotations = {"nginx.ingress.kubernetes.io/proxy-body-size": "8m"}
    if e.extra["tls"]:
        annotations["cert-manager.io/cluster-issuer"] = "letsencrypt-prod"
    return kf.ingress(
        meta(e, {"app.kubernetes.io/name": e.name}, annotations=annotations, generation=1),
        host=f"{e.name}.{e.ns}.apps.example.com",
        service=e.extra["service"],
        port=e.extra["port"],
        load_balancer_ip="34.120.17.42",
        tls_secret=f"{e.name}-tls" if e.extra["tls"] else None,
    )


def render_hpa(e: Simple) -> Obj:
    rng = random.Random(e.seed)
    replicas = e.extra["replicas"]
    utilisation = rng.randrange(10, 95)
    return kf.cpu_autoscaler(
        meta(e, {"app.kubernetes.io/name": e.name}, rng),
        deployment=e.name,
        min_replicas=max(1, replicas // 2),
        max_replicas=replicas * 2,
        replicas=replicas,
        utilisation=utilisation,
        conditions=kf.autoscaler_conditions(stamp(e.created + 60)),
    )


def micro(seconds: int, rng: random.Random) -> str:
    """The time ``seconds`` after ``BASE`` with microseconds, as the events.k8s.io recorder writes it."""
    return f"{stamp(seconds)[:-1]}.{rng.randrange(10**6):06d}Z"


NODE_EVENTS = {
    "MemoryPressure": ("NodeHasInsufficientMemory", "status is now: NodeHasInsufficientMemory"),
    "DiskPressure": ("NodeHasDiskPressure", "status is now: NodeHasDiskPressure"),
}


def render_event(e: Simple, n_nodes: int) -> Obj:
    """An Event of the hour before the dump about a node or a pod (plan_events says which)."""
    rng = random.Random(e.seed)
    about, reason = e.extra["about"], e.extra["reason"]
    metadata = meta(e, rng=rng)
    first, last = stamp(e.created), stamp(NOW - BASE - rng.randrange(5, 300))
    if isinstance(about, NodePlan):
        reason, text = NODE_EVENTS[reason]
        return kf.event(
            metadata,
            kf.involved(
                "Node", about.name, about.name, "", namespace=None, api_version=""
            ),  # the kubelet's own
            reason,
            f"Node {about.name} {text}",
            kind="Normal",
            component="kubelet",
            host=about.name,
            first=first,
            last=first,
        )
    p: PodPlan = about
    w = p.workload
    container = w.name.split("-")[0] if w.kind != "Deployment" else "app"
    if reason == "FailedScheduling":
        return kf.series_event(
            metadata,
            kf.involved("Pod", p.name, p.uid, str(rng.randrange(1000, 99999999)), namespace=p.ns),
            reason,
            unschedulable(n_nodes, w),
            kind="Warning",
            controller="default-scheduler",
            instance="default-scheduler-gke-synth-control-plane",
            action="Scheduling",
            first=micro(p.created + 1, rng),
            last=micro(NOW - BASE - rng.randrange(5, 300), rng),
            count=1 + (NOW - BASE - p.created) // 300,
        )
    assert p.node is not None
    about_pod = kf.involved(
        "Pod",
        p.name,
        p.uid,
        str(rng.randrange(1000, 99999999)),
        namespace=p.ns,
        field_path=f"spec.containers{{{container}}}",
    )
    count, kind = 25 + (NOW - BASE - e.created) // 300, "Warning"
    if reason == "BackOff":
        text = f"Back-off restarting failed container {container} in pod {p.name}_{p.ns}({p.uid})"
    elif reason == "Unhealthy":
        port = w.ports[0][1]
        text = (
            "Readiness probe failed: HTTP probe failed with statuscode: 503"
            if w.kind == "Deployment"
            else f"Readiness probe failed: dial tcp {p.ip}:{port}: connect: connection refused"
        )
    else:  # the Normal Events of the restart of a ready pod
        count, kind, last = 2, "Normal", first
        text = {
            "Pulled": f'Container image "{w.image}" already present on machine',
            "Created": f"Created container {container}",
            "Started": f"Started container {container}",
        }[reason]
    return kf.event(
        metadata,
        about_pod,
        reason,
        text,
        kind=kind,
        component="kubelet",
        host=p.node.name,
        first=first,
        last=last,
        count=count,
    )


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
        ("Event", plan.events, lambda e: render_event(e, n_nodes)),
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

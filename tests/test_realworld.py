"""Thirteen real sets that were checked blind (../shared/corpus/realworld-2026-12, see the
"realworld-2026-12" section of PROVENANCE.md): every error and warning kubesnap gives on them is
one that PROVENANCE calls true, intentional or an input artefact, and nothing else; and a real
break injected into each set is reported as an error (an allowance for what controllers create
at run time must not hide a break that no controller could fill)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from analyzer import pipeline
from analyzer.findings import Severity

pytestmark = needs_corpus()

REALWORLD = CORPUS / "realworld-2026-12"
NAMESPACE = {"sockshop-monitoring": "monitoring", "strimzi": "myproject"}
"""The flags of PROVENANCE's table: the namespace each set is meant for."""

TRUE = "true positive"
INTENTIONAL = "intentional"
ARTEFACT = "input artefact"

# (run, severity, rule, object) -> PROVENANCE's class, and why
EXPECTED: dict[tuple[str, str, str, str], tuple[str, str]] = {
    ("sockshop", "error", "hpa-target-missing", "HorizontalPodAutoscaler/sock-shop/cart"): (
        TRUE,
        "targets Deployment cart; the Deployment is carts",
    ),
    ("sockshop", "warning", "networkpolicy-selects-nothing", "NetworkPolicy/sock-shop/cart-access"): (
        TRUE,
        "selects name=cart; the pods carry name=carts",
    ),
    ("sockshop", "warning", "duplicate-object", "Namespace/sock-shop"): (
        ARTEFACT,
        "complete-demo.yaml and manifests-policy both create the namespace: two alternative paths in one"
        " run (not classified in PROVENANCE, which counts the findings of this run as 20 with 19 listed)",
    ),
    # New with hpa-replicas-conflict (not in PROVENANCE's table, which predates the rule): true.
    **{
        ("sockshop", "warning", "hpa-replicas-conflict", f"Deployment/sock-shop/{name}"): (
            TRUE,
            "the manifest sets replicas: 1 and an HPA of the set scales it: every apply resets the"
            " autoscaler's count (kube-score's deployment-targeted-by-hpa-does-not-have-replicas-configured)",
        )
        for name in ("catalogue", "front-end", "orders", "payment", "queue-master", "shipping", "user")
    },
    (
        "external-dns/aws-localstack",
        "error",
        "service-selector-matches-nothing",
        "Service/default/loadbalancer-service",
    ): (INTENTIONAL, "a tutorial Service selecting app=test-app only to create DNS records"),
    ("external-dns/coredns", "error", "service-selector-matches-nothing", "Service/default/a-g1-record"): (
        INTENTIONAL,
        "a tutorial Service selecting app=test-app only to create DNS records",
    ),
    ("external-dns/coredns", "error", "service-selector-matches-nothing", "Service/default/aa-g1-record"): (
        INTENTIONAL,
        "a tutorial Service selecting app=test-app only to create DNS records",
    ),
    ("external-dns/traefik-proxy", "warning", "duplicate-object", "Deployment/default/external-dns"): (
        ARTEFACT,
        "two alternative files of the tutorial (with and without cluster RBAC)",
    ),
}

DETAILS_TO_REVIEWS = ("details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3")
DASHBOARD = (
    "Deployment/kubernetes-dashboard/dashboard-metrics-scraper",
    "Deployment/kubernetes-dashboard/kubernetes-dashboard",
)
# The per-object reliability and security rules (issue 15), read against each manifest: every one
# true (the tutorials and demos set no resources and no readiness probes, pin no versions) but
# longhorn's, which is deliberate. (run, rule) -> (class, why, objects)
PER_OBJECT: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {
    ("bookinfo", "container-resources-missing"): (
        TRUE,
        "the bookinfo sample sets no resources on any of its containers",
        tuple(f"Deployment/default/{d}" for d in DETAILS_TO_REVIEWS),
    ),
    ("bookinfo", "probe-missing"): (
        TRUE,
        "no bookinfo container has a readiness probe; each is selected by its Service",
        tuple(f"Deployment/default/{d}" for d in DETAILS_TO_REVIEWS),
    ),
    ("dashboard", "container-resources-missing"): (
        TRUE,
        "recommended.yaml sets no resources on the dashboard and its metrics scraper",
        DASHBOARD,
    ),
    ("dashboard", "probe-missing"): (
        TRUE,
        "both have only a liveness probe, and a Service in front",
        DASHBOARD,
    ),
    ("emojivoto", "container-resources-missing"): (
        TRUE,
        "CPU requests only: no memory request or limit",
        (
            "Deployment/emojivoto/emoji",
            "Deployment/emojivoto/vote-bot",
            "Deployment/emojivoto/voting",
            "Deployment/emojivoto/web",
        ),
    ),
    ("emojivoto", "probe-missing"): (
        TRUE,
        "the three services behind a Service have no readiness probe (vote-bot has no Service)",
        ("Deployment/emojivoto/emoji", "Deployment/emojivoto/voting", "Deployment/emojivoto/web"),
    ),
    ("external-dns/aws-localstack", "image-latest-tag"): (
        TRUE,
        "nginx:latest",
        ("Deployment/default/foo-app",),
    ),
    ("external-dns/aws-localstack", "probe-missing"): (
        TRUE,
        "the demo nginx behind a Service has no readiness probe",
        ("Deployment/default/foo-app",),
    ),
    ("external-dns/coredns", "container-resources-missing"): (
        TRUE,
        "etcd sets no resources",
        ("StatefulSet/default/etcd",),
    ),
    ("external-dns/coredns", "probe-missing"): (
        TRUE,
        "etcd behind its Services has no readiness probe",
        ("StatefulSet/default/etcd",),
    ),
    ("external-dns/exoscale", "container-resources-missing"): (
        TRUE,
        "neither external-dns nor the demo nginx sets resources",
        ("Deployment/default/external-dns", "Deployment/default/nginx"),
    ),
    ("external-dns/exoscale", "image-latest-tag"): (
        TRUE,
        "image nginx, no tag",
        ("Deployment/default/nginx",),
    ),
    ("external-dns/exoscale", "probe-missing"): (
        TRUE,
        "the demo nginx behind two Services has no readiness probe",
        ("Deployment/default/nginx",),
    ),
    **{
        (run, "container-resources-missing"): (TRUE, "the external-dns tutorials set no resources", (obj,))
        for run, obj in (
            ("external-dns/kustomize", "Deployment/default/external-dns"),
            ("external-dns/rfc2136", "Deployment/bind9/bind9"),
            ("external-dns/security-context", "Deployment/default/external-dns"),
            ("external-dns/traefik-proxy", "Deployment/default/external-dns"),
        )
    },
    ("ksm-autosharding", "container-resources-missing"): (
        TRUE,
        "the kube-state-metrics examples set no resources",
        ("StatefulSet/kube-system/kube-state-metrics",),
    ),
    ("ksm-daemonsetsharding", "container-resources-missing"): (
        TRUE,
        "the kube-state-metrics examples set no resources",
        (
            "DaemonSet/kube-system/kube-state-metrics-shard",
            "Deployment/kube-system/kube-state-metrics",
            "Deployment/kube-system/kube-state-metrics-unscheduled-pods-fetching",
        ),
    ),
    ("ksm-standard", "container-resources-missing"): (
        TRUE,
        "the kube-state-metrics examples set no resources",
        ("Deployment/kube-system/kube-state-metrics",),
    ),
    ("longhorn", "container-resources-missing"): (
        TRUE,
        "longhorn.yaml sets no resources on its manager, driver deployer and UI",
        (
            "DaemonSet/longhorn-system/longhorn-manager",
            "Deployment/longhorn-system/longhorn-driver-deployer",
            "Deployment/longhorn-system/longhorn-ui",
        ),
    ),
    ("longhorn", "probe-missing"): (
        TRUE,
        "the UI behind Service longhorn-frontend has no readiness probe",
        ("Deployment/longhorn-system/longhorn-ui",),
    ),
    ("longhorn", "rolling-update-all-unavailable"): (
        INTENTIONAL,
        "maxUnavailable 100% on the manager DaemonSet: Longhorn upgrades every manager at once on purpose",
        ("DaemonSet/longhorn-system/longhorn-manager",),
    ),
    ("promop", "container-resources-missing"): (
        TRUE,
        "the getting-started example app sets no resources",
        ("Deployment/default/example-app",),
    ),
    ("promop", "probe-missing"): (
        TRUE,
        "the example app, the operator and its admission webhook: behind Services, no readiness probe",
        (
            "Deployment/default/example-app",
            "Deployment/default/prometheus-operator",
            "Deployment/default/prometheus-operator-admission-webhook",
        ),
    ),
    ("sockshop", "container-resources-missing"): (
        TRUE,
        "complete-demo.yaml sets resources on the services, not on the databases and rabbitmq",
        tuple(
            f"Deployment/sock-shop/{d}"
            for d in ("carts-db", "catalogue-db", "orders-db", "rabbitmq", "session-db", "user-db")
        ),
    ),
    ("sockshop", "image-latest-tag"): (
        TRUE,
        "mongo and kbudde/rabbitmq-exporter without a tag",
        ("Deployment/sock-shop/carts-db", "Deployment/sock-shop/orders-db", "Deployment/sock-shop/rabbitmq"),
    ),
    ("sockshop", "plaintext-secret-in-env"): (
        TRUE,
        "MYSQL_ROOT_PASSWORD written in the Deployment",
        ("Deployment/sock-shop/catalogue-db",),
    ),
    ("sockshop", "probe-missing"): (
        TRUE,
        "these services and databases behind Services have no readiness probe",
        tuple(
            f"Deployment/sock-shop/{d}"
            for d in (
                "carts",
                "carts-db",
                "catalogue-db",
                "orders",
                "orders-db",
                "queue-master",
                "rabbitmq",
                "session-db",
                "shipping",
                "user-db",
            )
        ),
    ),
    ("sockshop-monitoring", "container-resources-missing"): (
        TRUE,
        "the monitoring manifests set no resources",
        (
            "DaemonSet/monitoring/node-directory-size-metrics",
            "Deployment/monitoring/alertmanager",
            "Deployment/monitoring/kube-state-metrics",
            "Deployment/monitoring/prometheus-deployment",
            "Job/monitoring/grafana-import-dashboards",
        ),
    ),
    ("sockshop-monitoring", "image-latest-tag"): (
        TRUE,
        "prom/alertmanager:latest and giantswarm/tiny-tools without a tag",
        (
            "DaemonSet/monitoring/node-directory-size-metrics",
            "Deployment/monitoring/alertmanager",
            "Job/monitoring/grafana-import-dashboards",
        ),
    ),
    ("sockshop-monitoring", "plaintext-secret-in-env"): (
        TRUE,
        "GF_SECURITY_ADMIN_PASSWORD written in the Deployment",
        ("Deployment/monitoring/grafana-core",),
    ),
    ("sockshop-monitoring", "probe-missing"): (
        TRUE,
        "alertmanager, prometheus and node-exporter behind Services have no readiness probe",
        (
            "DaemonSet/monitoring/node-exporter",
            "Deployment/monitoring/alertmanager",
            "Deployment/monitoring/prometheus-deployment",
        ),
    ),
}
EXPECTED.update(
    {
        (run, "warning", rule, obj): (cls, why)
        for (run, rule), (cls, why, objects) in PER_OBJECT.items()
        for obj in objects
    }
)
# Issue 15's security rules at the default profile. Hardening gaps, true by the rule's definition
# (read in each manifest): no container of these sets allowPrivilegeEscalation: false (it defaults
# to true), and none of these says runAsNonRoot: true or a runAsUser above 0 on the container or
# the pod (bind9 and longhorn-driver-deployer even set runAsUser: 0).
SECURITY_GAPS: dict[str, list[tuple[str, str]]] = {
    "container-privilege-escalation": [
        ("bookinfo", "Deployment/default/details-v1"),
        ("bookinfo", "Deployment/default/ratings-v1"),
        ("bookinfo", "Deployment/default/reviews-v1"),
        ("bookinfo", "Deployment/default/reviews-v2"),
        ("bookinfo", "Deployment/default/reviews-v3"),
        ("bookinfo", "Deployment/default/productpage-v1"),
        ("emojivoto", "Deployment/emojivoto/emoji"),
        ("emojivoto", "Deployment/emojivoto/vote-bot"),
        ("emojivoto", "Deployment/emojivoto/voting"),
        ("emojivoto", "Deployment/emojivoto/web"),
        ("external-dns/aws-localstack", "Deployment/default/foo-app"),
        ("external-dns/coredns", "StatefulSet/default/etcd"),
        ("external-dns/exoscale", "Deployment/default/external-dns"),
        ("external-dns/exoscale", "Deployment/default/nginx"),
        ("external-dns/kustomize", "Deployment/default/external-dns"),
        ("external-dns/rfc2136", "Deployment/bind9/bind9"),
        ("external-dns/security-context", "Deployment/default/external-dns"),
        ("external-dns/traefik-proxy", "Deployment/default/external-dns"),
        ("longhorn", "DaemonSet/longhorn-system/longhorn-manager"),
        ("longhorn", "Deployment/longhorn-system/longhorn-driver-deployer"),
        ("longhorn", "Deployment/longhorn-system/longhorn-ui"),
        ("podinfo-webapp", "Deployment/webapp/backend"),
        ("podinfo-webapp", "Deployment/webapp/frontend"),
        ("promop", "Deployment/default/example-app"),
        ("sockshop", "Deployment/sock-shop/carts"),
        ("sockshop", "Deployment/sock-shop/carts-db"),
        ("sockshop", "Deployment/sock-shop/catalogue"),
        ("sockshop", "Deployment/sock-shop/catalogue-db"),
        ("sockshop", "Deployment/sock-shop/front-end"),
        ("sockshop", "Deployment/sock-shop/orders"),
        ("sockshop", "Deployment/sock-shop/orders-db"),
        ("sockshop", "Deployment/sock-shop/payment"),
        ("sockshop", "Deployment/sock-shop/queue-master"),
        ("sockshop", "Deployment/sock-shop/rabbitmq"),
        ("sockshop", "Deployment/sock-shop/session-db"),
        ("sockshop", "Deployment/sock-shop/shipping"),
        ("sockshop", "Deployment/sock-shop/user"),
        ("sockshop", "Deployment/sock-shop/user-db"),
        ("sockshop-monitoring", "Deployment/monitoring/alertmanager"),
        ("sockshop-monitoring", "Deployment/monitoring/prometheus-deployment"),
        ("sockshop-monitoring", "DaemonSet/monitoring/node-directory-size-metrics"),
        ("sockshop-monitoring", "Deployment/monitoring/kube-state-metrics"),
        ("sockshop-monitoring", "Deployment/monitoring/grafana-core"),
        ("sockshop-monitoring", "Job/monitoring/grafana-import-dashboards"),
        ("sockshop-monitoring", "DaemonSet/monitoring/node-exporter"),
    ],
    "container-run-as-root": [
        ("bookinfo", "Deployment/default/details-v1"),
        ("bookinfo", "Deployment/default/ratings-v1"),
        ("bookinfo", "Deployment/default/reviews-v1"),
        ("bookinfo", "Deployment/default/reviews-v2"),
        ("bookinfo", "Deployment/default/reviews-v3"),
        ("bookinfo", "Deployment/default/productpage-v1"),
        ("emojivoto", "Deployment/emojivoto/emoji"),
        ("emojivoto", "Deployment/emojivoto/vote-bot"),
        ("emojivoto", "Deployment/emojivoto/voting"),
        ("emojivoto", "Deployment/emojivoto/web"),
        ("external-dns/aws-localstack", "Deployment/default/foo-app"),
        ("external-dns/coredns", "StatefulSet/default/etcd"),
        ("external-dns/exoscale", "Deployment/default/external-dns"),
        ("external-dns/exoscale", "Deployment/default/nginx"),
        ("external-dns/kustomize", "Deployment/default/external-dns"),
        ("external-dns/rfc2136", "Deployment/bind9/bind9"),
        ("external-dns/traefik-proxy", "Deployment/default/external-dns"),
        ("longhorn", "DaemonSet/longhorn-system/longhorn-manager"),
        ("longhorn", "Deployment/longhorn-system/longhorn-driver-deployer"),
        ("longhorn", "Deployment/longhorn-system/longhorn-ui"),
        ("podinfo-webapp", "Deployment/webapp/backend"),
        ("podinfo-webapp", "Deployment/webapp/frontend"),
        ("promop", "Deployment/default/example-app"),
        ("sockshop", "Deployment/sock-shop/carts-db"),
        ("sockshop", "Deployment/sock-shop/catalogue-db"),
        ("sockshop", "Deployment/sock-shop/orders-db"),
        ("sockshop", "Deployment/sock-shop/queue-master"),
        ("sockshop", "Deployment/sock-shop/rabbitmq"),
        ("sockshop", "Deployment/sock-shop/session-db"),
        ("sockshop", "Deployment/sock-shop/user-db"),
        ("sockshop-monitoring", "Deployment/monitoring/alertmanager"),
        ("sockshop-monitoring", "Deployment/monitoring/prometheus-deployment"),
        ("sockshop-monitoring", "DaemonSet/monitoring/node-directory-size-metrics"),
        ("sockshop-monitoring", "Deployment/monitoring/grafana-core"),
        ("sockshop-monitoring", "Job/monitoring/grafana-import-dashboards"),
    ],
}
SECURITY_REASONS = {
    "container-privilege-escalation": "no allowPrivilegeEscalation: false: setuid binaries raise privileges",
    "container-run-as-root": "neither runAsNonRoot: true nor a runAsUser above 0: the image's USER decides",
}
EXPECTED.update(
    {
        (run, "warning", rule, obj): (TRUE, SECURITY_REASONS[rule])
        for rule, found in SECURITY_GAPS.items()
        for run, obj in found
    }
)
EXPECTED.update(
    {
        ("longhorn", "warning", "container-privileged", "DaemonSet/longhorn-system/longhorn-manager"): (
            INTENTIONAL,
            "the storage node agent runs privileged (its Bidirectional mount needs it): a node agent warning",
        ),
        ("longhorn", "warning", "host-path-mount", "DaemonSet/longhorn-system/longhorn-manager"): (
            INTENTIONAL,
            "the storage node agent mounts /boot, /dev, /proc and /etc of the node: a node agent's warning",
        ),
        ("sockshop-monitoring", "warning", "host-path-mount", "DaemonSet/monitoring/node-exporter"): (
            INTENTIONAL,
            "node-exporter reads the node's / and /sys to report on it: a node agent's warning",
        ),
        (
            "sockshop-monitoring",
            "warning",
            "host-path-mount",
            "DaemonSet/monitoring/node-directory-size-metrics",
        ): (INTENTIONAL, "measures the node's /var (which holds /var/lib/kubelet): a node agent's warning"),
        ("longhorn", "warning", "rbac-cluster-admin-binding", "ClusterRoleBinding/longhorn-support-bundle"): (
            TRUE,
            "ServiceAccount longhorn-system/longhorn-support-bundle is bound to cluster-admin",
        ),
        ("longhorn", "warning", "rbac-wildcard", "ClusterRole/longhorn-role"): (
            INTENTIONAL,
            "verbs * on CRDs, core, storage and RBAC resources: the storage operator manages them",
        ),
        ("longhorn", "warning", "rbac-wildcard", "Role/longhorn-system/longhorn"): (
            INTENTIONAL,
            "verbs * on the namespace's workloads, Secrets and RBAC: the operator manages them",
        ),
        ("podinfo-webapp", "warning", "rbac-wildcard", "Role/webapp/reconciler"): (
            INTENTIONAL,
            "verbs * on resources * of apiGroups *: the GitOps reconciler owns the namespace",
        ),
        ("promop", "warning", "rbac-wildcard", "ClusterRole/prometheus-operator"): (
            INTENTIONAL,
            "verbs * on its own CRDs, StatefulSets, ConfigMaps and Secrets: the operator manages them",
        ),
    }
)

TRUE_AS_INFO = {
    ("external-dns/coredns", "service-port-mismatch", "Service/default/etcd"): (
        "etcd-metrics 8080 reaches nothing (PROVENANCE: true); a numeric targetPort no container"
        " declares is info, since containerPort is informational"
    ),
}


def runs() -> Iterator[str]:
    """Each set, and each folder of external-dns (one run per tutorial, as PROVENANCE says)."""
    if not REALWORLD.is_dir():
        return
    for path in sorted(REALWORLD.iterdir()):
        if not path.is_dir() or path.name == "false-positive-repros":
            continue
        if path.name == "external-dns":
            yield from (f"external-dns/{sub.name}" for sub in sorted(path.iterdir()) if sub.is_dir())
        else:
            yield path.name


RUNS = list(runs())


def findings(folder: Path, run: str) -> list[tuple[str, str, str, str]]:
    report = pipeline.analyse([str(folder)], namespace=NAMESPACE.get(run, "default")).report
    return [(run, f.severity.value, f.rule, f.object.display()) for f in report.findings]


@pytest.mark.parametrize("run", RUNS)
def test_only_what_provenance_calls_true_intentional_or_artefact(run: str) -> None:
    found = findings(REALWORLD / run, run)
    loud = {f for f in found if f[1] != Severity.INFO.value}
    expected = {key for key in EXPECTED if key[0] == run}
    assert loud == expected, "unexplained:\n" + "\n".join(map(str, sorted(loud - expected)))
    for run_, rule, obj in (key for key in TRUE_AS_INFO if key[0] == run):
        assert (run_, "info", rule, obj) in found


def test_every_run_is_covered() -> None:
    assert len(RUNS) >= 18
    assert {key[0] for key in [*EXPECTED, *TRUE_AS_INFO]} <= set(RUNS)


INJECTED = """---
apiVersion: v1
kind: Service
metadata: {{name: injected-break, namespace: {ns}}}
spec:
  selector: {{app.kubernetes.io/name: injected-nothing-selects-this}}
  ports: [{{port: 80}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: injected-break, namespace: {ns}}}
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: {{service: {{name: injected-no-such-service, port: {{number: 80}}}}}}
"""


@pytest.mark.parametrize("run", RUNS)
def test_a_break_no_controller_could_fill_is_an_error(run: str, tmp_path: Path) -> None:
    """A Service selecting a label no workload carries, no controller sets and no name derives
    from, and an Ingress routing to a Service nothing could create, in a namespace of the set
    that holds workloads: both are errors."""
    copy = tmp_path / "set"
    shutil.copytree(REALWORLD / run, copy)
    namespace = NAMESPACE.get(run, "default")
    snapshot = pipeline.analyse([str(copy)], namespace=namespace).snapshot
    spaces = sorted({t.owner.namespace for t in snapshot.templates if t.owner.namespace})
    if not spaces:
        pytest.skip(f"{run} holds no workload: no selector can be judged there")
    (copy / "zz-injected.yaml").write_text(INJECTED.format(ns=spaces[0]), encoding="utf-8")
    report = pipeline.analyse([str(copy)], namespace=namespace).report
    hits = {(f.rule, f.severity.value) for f in report.findings if f.object.name == "injected-break"}
    assert hits == {("service-selector-matches-nothing", "error"), ("ingress-backend-missing", "error")}, hits

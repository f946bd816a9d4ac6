"""Build kubesnap's compact schemas of the built-in kinds (analyzer/rules/openapi/data/) from the
JSON schemas the ``kubernetes-validate`` package ships (not shipped with kubesnap; run by hand at
release time, offline: it reads an installed package, it never fetches anything).

    python -m venv /tmp/kv && /tmp/kv/bin/pip install kubernetes-validate==1.37.0
    python tools/schemas/build.py --source /tmp/kv/lib/python3.*/site-packages/kubernetes_validate

The compact form keeps, per Kubernetes minor version, only what validation reads: types,
properties, required fields, items, additionalProperties (map values), the int-or-string and
quantity unions, and enums (Kubernetes' published OpenAPI v2 carries none: a small table below
adds the closed sets the API server's validation enforces). Descriptions and everything not
reachable from a kind Kubernetes serves are dropped; a definition used twice stays one shared
``$ref`` (a string naming it). See analyzer/rules/openapi/data/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[2] / "analyzer" / "rules" / "openapi" / "data"
VERSION_DIR = re.compile(r"^v1\.(\d+)\.0-local$")

PROTOCOLS = ["TCP", "UDP", "SCTP"]
SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"]
ENUMS: dict[tuple[str, str], list[str]] = {
    # (definition, property) -> the values the API server's validation accepts (k8s.io/kubernetes
    # pkg/apis/*/validation: "Unsupported value"), the same in every version kept (1.25-1.37).
    # The empty string is always accepted (the server's defaulting treats it as unset).
    ("io.k8s.api.core.v1.Container", "imagePullPolicy"): ["Always", "Never", "IfNotPresent"],
    ("io.k8s.api.core.v1.EphemeralContainer", "imagePullPolicy"): ["Always", "Never", "IfNotPresent"],
    ("io.k8s.api.core.v1.Container", "terminationMessagePolicy"): ["File", "FallbackToLogsOnError"],
    ("io.k8s.api.core.v1.PodSpec", "restartPolicy"): ["Always", "OnFailure", "Never"],
    ("io.k8s.api.core.v1.PodSpec", "dnsPolicy"): [
        "ClusterFirstWithHostNet",
        "ClusterFirst",
        "Default",
        "None",
    ],
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): PROTOCOLS,
    ("io.k8s.api.core.v1.ServicePort", "protocol"): PROTOCOLS,
    ("io.k8s.api.core.v1.ServiceSpec", "type"): ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity"): ["ClientIP", "None"],
    ("io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy"): ["Cluster", "Local"],
    ("io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy"): ["Cluster", "Local"],
    ("io.k8s.api.core.v1.ServiceSpec", "ipFamilyPolicy"): [
        "SingleStack",
        "PreferDualStack",
        "RequireDualStack",
    ],
    ("io.k8s.api.core.v1.HTTPGetAction", "scheme"): ["HTTP", "HTTPS"],
    ("io.k8s.api.core.v1.Toleration", "operator"): ["Exists", "Equal"],
    ("io.k8s.api.core.v1.Toleration", "effect"): ["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ("io.k8s.api.core.v1.Taint", "effect"): ["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ("io.k8s.api.core.v1.TopologySpreadConstraint", "whenUnsatisfiable"): ["DoNotSchedule", "ScheduleAnyway"],
    ("io.k8s.api.core.v1.NodeSelectorRequirement", "operator"): [*SELECTOR_OPERATORS, "Gt", "Lt"],
    ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "operator"): SELECTOR_OPERATORS,
    ("io.k8s.api.core.v1.SeccompProfile", "type"): ["RuntimeDefault", "Unconfined", "Localhost"],
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): ["Recreate", "RollingUpdate"],
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): ["OrderedReady", "Parallel"],
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): ["RollingUpdate", "OnDelete"],
    ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"): ["RollingUpdate", "OnDelete"],
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"): ["Allow", "Forbid", "Replace"],
    ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "volumeMode"): ["Filesystem", "Block"],
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): ["Exact", "Prefix", "ImplementationSpecific"],
    ("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol"): PROTOCOLS,
}
"""Closed sets of values, checked where the definition has the property in a version."""

TYPES = ("string", "integer", "number", "boolean", "object", "array")


def compact(schema: dict[str, Any]) -> Any:
    """One schema node in compact form: a definition's name (a shared ``$ref``) or a dict of
    ``t`` type, ``p`` properties, ``r`` required, ``i`` items, ``a`` map values, ``o`` the types
    of a union (int-or-string, quantity), ``e`` an enum; ``{}`` accepts anything."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    node: dict[str, Any] = {}
    kinds = schema.get("type")
    named = [kinds] if isinstance(kinds, str) else [t for t in kinds or () if t != "null"]
    if len(named) == 1 and named[0] in TYPES:
        node["t"] = named[0]
    elif named:
        raise ValueError(f"unexpected type {kinds!r}")
    if "oneOf" in schema:
        node["o"] = sorted({t for alt in schema["oneOf"] for t in alt.get("type", ()) if t != "null"})
    if "properties" in schema:
        node["p"] = {name: compact(sub) for name, sub in sorted(schema["properties"].items())}
    if schema.get("required"):
        node["r"] = sorted(schema["required"])
    if "items" in schema:
        node["i"] = compact(schema["items"])
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        node["a"] = compact(extra)
    if "enum" in schema and "t" in node:
        node["e"] = schema["enum"]
    return node


def refs(node: Any) -> set[str]:
    if isinstance(node, str):
        return {node}
    found: set[str] = set()
    for key in ("i", "a"):
        if key in node:
            found |= refs(node[key])
    for sub in node.get("p", {}).values():
        found |= refs(sub)
    return found


def build(version_dir: Path) -> dict[str, Any]:
    defs = json.loads((version_dir / "_definitions.json").read_text(encoding="utf-8"))["$defs"]
    kinds: dict[str, str] = {}
    for name, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            if len(schema.get("x-kubernetes-group-version-kind")) == 1 and "properties" in schema:
                kinds[f"{api} {gvk['kind']}"] = name
    compacted: dict[str, Any] = {}
    todo = sorted(set(kinds.values()))
    while todo:
        name = todo.pop()
        if name in compacted:
            continue
        node = compacted[name] = compact(defs[name])
        for (owner, prop), values in ENUMS.items():
            if owner == name and prop in node.get("p", {}) and isinstance(node["p"][prop], dict):
                node["p"][prop]["e"] = values
        if name in kinds.values():
            for field in ("apiVersion", "kind"):  # named by the kind index: not checked again
                node.get("p", {}).pop(field, None)
            node["k"] = 1
        todo += sorted(refs(node) - compacted.keys())
    return {"kinds": dict(sorted(kinds.items())), "defs": dict(sorted(compacted.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="an installed kubernetes_validate package")
    args = parser.parse_args()
    root = args.source / "kubernetes-json-schema"
    package_version = (args.source / "version.py").read_text(encoding="utf-8")
    for old in OUT.glob("k8s-*.json.gz"):
        old.unlink()
    total = 0
    for version_dir in sorted(root.iterdir()):
        found = VERSION_DIR.match(version_dir.name)
        if not found:
            continue
        data = build(version_dir)
        release = package_version.split("=")[-1].strip().strip("'\"")
        data["source"] = f"kubernetes-validate {release}, {version_dir.name}"
        text = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
        out = OUT / f"k8s-1.{found[1]}.json.gz"
        out.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
        total += out.stat().st_size
        print(
            f"{out.name}: {len(data['kinds'])} kinds, {len(data['defs'])} definitions, "
            f"{len(text) >> 10} KiB -> {out.stat().st_size >> 10} KiB"
        )
    print(f"total {total >> 10} KiB")


if __name__ == "__main__":
    main()

"""kubefactory: typed builders of Kubernetes objects as ``kubectl get -o yaml|json`` prints them,
shared by the two cluster generators of the repository (``bench/synth.py``, the benchmark's
synthetic clusters, and ``fixtures/blueocean/generate.py``, the seed audit's cluster).

Not part of the shipped ``analyzer`` package: a development tool, imported by those scripts
(which put the repository root on ``sys.path``) and by the tests.

Every object is a plain ``dict`` (:data:`Obj`), ready for ``json.dumps`` or ``yaml.dump``. The
builders hold the shapes (what kubectl prints, in which order); the generators hold the values:
names, images, uids, timestamps, states. Two rules keep the generators' output stable:

- key order: each builder inserts keys in one fixed order (mostly kubectl's alphabetical one), so
  that dumps without ``sort_keys`` do not change either;
- sharing: a builder puts the values it is given into the object as they are (no copy) and
  makes every value it creates afresh (labels excepted: metadata and templates copy them, as
  the API server's output never shares). A value shared between objects shows as a YAML anchor
  and alias when a whole List is dumped at once: which values are shared is the caller's choice.

Identity (uids, name suffixes, timestamps) is deterministic: :mod:`kubefactory.ids` derives it
from a seeded random stream or from a hash of the object's identity.
"""

from __future__ import annotations

from kubefactory.config import (
    bound_claim,
    configmap,
    namespace,
    secret,
    service_account,
)
from kubefactory.ids import (
    DIGITS,
    HEX,
    NAME_ALPHABET,
    Clock,
    b64,
    hashed,
    hashed_int,
    hashed_uid,
    random_hex,
    random_suffix,
    random_uid,
)
from kubefactory.meta import (
    Obj,
    controller_ref,
    helm_annotations,
    helm_labels,
    object_list,
    object_meta,
)
from kubefactory.network import (
    apiserver_endpoints,
    endpoint_address,
    endpoint_port,
    endpoint_slice,
    endpoints,
    ingress,
    service,
    service_port,
    slice_endpoint,
)
from kubefactory.nodes import (
    HEALTHY_NODE,
    node,
    node_annotations,
    node_conditions,
    node_info,
    node_labels,
    node_resources,
    node_spec,
    taint,
)
from kubefactory.pods import (
    claim_volume,
    configmap_volume,
    container,
    container_port,
    container_status,
    daemon_tolerations,
    default_tolerations,
    empty_dir_volume,
    env_field,
    env_from_configmap,
    env_from_secret,
    env_value,
    http_get,
    image_id,
    node_affinity,
    pending_pod_status,
    pod,
    pod_conditions,
    pod_spec,
    pod_template,
    pod_template_spec,
    probe,
    resources,
    running,
    running_pod_status,
    service_account_token_volume,
    tcp_socket,
    terminated,
    tolerate_everything,
    toleration,
    volume_mount,
    waiting,
)
from kubefactory.scaling import autoscaler_conditions, cpu_autoscaler, disruption_budget
from kubefactory.workloads import (
    claim_template,
    daemonset,
    deployment,
    deployment_conditions,
    deployment_status,
    replicaset,
    replicaset_annotations,
    statefulset,
)

__all__ = [
    "DIGITS",
    "HEALTHY_NODE",
    "HEX",
    "NAME_ALPHABET",
    "Clock",
    "Obj",
    "apiserver_endpoints",
    "autoscaler_conditions",
    "b64",
    "bound_claim",
    "claim_template",
    "claim_volume",
    "configmap",
    "configmap_volume",
    "container",
    "container_port",
    "container_status",
    "controller_ref",
    "cpu_autoscaler",
    "daemon_tolerations",
    "daemonset",
    "default_tolerations",
    "deployment",
    "deployment_conditions",
    "deployment_status",
    "disruption_budget",
    "empty_dir_volume",
    "endpoint_address",
    "endpoint_port",
    "endpoint_slice",
    "endpoints",
    "env_field",
    "env_from_configmap",
    "env_from_secret",
    "env_value",
    "hashed",
    "hashed_int",
    "hashed_uid",
    "helm_annotations",
    "helm_labels",
    "http_get",
    "image_id",
    "ingress",
    "namespace",
    "node",
    "node_affinity",
    "node_annotations",
    "node_conditions",
    "node_info",
    "node_labels",
    "node_resources",
    "node_spec",
    "object_list",
    "object_meta",
    "pending_pod_status",
    "pod",
    "pod_conditions",
    "pod_spec",
    "pod_template",
    "pod_template_spec",
    "probe",
    "random_hex",
    "random_suffix",
    "random_uid",
    "replicaset",
    "replicaset_annotations",
    "resources",
    "running",
    "running_pod_status",
    "secret",
    "service",
    "service_account",
    "service_account_token_volume",
    "service_port",
    "slice_endpoint",
    "statefulset",
    "taint",
    "tcp_socket",
    "terminated",
    "tolerate_everything",
    "toleration",
    "volume_mount",
    "waiting",
]

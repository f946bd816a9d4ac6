"""``kubectl cluster-info dump --output-directory=DIR`` (JSON, its default output): what it writes
and how.

kubectl lists each kind with client-go's typed clients and prints the typed List with
``json.MarshalIndent(list, "", "    ")`` and a final newline:

- the List is typed (``PodList``, ``EventList``, ``DaemonSetList``...) and its items have no
  ``kind`` nor ``apiVersion`` (typed clients leave the items' TypeMeta empty);
- keys come in the order of the Go structs' fields (``kind``, ``apiVersion``, ``metadata``,
  ``items``; an object's ``metadata``, ``spec``, ``status``; ``ObjectMeta``'s ``name``,
  ``generateName``, ``namespace``, ``uid``...). :func:`go_order` follows it for the List, the
  objects, their metadata and Events; deeper keys stay in alphabetical order;
- Go escapes ``<``, ``>`` and ``&`` in strings (``\\u003c``, ``\\u003e``, ``\\u0026``).

Files: ``nodes.json``; then, for each namespace, ``<ns>/events.json``,
``replication-controllers.json``, ``services.json``, ``daemonsets.json``, ``deployments.json``,
``replicasets.json``, ``pods.json`` (:data:`NAMESPACED`), and ``<ns>/<pod>/logs.txt`` with, for each
init container then container, the lines of :func:`container_log`.

Example: ``typed_list("Pod", "v1", pods, "51234")`` then ``go_json(...)``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from kubefactory.meta import Obj

NAMESPACED: tuple[tuple[str, str, str], ...] = (
    ("events", "Event", "v1"),
    ("replication-controllers", "ReplicationController", "v1"),
    ("services", "Service", "v1"),
    ("daemonsets", "DaemonSet", "apps/v1"),
    ("deployments", "Deployment", "apps/v1"),
    ("replicasets", "ReplicaSet", "apps/v1"),
    ("pods", "Pod", "v1"),
)
"""(file name without ``.json``, kind, apiVersion) in the order kubectl writes them per namespace."""

LIST_KEYS = ("kind", "apiVersion", "metadata", "items")
OBJECT_KEYS = ("kind", "apiVersion", "metadata", "spec", "status")
EVENT_KEYS = (
    "kind",
    "apiVersion",
    "metadata",
    "involvedObject",
    "reason",
    "message",
    "source",
    "firstTimestamp",
    "lastTimestamp",
    "count",
    "type",
    "eventTime",
    "series",
    "action",
    "related",
    "reportingComponent",
    "reportingInstance",
)
META_KEYS = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)


def _ordered(value: Obj, order: Sequence[str]) -> Obj:
    """``value``'s keys in ``order`` first, any other after them alphabetically."""
    rank = {key: i for i, key in enumerate(order)}
    return {k: value[k] for k in sorted(value, key=lambda k: (rank.get(k, len(rank)), k))}


def go_order(obj: Obj, kind: str) -> Obj:
    """An item of a typed List of ``kind``: without ``kind`` and ``apiVersion``, its keys (and its
    metadata's) in the Go structs' order."""
    item = {k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}
    if isinstance(item.get("metadata"), dict):
        item["metadata"] = _ordered(item["metadata"], META_KEYS)
    return _ordered(item, EVENT_KEYS if kind == "Event" else OBJECT_KEYS)


def typed_list(kind: str, api_version: str, items: Sequence[Obj], resource_version: str) -> Obj:
    """The ``<kind>List`` a typed client returns, its items as :func:`go_order` gives them."""
    return {
        "kind": f"{kind}List",
        "apiVersion": api_version,
        "metadata": {"resourceVersion": resource_version},
        "items": [go_order(o, kind) for o in items],
    }


def go_json(value: Obj) -> str:
    """``json.MarshalIndent(value, "", "    ")`` plus the newline kubectl's printer adds."""
    text = json.dumps(value, indent=4, ensure_ascii=False, sort_keys=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def container_log(namespace: str, pod: str, container: str, body: str) -> str:
    """What kubectl writes for one container: its log (``body``, possibly empty, or kubectl's
    ``Request log error: ...`` line) between START and END lines."""
    where = f"container {container} of pod {namespace}/{pod}"
    return f"==== START logs for {where} ====\n{body}==== END logs for {where} ====\n"

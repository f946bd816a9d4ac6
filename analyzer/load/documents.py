"""Parsed documents -> Kubernetes objects with provenance, or skipped entries with a reason.

* ``kind: List`` and every ``<Kind>List`` with an ``items`` key are expanded, each item located
  at its own first key. An item without ``kind`` takes it from a typed list (``PodList`` ->
  ``Pod``; a plain ``List`` gives none), one without ``apiVersion`` takes the list's;
  ``items: null`` is an empty list. A top-level array is read like a List's items. When every
  item of a list is skipped for the same reason, one entry says so for the whole list.
* An object needs a string ``apiVersion``, a string ``kind`` and a non-empty string
  ``metadata.name`` (``generateName`` alone names nothing yet).
* An object written bare (``metadata``/``spec``/``status``, no ``kind`` nor ``apiVersion``),
  alone, in an array or in a list without a type, takes them from its file's path when an input
  layout names them (support bundles, must-gather, the OpenShift Insights archive:
  :mod:`analyzer.load.layouts`); where the layout says why it cannot, the reason says so.
* Documents that are configuration files, not resources of any API server, are skipped with
  what they are (:func:`not_a_resource`): kustomize's (``apiVersion: builtin`` transformer
  configurations, ``Kustomization``, ``Component``), kubectl's (``v1`` ``Config``: a
  kubeconfig), kind's (``kind.x-k8s.io``), kubeadm's (``kubeadm.k8s.io``) and those of the
  Kubernetes components (``*.config.k8s.io``). A ``Config`` of another group is a resource. A
  document without a kind in a file named like a kustomization is one (read when the file is
  named on its own; in a folder or archive the file is skipped whole: :mod:`analyzer.load.sources`).
* What no rule reads and what could leak is dropped on the way in: ``metadata.managedFields``,
  the ``kubectl.kubernetes.io/last-applied-configuration`` annotation (an old copy of the whole
  object, Secret values included) and every value of a Secret's ``data`` and ``stringData``
  (the keys stay).
* A Helm release record (a ``helm.sh/release.v1`` Secret, an ``owner: helm`` ConfigMap) is decoded
  from the item as read, before that redaction (:mod:`analyzer.load.helm_records`): the object
  carries what is kept of the release; a record that does not decode is skipped with its reason,
  the object itself still loads. A ConfigMap record's ``release`` value is redacted too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from analyzer.load.helm_records import decode_record, record_kind
from analyzer.load.layouts import Kustomization, kind_from_path, role_of, untyped_reason
from analyzer.load.parsers import ParsedDoc
from analyzer.load.types import Location, RawObject, Skipped

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
REDACTED = "<redacted>"
NOT_AN_OBJECT = "not a Kubernetes object: "
"""How the reason of every document that is no object begins (a workflow, a values file)."""
NOT_A_RESOURCE = "not a Kubernetes resource: "
"""How the reason of a document of a tool's own API begins (a Kustomization)."""


def objects_from(
    doc: ParsedDoc, file: str, helm_source: str | None, records: bool = True
) -> Iterator[RawObject | Skipped]:
    """The objects of one non-empty document, in order, and what was skipped. ``records``:
    decode Helm release records (not inside a record's own manifest)."""
    value = doc.value
    if isinstance(value, list):
        yield from _items(value, doc, file, helm_source, None, None, records)
        return
    if not isinstance(value, dict):
        yield Skipped(file, doc.line, f"not a Kubernetes object: the document is {_a(value)}")
        return
    kind = value.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and "items" in value:
        items = value["items"]
        if items is None:
            return
        if not isinstance(items, list):
            yield Skipped(file, doc.line, f"{kind}: items is {_a(items)}, not a list")
            return
        yield from _items(
            items, doc, file, helm_source, kind.removesuffix("List"), value.get("apiVersion"), records
        )
        return
    if "kind" not in value and isinstance(value.get("items"), list):
        # A list written without its type (support bundles write client-go lists so).
        items = value["items"]
        if any(isinstance(item, dict) and "kind" in item for item in items) or kind_from_path(file):
            yield from _items(items, doc, file, helm_source, None, value.get("apiVersion"), records)
        else:
            why = untyped_reason(file)
            what = f"a list of {len(items)} untyped items" + (f"; {why}" if why else "")
            yield Skipped(file, doc.line, f"not a Kubernetes object: no kind ({what})")
        return
    if "kind" not in value and isinstance(role_of(file.rpartition("/")[2].rpartition(":")[2]), Kustomization):
        yield Skipped(file, doc.line, f"{NOT_A_RESOURCE}kustomize Kustomization")
        return
    yield from _flat(_object(value, file, doc.line, helm_source, None, None, records))


def _manifest_objects(doc: ParsedDoc, file: str, helm_source: str | None) -> Iterator[RawObject | Skipped]:
    """The objects of a document of a release's manifest (no release record decoded there)."""
    return objects_from(doc, file, helm_source, records=False)


def _flat(result: RawObject | Skipped | tuple[Skipped, RawObject]) -> Iterator[RawObject | Skipped]:
    """An object, a skipped document, or why a release record did not decode and its object."""
    if isinstance(result, tuple):
        yield from result
    else:
        yield result


def _items(
    items: list[Any],
    doc: ParsedDoc,
    file: str,
    helm_source: str | None,
    default_kind: str | None,
    default_api_version: Any,
    records: bool = True,
) -> Iterator[RawObject | Skipped]:
    lines = doc.item_lines or []
    results = [
        _object(
            item,
            file,
            lines[i] if i < len(lines) else doc.line,
            helm_source,
            default_kind,
            default_api_version,
            records,
        )
        for i, item in enumerate(items)
    ]
    reasons = Counter(r.reason for r in results if isinstance(r, Skipped))
    if len(results) > 1 and reasons.total() == len(results):
        # An array of something else (API groups, RBAC rules...): one entry, not one per element.
        yield Skipped(file, doc.line, f"{len(results)} list items skipped ({_summary(reasons)})")
        return
    for result in results:
        yield from _flat(result)


def _summary(reasons: Counter[str]) -> str:
    """'no kind', or 'not a Kubernetes object: no metadata (34), no apiVersion (1)'."""
    if len(reasons) == 1:
        return next(iter(reasons))
    prefix = NOT_AN_OBJECT
    if all(reason.startswith(prefix) for reason in reasons):
        return prefix + ", ".join(f"{reason.removeprefix(prefix)} ({n})" for reason, n in reasons.items())
    return "; ".join(f"{reason} ({n})" for reason, n in reasons.items())


def _object(
    item: Any,
    file: str,
    line: int,
    helm_source: str | None,
    default_kind: str | None,
    default_api_version: Any,
    records: bool = True,
) -> RawObject | Skipped | tuple[Skipped, RawObject]:
    if not isinstance(item, dict):
        return Skipped(file, line, f"not a Kubernetes object: a list item is {_a(item)}")
    if (
        "kind" not in item
        and not default_kind
        and "apiVersion" not in item
        and isinstance(item.get("metadata"), dict)
    ):
        named = kind_from_path(file)  # a bare object: the path of its file may name its kind
        if named is not None:
            item = {"apiVersion": named[0], "kind": named[1], **item}
    if default_kind and "kind" not in item:
        item = {"kind": default_kind, **item}
    if default_api_version is not None and "apiVersion" not in item:
        item = {"apiVersion": default_api_version, **item}
    what = not_a_resource(item)
    if what:
        return Skipped(file, line, f"{NOT_A_RESOURCE}{what}")
    problem = _problem(item)
    if problem == "no kind" and (why := untyped_reason(file)):
        problem = f"no kind ({why})"
    if problem:
        return Skipped(file, line, f"not a Kubernetes object: {problem}")
    location = Location(file, line)
    release = decode_record(item, location, _manifest_objects) if records else None
    if isinstance(release, Skipped):
        return release, RawObject(_clean(item), location, helm_source)
    return RawObject(_clean(item), location, helm_source, release)


KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
CONFIGURATION_GROUPS = {
    "kind.x-k8s.io": "kind cluster configuration",
    "kubeadm.k8s.io": "kubeadm configuration",
}
COMPONENT_CONFIG_SUFFIX = ".config.k8s.io"


def not_a_resource(item: dict[str, Any]) -> str | None:
    """What a document is when it is a tool's configuration and not a resource, or None."""
    api_version, kind = item.get("apiVersion"), item.get("kind")
    if not isinstance(kind, str) or not isinstance(api_version, str | None):
        return None
    group = api_version.rpartition("/")[0] if api_version else None
    if api_version == "builtin":
        return f"kustomize transformer configuration (apiVersion builtin, kind {kind})"
    if kind in ("Kustomization", "Component") and group in (None, KUSTOMIZE_GROUP):
        return f"kustomize {kind}"  # Flux's kustomize.toolkit.fluxcd.io Kustomization is a resource
    if kind == "Config" and api_version == "v1":
        return "kubectl configuration (kubeconfig: v1 Config)"
    if group in CONFIGURATION_GROUPS:
        return f"{CONFIGURATION_GROUPS[group]} ({group})"
    if group and group.endswith(COMPONENT_CONFIG_SUFFIX):
        return f"configuration file of a Kubernetes component ({group}, kind {kind})"
    return None


def _problem(item: dict[str, Any]) -> str | None:
    """Why ``item`` is not a Kubernetes object, or None."""
    for key in ("kind", "apiVersion"):
        if key not in item:
            return f"no {key}"
        if not isinstance(item[key], str) or not item[key]:
            return f"{key} is not a non-empty string"
    meta = item.get("metadata")
    if meta is None:
        return "no metadata"
    if not isinstance(meta, dict):
        return f"metadata is {_a(meta)}, not a mapping"
    name = meta.get("name")
    if name is None or name == "":
        return "metadata.name missing" + (" (only generateName)" if meta.get("generateName") else "")
    if not isinstance(name, str):
        return f"metadata.name is {_a(name)}, not a string"
    return None


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    """A copy without managedFields, last-applied and Secret values; shared parts are not modified."""
    meta = dict(item["metadata"])
    meta.pop("managedFields", None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict) and LAST_APPLIED in annotations:
        meta["annotations"] = {k: v for k, v in annotations.items() if k != LAST_APPLIED}
    out = {**item, "metadata": meta}
    if record_kind(item) == "ConfigMap":  # the release inside, values and all: kept only decoded
        out["data"] = {**item["data"], "release": REDACTED}
    if item["kind"] == "Secret":  # whatever the apiVersion: when in doubt, redact
        for key in ("data", "stringData"):
            if isinstance(out.get(key), dict):
                out[key] = dict.fromkeys(out[key], REDACTED)
            elif out.get(key) is not None:
                out[key] = REDACTED
    return out


def _a(value: Any) -> str:
    """'a string', 'a list'... in YAML's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"

"""Parsed documents -> Kubernetes objects with provenance, or skipped entries with a reason.

* ``kind: List`` and every ``<Kind>List`` are expanded; an item without ``kind`` takes it from
  the typed list (``PodList`` -> ``Pod``), one without ``apiVersion`` takes the list's;
  ``items: null`` is an empty list.
* An object needs a string ``apiVersion``, a string ``kind`` and a non-empty
  ``metadata.name`` (``generateName`` alone names nothing yet).
* Bare objects of the OpenShift Insights archive layout (``config/pod/<ns>/<name>.json``,
  ``config/node/<name>.json``) carry no kind: it is taken from the path.
* What no rule reads and what could leak is dropped on the way in: ``metadata.managedFields``,
  the ``kubectl.kubernetes.io/last-applied-configuration`` annotation, and every value of a
  Secret's ``data`` and ``stringData`` (the keys stay).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from analyzer.load.helm import SourceComments
from analyzer.load.types import Location, RawObject, Skipped
from analyzer.load.yaml_backend import ParsedDoc

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
REDACTED = "<redacted>"
INSIGHTS_PATH = re.compile(r"(?:^|/)config/(?P<kind>pod|node)/(?:[^/]+/)?[^/]+\.json$")


def objects_from(doc: ParsedDoc, file: str, sources: SourceComments | None) -> Iterator[RawObject | Skipped]:
    value = doc.value
    helm_source = sources.for_document(doc.start_line) if sources else None
    if isinstance(value, list):
        yield from _items(value, doc, file, helm_source, None, None)
        return
    if not isinstance(value, dict):
        yield Skipped(
            file, doc.line, f"not a Kubernetes object: the document is a {_yaml_type(type(value).__name__)}"
        )
        return
    kind = value.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and "items" in value:
        items = value.get("items") or []
        if not isinstance(items, list):
            yield Skipped(file, doc.line, f"{kind}: items is not a list")
            return
        yield from _items(
            items, doc, file, helm_source, kind[: -len("List")] or None, value.get("apiVersion")
        )
        return
    if "items" in value and "kind" not in value and isinstance(value.get("items"), list):
        # An untyped list wrapper, as support bundles write them.
        yield from _items(value["items"], doc, file, helm_source, None, value.get("apiVersion"))
        return
    if "kind" not in value and "apiVersion" not in value:
        inferred = INSIGHTS_PATH.search(file)
        if inferred and isinstance(value.get("metadata"), dict):
            value = {"apiVersion": "v1", "kind": inferred["kind"].capitalize(), **value}
    yield _object(value, file, doc.line, helm_source, None, None)


def _items(
    items: list[Any],
    doc: ParsedDoc,
    file: str,
    helm_source: str | None,
    default_kind: str | None,
    default_api_version: Any,
) -> Iterator[RawObject | Skipped]:
    """The objects of a list; when every item fails for one reason, one skipped entry says so."""
    lines = doc.item_lines or []
    results = [
        _object(
            item,
            file,
            lines[i] if i < len(lines) else doc.line,
            helm_source,
            default_kind,
            default_api_version,
        )
        for i, item in enumerate(items)
    ]
    reasons = {r.reason for r in results if isinstance(r, Skipped)}
    if len(results) > 1 and len(reasons) == 1 and all(isinstance(r, Skipped) for r in results):
        yield Skipped(file, doc.line, f"{len(results)} list items skipped ({reasons.pop()})")
        return
    yield from results


def _object(
    item: Any,
    file: str,
    line: int | None,
    helm_source: str | None,
    default_kind: str | None,
    default_api_version: Any,
) -> RawObject | Skipped:
    if not isinstance(item, dict):
        return Skipped(
            file, line, f"not a Kubernetes object: a list item is a {_yaml_type(type(item).__name__)}"
        )
    if default_kind and "kind" not in item:
        item = {"kind": default_kind, **item}
    if default_api_version and "apiVersion" not in item:
        item = {"apiVersion": default_api_version, **item}
    problem = _problem(item)
    if problem:
        return Skipped(file, line, f"not a Kubernetes object: {problem}")
    return RawObject(_clean(item), Location(file, line), helm_source)


def _problem(item: dict[str, Any]) -> str | None:
    for key in ("apiVersion", "kind"):
        if key not in item:
            return f"no {key}"
        if not isinstance(item[key], str) or not item[key]:
            return f"{key} is not a string"
    meta = item.get("metadata")
    if not isinstance(meta, dict):
        return "no metadata" if meta is None else "metadata is not a mapping"
    name = meta.get("name")
    if name is None or name == "":
        return "metadata.name missing" + (" (only generateName)" if meta.get("generateName") else "")
    if not isinstance(name, (str, int)) or isinstance(name, bool):
        return "metadata.name is not a string"
    return None


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    """A copy without managedFields, last-applied and Secret values; the input is not modified."""
    meta = dict(item["metadata"])
    meta["name"] = str(meta["name"])
    meta.pop("managedFields", None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict) and LAST_APPLIED in annotations:
        meta["annotations"] = {k: v for k, v in annotations.items() if k != LAST_APPLIED}
    out = {**item, "metadata": meta}
    if item.get("kind") == "Secret":
        for key in ("data", "stringData"):
            if isinstance(out.get(key), dict):
                out[key] = {str(k): REDACTED for k in out[key]}
            elif key in out:
                out[key] = REDACTED
    return out


def _yaml_type(python_type: str) -> str:
    return {"list": "list", "str": "string", "int": "number", "float": "number", "bool": "boolean"}.get(
        python_type, python_type
    )

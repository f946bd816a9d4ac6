"""Helm release records inside dumps -> :class:`HelmRecord`, decoded before any redaction.

Helm 3 stores each revision of a release as one object named ``sh.helm.release.v1.<release>.v<N>``:

* the secret driver (the default): a Secret of ``type: helm.sh/release.v1`` whose
  ``data.release`` is base64 (the Secret's own encoding) of base64 of gzip of the release JSON;
* the configmap driver: a ConfigMap labelled ``owner: helm`` whose ``data.release`` is base64 of
  gzip of the release JSON.

Some Helm versions write the JSON without gzip: bytes that do not start with the gzip magic are
read as plain JSON. Only the standard library decodes, with limits: the decompressed JSON may
not exceed :data:`MAX_JSON` (a zip bomb is refused). Of the JSON only the release's name,
namespace, revision, status, last deployment time, chart name/version/appVersion and the
manifest's objects are kept: never ``config`` (the user's values) nor ``chart.values``,
``chart.templates`` or ``chart.files``, which may hold secrets.

    >>> record_kind({"kind": "Secret", "type": "helm.sh/release.v1", "metadata": {"name": "x"}})
    'Secret'
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from analyzer.load.helm import SourceComments
from analyzer.load.parsers import ParsedDoc, ParseFailure, parse
from analyzer.load.types import HelmRecord, Location, RawObject, Skipped

SECRET_TYPE = "helm.sh/release.v1"
MAX_JSON = 64 * 1024 * 1024
"""Largest decompressed release JSON read (bytes); a larger one is refused as a zip bomb."""
GZIP_MAGIC = b"\x1f\x8b\x08"

ObjectsOf = Callable[[ParsedDoc, str, str | None], Iterable[RawObject | Skipped]]
"""How a manifest document becomes objects (:func:`analyzer.load.documents.objects_from`)."""


class RecordError(Exception):
    """Why a release record does not decode (the reason shown to the user)."""


def record_kind(item: dict[str, Any]) -> str | None:
    """'Secret' or 'ConfigMap' when ``item`` is a Helm release record, else None."""
    kind = item.get("kind")
    if kind == "Secret" and item.get("type") == SECRET_TYPE:
        return "Secret"
    if kind == "ConfigMap":
        meta = item.get("metadata")
        labels = meta.get("labels") if isinstance(meta, dict) else None
        data = item.get("data")
        if (
            isinstance(labels, dict)
            and labels.get("owner") == "helm"
            and isinstance(data, dict)
            and "release" in data
        ):
            return "ConfigMap"
    return None


def decode_record(
    item: dict[str, Any], location: Location, objects_of: ObjectsOf
) -> HelmRecord | Skipped | None:
    """The release stored in ``item`` (None when it is no release record), or why it does not
    decode: ``Helm release record sh.helm.release.v1.web.v3: not gzip data``."""
    kind = record_kind(item)
    if kind is None:
        return None
    meta = item.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    try:
        return _record(_release_json(item, kind), location, objects_of)
    except RecordError as exc:
        return Skipped(location.file, location.line, f"Helm release record {name}: {exc}")


def _release_json(item: dict[str, Any], kind: str) -> dict[str, Any]:
    data = item.get("data")
    value = data.get("release") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise RecordError("no data.release string")
    raw = _b64(value, "data.release")
    if kind == "Secret":  # the Secret's own base64, then Helm's
        raw = _b64(raw, "the decoded data.release")
    return _json(_gunzip(raw) if raw.startswith(GZIP_MAGIC) else _plain(raw))


def _b64(value: str | bytes, what: str) -> bytes:
    """Strict base64, line breaks allowed (a record written by hand may wrap it)."""
    try:
        return base64.b64decode(
            b"".join(value.split()) if isinstance(value, bytes) else "".join(value.split()), validate=True
        )
    except (binascii.Error, ValueError):
        raise RecordError(f"{what} is not base64") from None


def _plain(raw: bytes) -> bytes:
    """Bytes without the gzip magic: the release JSON itself (some Helm versions), or garbage."""
    if not raw.lstrip()[:1] == b"{":
        raise RecordError("not gzip data")
    if len(raw) > MAX_JSON:
        raise RecordError(f"release JSON over {MAX_JSON // (1024 * 1024)} MiB refused")
    return raw


def _gunzip(raw: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, MAX_JSON + 1)
    except zlib.error:
        raise RecordError("bad gzip data") from None
    if len(out) > MAX_JSON:
        raise RecordError(f"decompressed release over {MAX_JSON // (1024 * 1024)} MiB refused (a zip bomb?)")
    if not inflater.eof:
        raise RecordError("gzip data cut short")
    return out


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise RecordError("not JSON") from None
    if not isinstance(value, dict):
        raise RecordError("release JSON is not an object")
    return value


def _record(release: dict[str, Any], location: Location, objects_of: ObjectsOf) -> HelmRecord:
    info = release.get("info")
    chart = release.get("chart")
    chart_meta = chart.get("metadata") if isinstance(chart, dict) else None
    name, revision = release.get("name"), release.get("version")
    status = info.get("status") if isinstance(info, dict) else None
    chart_name = chart_meta.get("name") if isinstance(chart_meta, dict) else None
    for field, value, wanted in (
        ("name", name, str),
        ("version", revision, int),
        ("info.status", status, str),
        ("chart.metadata.name", chart_name, str),
    ):
        if not isinstance(value, wanted) or isinstance(value, bool) or value == "":
            raise RecordError(f"no {field}")
    assert isinstance(chart_meta, dict) and isinstance(info, dict)
    namespace = release.get("namespace")
    manifest = release.get("manifest")
    deployed = info.get("last_deployed")
    return HelmRecord(
        name=str(name),
        namespace=namespace if isinstance(namespace, str) and namespace else None,
        revision=int(revision),  # type: ignore[arg-type]
        status=str(status),
        chart=str(chart_name),
        chart_version=_text(chart_meta.get("version")),
        app_version=_text(chart_meta.get("appVersion")),
        last_deployed=deployed if isinstance(deployed, str) and deployed else None,
        objects=_manifest(manifest, location, objects_of) if isinstance(manifest, str) else (),
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _manifest(text: str, location: Location, objects_of: ObjectsOf) -> tuple[RawObject, ...]:
    """The manifest's objects, each with its ``# Source:`` template, located at the record.
    Documents of the manifest that are no objects are dropped (the record is what was read)."""
    comments = SourceComments(text)
    found: list[RawObject] = []
    previous_end = 0
    for doc in parse(text, "manifest.yaml"):
        if isinstance(doc, ParseFailure) or doc.value is None:
            continue
        source = comments.for_document(doc.start_line, previous_end) if comments else None
        previous_end = doc.end_line
        for obj in objects_of(doc, location.file, source):
            if isinstance(obj, RawObject):
                found.append(RawObject(obj.data, location, obj.helm_source))
    return tuple(found)

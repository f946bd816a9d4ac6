"""The CRDs a dump holds, read from the file its layout keeps them in, to give a custom resource
written without its kind the kind its CRD declares. Only files of a folder are looked at (an
archive member is read once, in its turn; a layout names the file, this module reads it once per
run and keeps what it found).

    >>> crds_at("bundle/cluster-resources/custom-resource-definitions.json")  # doctest: +SKIP
    {'settings.longhorn.io': Resource(group='longhorn.io', version='v1beta1', kind='Setting', ...)}
"""

from __future__ import annotations

import functools
import os

from analyzer.load.decode import decode
from analyzer.load.layouts.base import ARCHIVE_SUFFIXES
from analyzer.load.layouts.resources import Resource, crd_resources
from analyzer.load.parsers import ParsedDoc, parse

MAX_BYTES = 64 * 1024 * 1024
"""A CRD file larger than this is not looked into (its custom resources keep no kind)."""


def in_archive(path: str) -> bool:
    """Whether ``path`` names an archive member (``dump.tgz:cluster-resources/...``)."""
    archive, colon, _ = path.partition(":")
    return bool(colon) and archive.lower().endswith(ARCHIVE_SUFFIXES)


@functools.lru_cache(maxsize=64)
def crds_at(path: str) -> dict[str, Resource] | None:
    """``<plural>.<group>`` -> resource for the CRDs in the file at ``path``; None when there
    is no such readable file."""
    if in_archive(path) or not os.path.isfile(path):
        return None
    try:
        if os.path.getsize(path) > MAX_BYTES:
            return None
        with open(path, "rb") as handle:
            text, _ = decode(handle.read())
    except OSError:
        return None
    if text is None:
        return None
    return crd_resources(doc.value for doc in parse(text, path) if isinstance(doc, ParsedDoc))

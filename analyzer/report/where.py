"""Where a finding is, as a CI tool wants it: a file of the repository and a line, or nothing.

A location names the file as the user typed it. Standard input (``<stdin>``) is no file; an
archive member (``dump.tgz:ns/pods.yaml``) is the archive, without a line (the line is the
member's); the output of a chart folder rendered by kubesnap (``charts/shop (helm template)``)
is no file either, but the Helm template the object came from (``shop/templates/svc.yaml``)
is, beside the chart folder: ``charts/shop/templates/svc.yaml``, without a line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from analyzer.load.types import Location
from analyzer.rules.finding import Finding

STDIN = "<stdin>"
_RENDERED = re.compile(r"^(?P<folder>.+) \((?:helm template|kustomize build|kubectl kustomize)\)$")
_ARCHIVE = re.compile(r"^(?P<archive>.+?\.(?:tar|tar\.gz|tgz)):.+$")


@dataclass(frozen=True, slots=True)
class FileLine:
    """A file as the user named it (relative or absolute, ``/`` separated) and a 1-based line."""

    path: str
    line: int | None = None


def file_of(finding: Finding) -> FileLine | None:
    """The file (and line) a CI tool can point at for ``finding``; None when there is none."""
    return place(finding.location, finding.template)


def place(location: Location | None, template: Location | None = None) -> FileLine | None:
    """The file (and line) of ``location`` a CI tool can point at (for an object rendered by
    kubesnap from a chart folder, its ``template``); None when there is none."""
    if location is None or location.file == STDIN:
        return None
    rendered = _RENDERED.match(location.file)
    if rendered:
        return _template_in(rendered["folder"], template)
    archive = _ARCHIVE.match(location.file)
    if archive:
        return FileLine(archive["archive"])
    return FileLine(location.file.replace("\\", "/"), location.line)


def template_of(finding: Finding) -> FileLine | None:
    """The Helm template ``finding``'s object was rendered from: beside the chart folder when
    kubesnap rendered it, else as the ``# Source:`` comment names it; None without a template."""
    if finding.template is None:
        return None
    rendered = _RENDERED.match(finding.location.file) if finding.location else None
    if rendered:
        beside = _template_in(rendered["folder"], finding.template)
        if beside is not None:
            return beside
    return FileLine(finding.template.file)


def _template_in(folder: str, template: Location | None) -> FileLine | None:
    """The template ``chart/templates/x.yaml`` of the chart folder ``folder`` (which ends in
    ``chart``) as a path beside it; None when the template does not belong to that folder."""
    if template is None:
        return None
    folder = folder.replace("\\", "/").rstrip("/")
    chart = posixpath.basename(folder)
    if not template.file.startswith(f"{chart}/"):
        return None
    return FileLine(posixpath.join(posixpath.dirname(folder), template.file))

"""Host names in configuration text that may name a Service by in-cluster DNS.

A workload reaches a Service as ``<svc>.<ns>.svc.cluster.local`` (any cluster domain after
``svc``), ``<svc>.<ns>.svc``, ``<svc>.<ns>``, a StatefulSet pod as ``<pod>.<svc>.<ns>.svc...``,
or, in its own namespace, by the bare ``<svc>``. :func:`hosts` finds the candidates in one text
(an env value, an argument, a line of a ConfigMap); :func:`in_cluster` decides, with what the
snapshot knows, which Service a candidate names.

Example::

    >>> [h.service for h in hosts("http://prometheus-server.monitoring.svc.cluster.local:80")]
    ['prometheus-server']
    >>> hosts("# see prometheus-server docs")
    []

Only RFC 1123 labels count, lower case, bounded by characters a host cannot touch. The forms
with ``.svc`` are in-cluster wherever they appear; a two-label ``<svc>.<ns>`` and a bare name
only in a host position: after ``scheme://`` (and ``user@``), before ``:<port>``, or as the
whole value (also after ``KEY=`` or ``--flag=``, or one pair of ``host=db port=5432``).
Comment lines (``#``, ``;``, ``//``) are not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(
    rf"(?:(?<=//)|(?<=@)|(?<![\w.\-/:$%@{{}}]))({_LABEL}(?:\.{_LABEL})*)\.?(?![\w\-=(@]|\.[A-Za-z0-9])"
)
_SERVICE = re.compile(r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?")
"""A Service name is an RFC 1035 label: it starts with a letter."""
_PORT = re.compile(r":(\d{2,5})(?![\w.\-])")
_URL_BEFORE = re.compile(r"(?<![A-Za-z0-9+.\-])[a-z][a-z0-9+.\-]*://(?:[^\s/@]*@)?$", re.IGNORECASE)
_KEY_BEFORE = re.compile(r"^\s*(?P<key>(?:-{1,2})?[A-Za-z_][\w.\-]*)\s*=\s*[\"']?$")
_KEY_PREFIX = re.compile(r"^\s*(?P<key>(?:-{1,2})?[A-Za-z_][\w.\-]*)\s*=")
_QUOTE = re.compile(r"[\"']?\s*$")
_PAIR_BEFORE = re.compile(r"(?:^|[\s;,?&])(?P<key>(?:-{1,2})?[A-Za-z_][\w.\-]*)=[\"']?$")
_PAIR_AFTER = re.compile(r"[\"']?(?:[\s;,&]|$)")
_QUOTE_BEFORE = re.compile(r"^\s*[\"']?$")
_USER_AFTER = re.compile(r":[^\s/@]*@")
_COMMENT = re.compile(r"^\s*(?:#|;|//)")
_PREFILTER = re.compile(r"[a-z]")
_HINT = re.compile(r"\.svc|://|:\d|=")
"""A line of a file without any of these holds no host a workload could use (prose, a list)."""
MIN_PORT = 20
"""``redis:7`` and ``postgres:15`` are image tags; a port below 20 is never a Service's."""


@dataclass(frozen=True, slots=True)
class Host:
    """A host name that may name a Service; ``namespace`` is None for a bare name."""

    text: str
    """The host as written (without scheme, port or a trailing dot)."""
    service: str
    namespace: str | None
    cluster: bool
    """Written with ``.svc``: in-cluster whatever the snapshot knows."""
    placed: str
    """Where it stands: ``url`` (after ``scheme://``), ``port`` (before ``:<port>``), ``value``
    (the whole value, or after ``KEY=``), or "" (a ``.svc`` form in free text)."""
    key: str
    """The ``KEY`` of ``KEY=value`` (or ``--flag``) when the host is its value; "" otherwise."""
    line: str
    """The line it was found in, stripped."""


def hosts(text: str, *, whole: bool = True) -> list[Host]:
    """The candidate Service hosts of ``text``, in order. ``whole``: a single-line value that is
    just a host (``redis``, ``redis:6379``) names it; false for command arguments, where a whole
    word is more often a subcommand than a host."""
    if not _PREFILTER.search(text):
        return []
    found: list[Host] = []
    lines = text.splitlines() or [text]
    single = len(lines) == 1
    whole = whole and single
    for line in lines:
        if _COMMENT.match(line) or not (whole or _HINT.search(line)):
            continue
        shown = line.strip()
        for match in _HOST.finditer(line):
            host = _candidate(line, shown, match, whole=whole)
            if host is not None:
                found.append(host)
    return found


def _candidate(line: str, shown: str, match: re.Match[str], *, whole: bool) -> Host | None:
    text = match.group(1)
    labels = text.split(".")
    cluster = None
    for index in (2, 3):
        if len(labels) > index and labels[index] == "svc":
            cluster = index
            break
    if cluster is None and len(labels) > 2:
        return None  # a.b.c without svc: an external name
    start, end = match.start(), match.end()
    url = _after_scheme(line, start)
    if line.startswith("@", start - 1) and not url:
        return None  # an e-mail address, not a URL's user@host
    if line.startswith(":", end) and _USER_AFTER.match(line, end):
        return None  # the user of user:password@host
    placed = _placement(line, start, end, url=url, whole=whole)
    if cluster is not None:
        service, namespace = labels[cluster - 2], labels[cluster - 1]
        if _SERVICE.fullmatch(service) is None:
            return None
        return Host(text, service, namespace, True, placed, _key(line, start), shown)
    if not placed or _SERVICE.fullmatch(labels[0]) is None:
        return None
    namespace = labels[1] if len(labels) == 2 else None
    return Host(text, labels[0], namespace, False, placed, _key(line, start), shown)


def _after_scheme(line: str, start: int) -> bool:
    """Does the host at ``start`` follow ``scheme://`` (and maybe ``user[:password]@``)?"""
    if line.startswith("//", start - 2):
        return _URL_BEFORE.search(line[max(0, start - 40) : start]) is not None
    if not line.startswith("@", start - 1):
        return False
    slashes = line.rfind("://", 0, start)
    return slashes >= 0 and _URL_BEFORE.search(line[max(0, slashes - 40) : start]) is not None


def _placement(line: str, start: int, end: int, *, url: bool, whole: bool) -> str:
    """Where the host at ``start:end`` stands: ``url``, ``port``, ``value`` or ""."""
    if url:
        return "url"
    if line.startswith(":", end):
        port = _PORT.match(line, end)
        if port is not None and MIN_PORT <= int(port.group(1)) <= 65535:
            return "port"
        return ""
    if _QUOTE.match(line, end):
        before = line[:start]
        if _KEY_BEFORE.match(before) or (whole and _QUOTE_BEFORE.match(before)):
            return "value"
    pair = "=" in line[max(0, start - 2) : start] and _PAIR_AFTER.match(line, end)
    if pair and _PAIR_BEFORE.search(line[max(0, start - 80) : start]):
        return "value"  # one pair of several: host=db port=5432, ?host=db&x=1
    return ""


def _key(line: str, start: int) -> str:
    """The ``KEY`` of the ``KEY=...`` pair the host is the value of, else of the line's first
    pair ("" when none)."""
    if "=" not in line[:start]:
        return ""
    pair = _PAIR_BEFORE.search(line[max(0, start - 80) : start])
    if pair is not None:
        return pair.group("key")
    prefix = _KEY_PREFIX.match(line, 0, start)
    return prefix.group("key") if prefix else ""


def in_cluster(
    host: Host,
    namespace: str | None,
    namespaces: Container[str],
    has_service: Callable[[str | None, str], bool],
) -> tuple[str | None, str] | None:
    """The (namespace, Service name) ``host`` names, seen from a workload of ``namespace``: the
    ``.svc`` forms always; ``<svc>.<ns>`` when ``ns`` is a namespace the snapshot knows (else
    ``api.example`` would be namespace ``example``); a bare name when that Service exists."""
    if host.cluster:
        return (host.namespace, host.service)
    if host.namespace is not None:
        return (host.namespace, host.service) if host.namespace in namespaces else None
    return (namespace, host.service) if has_service(namespace, host.service) else None


def mask_password(text: str) -> str:
    """``postgres://app:s3cr3t@db:5432`` -> ``postgres://app:***@db:5432`` (quoted values)."""
    return _USERINFO.sub(r"\1:***@", text)


_USERINFO = re.compile(r"(://[^\s:/@]*):[^\s/@]*@")

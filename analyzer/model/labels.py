"""Label conventions and applications: which concept a label key names in which convention, and
which objects of a namespace belong to one application.

Two conventions name the same concepts. The recommended one (kubernetes.io, "Recommended
Labels") and the legacy keys hand-written manifests and older charts use::

    >>> concept_of("app")
    Concept(name='name', recommended='app.kubernetes.io/name', legacy=('app', 'k8s-app'))
    >>> convention_of("app.kubernetes.io/component")
    'recommended'

An application is a Helm release when the object says which (the ``meta.helm.sh/release-name``
annotation, else the ``app.kubernetes.io/instance`` label), else its name *stem*: the name with
role suffixes removed from the end, repeatedly, while something is left::

    >>> name_stem("prometheus-server-headless")
    'prometheus-server'
    >>> name_stem("svc")
    'svc'

Two objects of one namespace are one application when both name a release and the releases are
equal, or when at least one names none and their stems are equal (a Service recreated by hand,
without Helm's annotations, still belongs to the release's Deployment of the same name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Convention = Literal["recommended", "legacy"]


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing a label says, with its recommended key and the legacy keys that say it too."""

    name: str
    recommended: str
    legacy: tuple[str, ...]

    def keys(self, convention: Convention) -> tuple[str, ...]:
        return (self.recommended,) if convention == "recommended" else self.legacy


CONCEPTS: tuple[Concept, ...] = (
    Concept("name", "app.kubernetes.io/name", ("app", "k8s-app")),
    Concept("component", "app.kubernetes.io/component", ("component", "tier")),
    Concept("instance", "app.kubernetes.io/instance", ("release",)),
)
"""The concepts whose keys the two conventions spell differently."""

_BY_KEY: dict[str, Concept] = {
    key: concept for concept in CONCEPTS for key in (concept.recommended, *concept.legacy)
}

ROLE_SUFFIXES: tuple[str, ...] = (
    "headless",
    "svc",
    "service",
    "pdb",
    "netpol",
    "networkpolicy",
    "servicemonitor",
    "podmonitor",
    "monitor",
)
"""Name endings that say what kind of object it is, not which application: ``-headless`` and
``-svc`` on Services, ``-pdb``, ``-netpol``, ``-monitor`` on the objects that select."""

RELEASE_ANNOTATION = "meta.helm.sh/release-name"
INSTANCE_LABEL = "app.kubernetes.io/instance"


def concept_of(key: str) -> Concept | None:
    """The concept a label key names in either convention; None for any other key."""
    return _BY_KEY.get(key)


def convention_of(key: str) -> Convention | None:
    concept = _BY_KEY.get(key)
    if concept is None:
        return None
    return "recommended" if key == concept.recommended else "legacy"


def other(convention: Convention) -> Convention:
    return "legacy" if convention == "recommended" else "recommended"


def name_stem(name: str) -> str:
    """``name`` without its trailing ``-<role>`` parts (:data:`ROLE_SUFFIXES`), removed one by
    one while a non-empty name is left: ``web-svc`` and ``web-pdb`` are ``web``."""
    stem = name
    while True:
        head, sep, tail = stem.rpartition("-")
        if not sep or not head or tail not in ROLE_SUFFIXES:
            return stem
        stem = head


def maker_name(name: str, labels: Mapping[str, str]) -> str:
    """The name of the workload a Pod or ReplicaSet was made from, by the suffix its controller
    appended (for a live dump whose Deployment, StatefulSet or DaemonSet is not in the input):
    ``-<pod-template-hash>`` (a ReplicaSet; its Pods add ``-<random>``), ``-<ordinal>`` (a
    StatefulSet Pod), ``-<random>`` (a DaemonSet Pod, ``controller-revision-hash`` label)::

        >>> maker_name("web-5d9f8c7b6-x2x7q", {"pod-template-hash": "5d9f8c7b6"})
        'web'
    """
    template_hash = labels.get("pod-template-hash")
    if template_hash:
        cut = name.rfind(f"-{template_hash}")
        if cut > 0:
            return name[:cut]
    head, sep, tail = name.rpartition("-")
    if not sep or not head:
        return name
    if labels.get("statefulset.kubernetes.io/pod-name") == name and tail.isdigit():
        return head
    if "controller-revision-hash" in labels and "statefulset.kubernetes.io/pod-name" not in labels:
        return head
    return name


@dataclass(frozen=True, slots=True)
class Application:
    """What says which application an object belongs to: its release (None when it names
    none) and its name stem."""

    release: str | None
    stem: str

    def same_as(self, other: Application) -> bool:
        if self.release is not None and other.release is not None:
            return self.release == other.release
        return self.stem == other.stem

    def describe(self) -> str:
        return f"release {self.release}" if self.release is not None else f"name stem {self.stem}"


def application_of(name: str, labels: Mapping[str, str], annotations: Mapping[str, str]) -> Application:
    """The application of an object from its name, labels and annotations (a workload's pod
    template labels count as its labels too: pass them merged)."""
    release = annotations.get(RELEASE_ANNOTATION) or labels.get(INSTANCE_LABEL) or None
    return Application(release, name_stem(name))

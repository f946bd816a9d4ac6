"""Kubernetes resource quantities read exactly as the API server reads them, a Pod's effective
requests, and short forms for messages.

Example: ``parse_quantity("100m") == Fraction(1, 10)``, ``parse_quantity("2Gi") == 2 * 1024**3``,
``parse_quantity("1.5x") is None``; ``format_quantity("memory", Fraction(512 * 1024**2))`` is
``"512Mi"`` and ``format_quantity("cpu", Fraction(1, 10))`` is ``"100m"``.

A Pod's requests (:func:`pod_requests`) follow the scheduler's rule: the largest of the sum of
its containers' requests and each init container's request, plus ``spec.overhead``. A container
with a limit and no request for a resource requests its limit (the API server's defaulting). An
init container with ``restartPolicy: Always`` (a sidecar) runs beside the containers: its request
is added to the sum, and to every init container that starts after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

from analyzer.model.objects import as_dict, as_list

Resources = dict[str, Fraction]
"""Resource name -> exact amount (cores for cpu, bytes for memory, a count for pods)."""

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(
    r"([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?",
)
MAX_EXPONENT = 64
"""Exponents beyond this are refused (None): no real quantity has them, and 10**10**9 would hang."""


def parse_quantity(value: object) -> Fraction | None:
    """The exact amount a quantity means (``"100m"``, ``"0.5"``, ``1``, ``"2Gi"``, ``"1e3"``,
    ``"1.5Ki"``); None for anything the API server would refuse. Never raises."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value)) if value == value and abs(value) != float("inf") else None
    if not isinstance(value, str):
        return None
    return _parse_text(value)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Fraction | None:
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    sign, number, suffix, exponent = match.groups()
    amount = Fraction(number)
    if sign == "-":
        amount = -amount
    if exponent is not None:
        power = int(exponent)
        if abs(power) > MAX_EXPONENT:
            return None
        return amount * Fraction(10) ** power
    if suffix in _BINARY:
        return amount * Fraction(1024) ** _BINARY[suffix]
    return amount * Fraction(10) ** _DECIMAL[suffix or ""]


def millis(amount: Fraction) -> int:
    """``amount`` in thousandths, rounded up as Kubernetes' ``MilliValue`` does (cpu: 100m -> 100)."""
    return -((-amount * 1000) // 1)


def format_quantity(resource: str, amount: Fraction) -> str:
    """A short form for messages: cpu in cores or millicores (``2``, ``1500m``), memory and
    storage with the largest binary suffix that divides them (``512Mi``, ``1.5Gi`` when none
    does), anything else as a number."""
    if resource == "cpu":
        thousandths = millis(amount)
        return str(thousandths // 1000) if thousandths % 1000 == 0 else f"{thousandths}m"
    if resource in ("memory", "ephemeral-storage", "storage") or resource.startswith("hugepages-"):
        return _bytes(amount)
    if amount.denominator == 1:
        return str(amount.numerator)
    return f"{float(amount):g}"


def _bytes(amount: Fraction) -> str:
    whole = -((-amount) // 1)
    for suffix, power in sorted(_BINARY.items(), key=lambda item: -item[1]):
        unit = 1024**power
        if whole >= unit and whole % unit == 0:
            return f"{whole // unit}{suffix}"
    for suffix, power in sorted(_BINARY.items(), key=lambda item: -item[1]):
        unit = 1024**power
        if whole >= unit:
            return f"{float(Fraction(whole, unit)):.1f}{suffix}"
    return str(whole)


def describe(resources: Mapping[str, Fraction]) -> str:
    """``cpu 500m, memory 1Gi`` (sorted by name); ``nothing`` when empty."""
    return ", ".join(f"{k} {format_quantity(k, v)}" for k, v in sorted(resources.items())) or "nothing"


def read_resources(value: object) -> Resources:
    """A ``requests``/``limits``/``allocatable`` mapping; entries that do not parse are left out."""
    found: Resources = {}
    for key, raw in as_dict(value).items():
        amount = parse_quantity(raw)
        if amount is not None:
            found[str(key)] = amount
    return found


def container_requests(container: Mapping[str, Any]) -> Resources:
    """What one container requests: ``requests``, and its ``limits`` where it requests nothing."""
    resources = as_dict(container.get("resources"))
    found = read_resources(resources.get("limits"))
    found.update(read_resources(resources.get("requests")))
    return found


NANO = 10**9
_Known = tuple[Resources, tuple[tuple[str, int], ...], tuple[tuple[str, Fraction], ...]]
"""A Pod spec's effective requests; the same in whole nano-units; those finer than that."""
_KNOWN_REQUESTS: dict[str, _Known] = {}
_KNOWN_MAX = 4096


def pod_requests(spec: Mapping[str, Any]) -> Resources:
    """A Pod spec's effective requests, as the scheduler counts them (see the module docstring).
    Computed once per distinct set of container resources (the pods of one workload share it:
    exact arithmetic on fractions is slow)."""
    return dict(_known_requests(spec)[0])


def summed_requests(specs: Iterable[Mapping[str, Any]]) -> tuple[Resources, int]:
    """The effective requests of several Pod specs (the pods bound to a node) added up, and how
    many specs. Exact: the amounts are added as whole nano-units (every quantity the API server
    accepts with a suffix is one), through fractions only for an amount finer than that."""
    nanos: dict[str, int] = {}
    finer: Resources = {}
    count = 0
    for spec in specs:
        count += 1
        whole, rest = _known_requests(spec)[1:]
        for key, amount in whole:
            nanos[key] = nanos.get(key, 0) + amount
        for key, fraction in rest:
            finer[key] = finer.get(key, Fraction(0)) + fraction
    total = {key: Fraction(amount, NANO) for key, amount in nanos.items()}
    _add(total, finer)
    return total, count


def _known_requests(spec: Mapping[str, Any]) -> _Known:
    """:func:`_pod_requests` through the cache (shared: not to be changed), with its amounts in
    whole nano-units, and those finer than that."""
    key = repr(
        [
            (c.get("resources"), c.get("restartPolicy")) if isinstance(c, dict) else None
            for field in ("containers", "initContainers")
            for c in as_list(spec.get(field))
        ]
        + [spec.get("overhead")]
    )
    found = _KNOWN_REQUESTS.get(key)
    if found is None:
        if len(_KNOWN_REQUESTS) >= _KNOWN_MAX:
            _KNOWN_REQUESTS.clear()
        amounts = _pod_requests(spec)
        whole = tuple((k, int(v * NANO)) for k, v in amounts.items() if (v * NANO).denominator == 1)
        rest = tuple((k, v) for k, v in amounts.items() if (v * NANO).denominator != 1)
        found = _KNOWN_REQUESTS[key] = (amounts, whole, rest)
    return found


def _pod_requests(spec: Mapping[str, Any]) -> Resources:
    total: Resources = {}
    for container in as_list(spec.get("containers")):
        if isinstance(container, dict):
            _add(total, container_requests(container))
    sidecars: Resources = {}
    init_peak: Resources = {}
    for container in as_list(spec.get("initContainers")):
        if not isinstance(container, dict):
            continue
        own = container_requests(container)
        if container.get("restartPolicy") == "Always":
            _add(total, own)
            _add(sidecars, own)
            running = dict(sidecars)
        else:
            running = dict(sidecars)
            _add(running, own)
        for key, amount in running.items():
            init_peak[key] = max(init_peak.get(key, Fraction(0)), amount)
    for key, amount in init_peak.items():
        total[key] = max(total.get(key, Fraction(0)), amount)
    _add(total, read_resources(spec.get("overhead")))
    return total


def _add(into: Resources, more: Mapping[str, Fraction]) -> None:
    for key, amount in more.items():
        into[key] = into.get(key, Fraction(0)) + amount

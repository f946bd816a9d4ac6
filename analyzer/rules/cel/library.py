"""Kubernetes' CEL libraries, as registered functions of :mod:`analyzer.rules.cel.engine`.

The engine brings the strings extension (with ``format``), optionals and ``matches`` (RE2);
this module adds, with the Kubernetes 1.31 names and semantics:

- lists: ``l.sum()``, ``l.min()``, ``l.max()``, ``l.isSorted()``, ``l.indexOf(x)``, ``l.lastIndexOf(x)``;
- sets: ``sets.contains(a, b)``, ``sets.equivalent(a, b)``, ``sets.intersects(a, b)``;
- regex: ``s.find(re)``, ``s.findAll(re)``, ``s.findAll(re, n)``, with RE2 (google-re2: linear time,
  never Python's backtracking ``re``);
- quantity: ``quantity(s)``, ``isQuantity(s)``, ``q.isGreaterThan(q)``, ``q.isLessThan(q)``,
  ``q.compareTo(q)``, ``q.add(q|int)``, ``q.sub(q|int)``, ``q.sign()``, ``q.isInteger()``,
  ``q.asInteger()``, ``q.asApproximateFloat()``; parsed exactly as the API server does
  (:func:`analyzer.model.quantity.parse_quantity`), ``==`` compares amounts;
- url: ``url(s)``, ``isURL(s)``, ``u.getScheme()``, ``getHost()``, ``getHostname()``, ``getPort()``,
  ``getEscapedPath()``, ``getQuery()``;
- ip and cidr: ``ip(s)``, ``isIP(s)``, ``ip.isCanonical(s)``, ``i.family()``, ``i.isUnspecified()``,
  ``i.isLoopback()``, ``i.isLinkLocalMulticast()``, ``i.isLinkLocalUnicast()``,
  ``i.isGlobalUnicast()``, ``cidr(s)``, ``isCIDR(s)``, ``c.containsIP(ip|s)``,
  ``c.containsCIDR(cidr|s)``, ``c.ip()``, ``c.masked()``, ``c.prefixLength()``.

A Python object cannot cross into the engine, so a quantity, URL, IP or CIDR travels as a
*tagged map*: one key starting with ``@`` (``{"@quantity": "1/10"}`` for ``100m``: the exact
amount, so that ``==`` compares amounts). The member functions are declared on maps and refuse
a map without their tag. Gaps against Kubernetes are listed in docs/writing-rules.md.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import Any
from urllib.parse import SplitResult, parse_qs, quote, urlsplit

import re2

from analyzer.model.quantity import parse_quantity
from analyzer.rules.cel.engine import Function, Overload

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Interface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

INT64 = 2**63
MAX_FIND_ALL = 10_000
"""``findAll`` returns at most this many matches (the engine's own iteration budget, mirrored)."""


class LibraryError(ValueError):
    """A function's runtime error; the engine reports its message."""


def _fn(
    name: str, *overloads: tuple[str, tuple[str, ...], str, Callable[..., Any]], member: bool = True
) -> Function:
    return Function(
        name,
        tuple(Overload(oid, params, result, impl, member=member) for oid, params, result, impl in overloads),
    )


# lists ---------------------------------------------------------------------------------------------


def _same(a: object, b: object) -> bool:
    """CEL equality for plain values: a bool never equals a number."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def _ordered(items: list[Any], what: str) -> list[Any]:
    kinds = {type(x) for x in items}
    numeric = kinds <= {int, float}
    if not numeric and len(kinds) > 1:
        raise LibraryError(f"{what}: the list mixes types that do not compare")
    if kinds & {dict, list, type(None)}:
        raise LibraryError(f"{what}: the list holds values that do not compare")
    return items


def _sum(items: list[Any]) -> Any:
    if any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in items):
        raise LibraryError("sum: the list must hold numbers")
    return sum(items)


def _min(items: list[Any]) -> Any:
    if not items:
        raise LibraryError("min called on empty list")
    return min(_ordered(items, "min"))


def _max(items: list[Any]) -> Any:
    if not items:
        raise LibraryError("max called on empty list")
    return max(_ordered(items, "max"))


def _is_sorted(items: list[Any]) -> bool:
    _ordered(items, "isSorted")
    return all(a <= b for a, b in pairwise(items))


def _index_of(items: list[Any], value: object) -> int:
    return next((i for i, x in enumerate(items) if _same(x, value)), -1)


def _last_index_of(items: list[Any], value: object) -> int:
    return next((i for i in range(len(items) - 1, -1, -1) if _same(items[i], value)), -1)


def _hashable_all(a: list[Any], b: list[Any]) -> bool:
    return all(any(_same(x, y) for y in a) for x in b)


LISTS = [
    _fn("sum", ("kubesnap_list_sum", ("list",), "dyn", _sum)),
    _fn("min", ("kubesnap_list_min", ("list",), "dyn", _min)),
    _fn("max", ("kubesnap_list_max", ("list",), "dyn", _max)),
    _fn("isSorted", ("kubesnap_list_is_sorted", ("list",), "bool", _is_sorted)),
    _fn("indexOf", ("kubesnap_list_index_of", ("list", "dyn"), "int", _index_of)),
    _fn("lastIndexOf", ("kubesnap_list_last_index_of", ("list", "dyn"), "int", _last_index_of)),
    _fn("sets.contains", ("kubesnap_sets_contains", ("list", "list"), "bool", _hashable_all), member=False),
    _fn(
        "sets.equivalent",
        (
            "kubesnap_sets_equivalent",
            ("list", "list"),
            "bool",
            lambda a, b: _hashable_all(a, b) and _hashable_all(b, a),
        ),
        member=False,
    ),
    _fn(
        "sets.intersects",
        (
            "kubesnap_sets_intersects",
            ("list", "list"),
            "bool",
            lambda a, b: any(_index_of(a, x) >= 0 for x in b),
        ),
        member=False,
    ),
]

# regex ---------------------------------------------------------------------------------------------

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@lru_cache(maxsize=256)
def _regex(pattern: str) -> Any:
    try:
        return re2.compile(pattern, options=_RE2_OPTIONS)
    except re2.error as error:
        reason = (
            error.args[0].decode("utf-8", "replace")
            if error.args and isinstance(error.args[0], bytes)
            else error
        )
        raise LibraryError(f"invalid regular expression {pattern!r}: {reason}") from None


def _find(text: str, pattern: str) -> str:
    match = _regex(pattern).search(text)
    return "" if match is None else str(match.group(0))


def _find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    found: list[str] = []
    if limit == 0:
        return found
    for match in _regex(pattern).finditer(text):
        found.append(str(match.group(0)))
        if len(found) == limit or len(found) >= MAX_FIND_ALL:
            break
    return found


REGEX = [
    _fn("find", ("kubesnap_string_find", ("string", "string"), "string", _find)),
    _fn(
        "findAll",
        ("kubesnap_string_find_all", ("string", "string"), "list<string>", _find_all),
        ("kubesnap_string_find_all_n", ("string", "string", "int"), "list<string>", _find_all),
    ),
]

# tagged values -------------------------------------------------------------------------------------


def _untag(value: object, tag: str, what: str) -> str:
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get(tag), str):
        return str(value[tag])
    raise LibraryError(f"not a {what}")


# quantity ------------------------------------------------------------------------------------------


def _quantity(text: str) -> dict[str, str]:
    return {"@quantity": _exact(text)}


@lru_cache(maxsize=4096)
def _exact(text: str) -> str:
    """A quantity's exact amount as text (``"1/10"`` for ``"100m"``); cached: a dump repeats a
    few quantities thousands of times."""
    amount = parse_quantity(text)
    if amount is None:
        raise LibraryError(f"invalid quantity: {text!r}")
    return str(amount)


@lru_cache(maxsize=4096)
def _fraction(text: str) -> Fraction:
    return Fraction(text)


def _amount(value: object) -> Fraction:
    return _fraction(_untag(value, "@quantity", "quantity"))


def _as_quantity(amount: Fraction) -> dict[str, str]:
    return {"@quantity": str(amount)}


def _compare(a: object, b: object) -> int:
    x, y = _amount(a), _amount(b)
    return (x > y) - (x < y)


def _as_integer(value: object) -> int:
    amount = _amount(value)
    if amount.denominator != 1 or not -INT64 <= amount.numerator < INT64:
        raise LibraryError("cannot convert value to integer")
    return amount.numerator


def _is_integer(value: object) -> bool:
    amount = _amount(value)
    return amount.denominator == 1 and -INT64 <= amount.numerator < INT64


QUANTITY = [
    _fn("quantity", ("kubesnap_quantity", ("string",), "map", _quantity), member=False),
    _fn(
        "isQuantity",
        ("kubesnap_is_quantity", ("string",), "bool", lambda s: parse_quantity(s) is not None),
        member=False,
    ),
    _fn("isGreaterThan", ("kubesnap_quantity_gt", ("map", "map"), "bool", lambda a, b: _compare(a, b) > 0)),
    _fn("isLessThan", ("kubesnap_quantity_lt", ("map", "map"), "bool", lambda a, b: _compare(a, b) < 0)),
    _fn("compareTo", ("kubesnap_quantity_compare", ("map", "map"), "int", _compare)),
    _fn(
        "add",
        ("kubesnap_quantity_add", ("map", "map"), "map", lambda a, b: _as_quantity(_amount(a) + _amount(b))),
        ("kubesnap_quantity_add_int", ("map", "int"), "map", lambda a, n: _as_quantity(_amount(a) + n)),
    ),
    _fn(
        "sub",
        ("kubesnap_quantity_sub", ("map", "map"), "map", lambda a, b: _as_quantity(_amount(a) - _amount(b))),
        ("kubesnap_quantity_sub_int", ("map", "int"), "map", lambda a, n: _as_quantity(_amount(a) - n)),
    ),
    _fn("sign", ("kubesnap_quantity_sign", ("map",), "int", lambda q: (_amount(q) > 0) - (_amount(q) < 0))),
    _fn("isInteger", ("kubesnap_quantity_is_integer", ("map",), "bool", _is_integer)),
    _fn("asInteger", ("kubesnap_quantity_as_integer", ("map",), "int", _as_integer)),
    _fn(
        "asApproximateFloat", ("kubesnap_quantity_as_float", ("map",), "double", lambda q: float(_amount(q)))
    ),
]

# url -----------------------------------------------------------------------------------------------


def _parse_url(text: str) -> SplitResult | None:
    """Go's ``url.ParseRequestURI``: an absolute URL or an absolute path, no fragment."""
    if not text or "#" in text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return None
    if parts.scheme:
        return parts
    return parts if text.startswith("/") else None


def _url(text: str) -> dict[str, str]:
    if _parse_url(text) is None:
        raise LibraryError(f"URL parse error during conversion from string: {text!r}")
    return {"@url": text}


def _url_parts(value: object) -> SplitResult:
    return urlsplit(_untag(value, "@url", "URL"))


def _hostname(value: object) -> str:
    netloc = _url_parts(value).netloc.rpartition("@")[2]
    if netloc.startswith("["):
        return netloc[1 : netloc.find("]")]
    return netloc.rpartition(":")[0] if ":" in netloc else netloc


def _port(value: object) -> str:
    netloc = _url_parts(value).netloc.rpartition("@")[2]
    host_end = netloc.find("]") + 1 if netloc.startswith("[") else 0
    _, colon, port = netloc[host_end:].rpartition(":")
    return port if colon else ""


URL = [
    _fn("url", ("kubesnap_url", ("string",), "map", _url), member=False),
    _fn("isURL", ("kubesnap_is_url", ("string",), "bool", lambda s: _parse_url(s) is not None), member=False),
    _fn("getScheme", ("kubesnap_url_scheme", ("map",), "string", lambda u: _url_parts(u).scheme)),
    _fn(
        "getHost",
        ("kubesnap_url_host", ("map",), "string", lambda u: _url_parts(u).netloc.rpartition("@")[2]),
    ),
    _fn("getHostname", ("kubesnap_url_hostname", ("map",), "string", _hostname)),
    _fn("getPort", ("kubesnap_url_port", ("map",), "string", _port)),
    _fn(
        "getEscapedPath",
        (
            "kubesnap_url_path",
            ("map",),
            "string",
            lambda u: quote(_url_parts(u).path, safe="/%:@&=+$,;!~*'()"),
        ),
    ),
    _fn(
        "getQuery",
        (
            "kubesnap_url_query",
            ("map",),
            "map",
            lambda u: parse_qs(_url_parts(u).query, keep_blank_values=True),
        ),
    ),
]

# ip and cidr ---------------------------------------------------------------------------------------


def _parse_ip(text: str) -> IPAddress | None:
    """As Kubernetes' ``ip()``: no zone, no IPv4-mapped IPv6 address."""
    if "%" in text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return None
    return address


def _ip(text: str) -> dict[str, str]:
    address = _parse_ip(text)
    if address is None:
        raise LibraryError(f"IP Address {text!r} parse error during conversion from string")
    return {"@ip": str(address)}


def _address(value: object) -> IPAddress:
    return ipaddress.ip_address(_untag(value, "@ip", "IP address"))


def _is_canonical(text: str) -> bool:
    address = _parse_ip(text)
    if address is None:
        raise LibraryError(f"IP Address {text!r} parse error during conversion from string")
    return str(address) == text


def _global_unicast(value: object) -> bool:
    """Go's ``IsGlobalUnicast``: private ranges count; loopback, link-local, multicast,
    unspecified and the IPv4 broadcast address do not."""
    a = _address(value)
    if a.is_unspecified or a.is_loopback or a.is_multicast or a.is_link_local:
        return False
    return not (isinstance(a, ipaddress.IPv4Address) and a == ipaddress.IPv4Address("255.255.255.255"))


def _link_local_multicast(value: object) -> bool:
    a = _address(value)
    if isinstance(a, ipaddress.IPv4Address):
        return a in ipaddress.IPv4Network("224.0.0.0/24")
    return a.is_multicast and (a.packed[1] & 0x0F) == 0x02


def _parse_cidr(text: str) -> Interface | None:
    address, slash, length = text.partition("/")
    if not slash or not length.isdigit() or _parse_ip(address) is None:
        return None
    try:
        return ipaddress.ip_interface(text)
    except ValueError:
        return None


def _cidr(text: str) -> dict[str, str]:
    if _parse_cidr(text) is None:
        raise LibraryError(f"network address parse error during conversion from string: {text!r}")
    return {"@cidr": text}


def _interface(value: object) -> Interface:
    return ipaddress.ip_interface(_untag(value, "@cidr", "CIDR"))


def _ip_of(value: object) -> IPAddress:
    if isinstance(value, str):
        address = _parse_ip(value)
        if address is None:
            raise LibraryError(f"IP Address {value!r} parse error during conversion from string")
        return address
    return _address(value)


def _contains_ip(cidr: object, value: object) -> bool:
    address = _ip_of(value)
    network = _interface(cidr).network
    return address.version == network.version and address in network


def _contains_cidr(cidr: object, value: object) -> bool:
    if isinstance(value, str):
        inner = _parse_cidr(value)
        if inner is None:
            raise LibraryError(f"network address parse error during conversion from string: {value!r}")
    else:
        inner = _interface(value)
    outer = _interface(cidr).network
    other = inner.network
    return (
        outer.version == other.version
        and other.prefixlen >= outer.prefixlen
        and other.network_address in outer
    )


IP = [
    Function(
        "ip",
        (
            Overload("kubesnap_ip", ("string",), "map", _ip),
            Overload(
                "kubesnap_cidr_ip", ("map",), "map", lambda c: {"@ip": str(_interface(c).ip)}, member=True
            ),
        ),
    ),
    _fn("isIP", ("kubesnap_is_ip", ("string",), "bool", lambda s: _parse_ip(s) is not None), member=False),
    _fn("ip.isCanonical", ("kubesnap_ip_is_canonical", ("string",), "bool", _is_canonical), member=False),
    _fn("family", ("kubesnap_ip_family", ("map",), "int", lambda i: _address(i).version)),
    _fn("isUnspecified", ("kubesnap_ip_unspecified", ("map",), "bool", lambda i: _address(i).is_unspecified)),
    _fn("isLoopback", ("kubesnap_ip_loopback", ("map",), "bool", lambda i: _address(i).is_loopback)),
    _fn("isLinkLocalMulticast", ("kubesnap_ip_ll_multicast", ("map",), "bool", _link_local_multicast)),
    _fn(
        "isLinkLocalUnicast",
        (
            "kubesnap_ip_ll_unicast",
            ("map",),
            "bool",
            lambda i: _address(i).is_link_local and not _address(i).is_multicast,
        ),
    ),
    _fn("isGlobalUnicast", ("kubesnap_ip_global_unicast", ("map",), "bool", _global_unicast)),
    _fn("cidr", ("kubesnap_cidr", ("string",), "map", _cidr), member=False),
    _fn(
        "isCIDR",
        ("kubesnap_is_cidr", ("string",), "bool", lambda s: _parse_cidr(s) is not None),
        member=False,
    ),
    _fn(
        "containsIP",
        ("kubesnap_cidr_contains_ip", ("map", "dyn"), "bool", _contains_ip),
    ),
    _fn("containsCIDR", ("kubesnap_cidr_contains_cidr", ("map", "dyn"), "bool", _contains_cidr)),
    _fn("masked", ("kubesnap_cidr_masked", ("map",), "map", lambda c: {"@cidr": str(_interface(c).network)})),
    _fn("prefixLength", ("kubesnap_cidr_prefix", ("map",), "int", lambda c: _interface(c).network.prefixlen)),
]


def kubernetes_functions() -> list[Function]:
    """Every function above, to pass to :class:`~analyzer.rules.cel.engine.CelEngine`."""
    return [*LISTS, *REGEX, *QUANTITY, *URL, *IP]

"""Kubernetes' CEL libraries: lists, sets, regex (RE2), quantity, url, ip and cidr; each with a
true case, a false one and its errors."""

from __future__ import annotations

import pytest

from analyzer.rules.cel.engine import CelEngine, CelEvalError
from analyzer.rules.cel.library import kubernetes_functions

ENGINE = CelEngine(["object"], kubernetes_functions())
SCOPE = ENGINE.activation({"object": {"name": "a" * 40 + "!", "limits": {"memory": "1Gi"}}})


def run(source: str) -> object:
    return ENGINE.compile(source).evaluate(SCOPE)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("[1, 2, 3].sum()", 6),
        ("[1.5, 2.0].sum()", 3.5),
        ("[].sum()", 0),
        ("[3, 1, 2].min()", 1),
        ("['b', 'a'].max()", "b"),
        ("[1, 2, 2].isSorted()", True),
        ("[2, 1].isSorted()", False),
        ("[1, 2, 1].indexOf(1)", 0),
        ("[1, 2, 1].lastIndexOf(1)", 2),
        ("[1, 2].indexOf(3)", -1),
        ("[true, 1].indexOf(1)", 1),
        ("'abc'.indexOf('c')", 2),
        ("sets.contains([1, 2, 3], [3, 1])", True),
        ("sets.contains([1], [2])", False),
        ("sets.equivalent([1, 2], [2, 1, 1])", True),
        ("sets.intersects([1, 2], [3, 2])", True),
        ("sets.intersects([1], [3])", False),
    ],
)
def test_lists_and_sets(source: str, value: object) -> None:
    assert run(source) == value


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("[].min()", "min called on empty list"),
        ("['a', 1].max()", "mixes types"),
        ("['a'].sum()", "must hold numbers"),
    ],
)
def test_list_errors(source: str, error: str) -> None:
    with pytest.raises(CelEvalError, match=error):
        run(source)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("'abc123def45'.find('[0-9]+')", "123"),
        ("'abc'.find('[0-9]+')", ""),
        ("'abc123def45'.findAll('[0-9]+')", ["123", "45"]),
        ("'abc123def45'.findAll('[0-9]+', 1)", ["123"]),
        ("'abc123def45'.findAll('[0-9]+', 0)", []),
        ("'nginx:1.27'.matches('^nginx:[0-9.]+$')", True),
        # RE2 is linear: a pattern that makes a backtracking engine run for ages answers at once.
        ("object.name.matches('^(a+)+$')", False),
        ("object.name.find('(a|aa)+$') == ''", True),
        ("object.name.findAll('(a*)*b').size()", 0),
    ],
)
def test_regex(source: str, value: object) -> None:
    assert run(source) == value


def test_regex_refuses_what_re2_cannot_do() -> None:
    with pytest.raises(CelEvalError, match=r"invalid regular expression '\(a\)\\\\1': invalid escape"):
        run(r"'aa'.find('(a)\\1')")


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("quantity('1Gi') == quantity('1024Mi')", True),
        ("quantity('1G') == quantity('1Gi')", False),
        ("quantity('100m').isLessThan(quantity('1'))", True),
        ("quantity(object.limits.memory).isGreaterThan(quantity('512Mi'))", True),
        ("quantity('1Gi').compareTo(quantity('1Gi'))", 0),
        ("quantity('1.5').add(quantity('500m')) == quantity('2')", True),
        ("quantity('1').add(2).asInteger()", 3),
        ("quantity('2').sub(quantity('3')).sign()", -1),
        ("quantity('1.5').isInteger()", False),
        ("quantity('1k').asInteger()", 1000),
        ("quantity('250m').asApproximateFloat()", 0.25),
        ("isQuantity('1.5Gi')", True),
        ("isQuantity('1.5x')", False),
    ],
)
def test_quantity(source: str, value: object) -> None:
    assert run(source) == value


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("quantity('1x')", "invalid quantity: '1x'"),
        ("quantity('1.5').asInteger()", "cannot convert value to integer"),
        ("{'a': '1'}.isGreaterThan(quantity('1'))", "not a quantity"),
    ],
)
def test_quantity_errors(source: str, error: str) -> None:
    with pytest.raises(CelEvalError, match=error):
        run(source)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("url('https://user@example.com:8443/a/b?x=1&x=2&y=').getScheme()", "https"),
        ("url('https://example.com:8443/a').getHost()", "example.com:8443"),
        ("url('https://[::1]:80/').getHostname()", "::1"),
        ("url('https://example.com:8443/a').getPort()", "8443"),
        ("url('https://example.com/a').getPort()", ""),
        ("url('https://example.com/a%20b').getEscapedPath()", "/a%20b"),
        ("url('https://example.com/?x=1&x=2&y=').getQuery()", {"x": ["1", "2"], "y": [""]}),
        ("url('/relative/path').getScheme()", ""),
        ("isURL('https://example.com')", True),
        ("isURL('example.com')", False),
        ("isURL('https://example.com/#fragment')", False),
    ],
)
def test_url(source: str, value: object) -> None:
    assert run(source) == value


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("ip('10.0.0.1').family()", 4),
        ("ip('2001:db8::1').family()", 6),
        ("ip('10.0.0.1') == ip('10.0.0.1')", True),
        ("ip('2001:db8::1') == ip('2001:0db8:0::1')", True),
        ("ip('10.0.0.1').isGlobalUnicast()", True),
        ("ip('127.0.0.1').isLoopback()", True),
        ("ip('0.0.0.0').isUnspecified()", True),
        ("ip('169.254.1.1').isLinkLocalUnicast()", True),
        ("ip('224.0.0.251').isLinkLocalMulticast()", True),
        ("ip('ff02::1').isLinkLocalMulticast()", True),
        ("ip('255.255.255.255').isGlobalUnicast()", False),
        ("isIP('::ffff:1.2.3.4')", False),
        ("isIP('010.0.0.1')", False),
        ("ip.isCanonical('2001:db8::1')", True),
        ("ip.isCanonical('2001:db8:0:0::1')", False),
        ("cidr('10.0.0.0/8').containsIP('10.1.2.3')", True),
        ("cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))", False),
        ("cidr('10.0.0.0/8').containsIP('::1')", False),
        ("cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16'))", True),
        ("cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')", False),
        ("cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')", True),
        ("cidr('10.1.2.3/8').ip() == ip('10.1.2.3')", True),
        ("cidr('2001:db8::/32').prefixLength()", 32),
        ("isCIDR('10.0.0.0')", False),
        ("isCIDR('10.0.0.0/33')", False),
    ],
)
def test_ip_and_cidr(source: str, value: object) -> None:
    assert run(source) == value


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("ip('::ffff:1.2.3.4')", "parse error"),
        ("ip('fe80::1%eth0')", "parse error"),
        ("cidr('10.0.0.0')", "parse error"),
        ("url('no scheme')", "URL parse error"),
    ],
)
def test_parse_errors(source: str, error: str) -> None:
    with pytest.raises(CelEvalError, match=error):
        run(source)


def test_format_and_strings_extension() -> None:
    assert run("'%s=%d (%.2f)'.format(['a', 1, 0.5])") == "a=1 (0.50)"
    assert run("'a,b'.split(',').map(s, s.upperAscii()).join('-')") == "A-B"
    assert run("' x '.trim() + 'abc'.substring(1) + 'abc'.charAt(0)") == "xbca"

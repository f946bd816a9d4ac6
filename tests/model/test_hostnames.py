"""Host names that may name a Service (analyzer.model.hostnames): one table of texts and the
candidates each gives, the in-cluster decision, password masking, and speed on a large text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.model.hostnames import Host, hosts, in_cluster, mask_password

# (id, text, whole, [(service, namespace, cluster, placed)])
CASES: list[tuple[str, str, bool, list[tuple[str, str | None, bool, str]]]] = [
    (
        "fqdn url with port",
        "http://prometheus-server.monitoring.svc.cluster.local:80",
        True,
        [("prometheus-server", "monitoring", True, "url")],
    ),
    ("svc form bare", "redis.shop.svc", True, [("redis", "shop", True, "value")]),
    ("svc form in prose", "x redis.shop.svc y", True, [("redis", "shop", True, "")]),
    ("custom cluster domain", "pg.platform.svc.corp.internal", True, [("pg", "platform", True, "value")]),
    ("trailing dot", "redis.shop.svc.cluster.local.", True, [("redis", "shop", True, "value")]),
    ("statefulset pod", "web-0.web.shop.svc.cluster.local:8080", True, [("web", "shop", True, "port")]),
    ("two labels in url", "grpc://orders.shop:50051", True, [("orders", "shop", False, "url")]),
    ("two labels whole", "postgres.platform", True, [("postgres", "platform", False, "value")]),
    ("two labels after key", "--db=postgres.platform", False, [("postgres", "platform", False, "value")]),
    ("bare host:port", "redis:6379", True, [("redis", None, False, "port")]),
    ("bare url", "http://redis:6379", True, [("redis", None, False, "url")]),
    ("bare whole", "redis", True, [("redis", None, False, "value")]),
    ("bare after key", "REDIS_HOST=redis", True, [("redis", None, False, "value")]),
    ("quoted", '"redis:6379"', True, [("redis", None, False, "port")]),
    (
        "user and password",
        "postgres://app:s3cr3t@db.platform:5432/app",
        True,
        [("db", "platform", False, "url")],
    ),
    ("user only", "postgres://app@db.platform/app", True, [("db", "platform", False, "url")]),
    ("path after host", "http://api.shop.svc/v1/health", True, [("api", "shop", True, "url")]),
    (
        "two in one line",
        "a=http://a.x.svc:80,b=http://b.y.svc:80",
        True,
        [("a", "x", True, "url"), ("b", "y", True, "url")],
    ),
    (
        "yaml file line",
        "  url: http://loki.monitoring.svc:3100/loki/api/v1/push",
        True,
        [("loki", "monitoring", True, "url")],
    ),
    # every value of a pair is a candidate: the rule keeps those under a key that says host
    (
        "libpq pairs",
        "host=db port=5432 dbname=shop",
        True,
        [("db", None, False, "value"), ("shop", None, False, "value")],
    ),
    (
        "query string",
        "jdbc:x://h.z/?host=db&ssl=1",
        True,
        [("h", "z", False, "url"), ("db", None, False, "value")],
    ),
    # near misses
    ("comment with a name", "# see prometheus-server docs", True, []),
    ("commented-out config", "# url: http://prometheus.monitoring.svc:9090", True, []),
    ("semicolon comment", "; redis.shop.svc", True, []),
    ("slash comment", "// http://redis:6379", True, []),
    ("bare word in prose", "ask the redis team", True, []),
    ("bare argument", "redis", False, []),
    ("external host", "https://api.example.com/v2", True, []),
    ("three labels not svc", "smtp.eu.mailgun.org", True, []),
    ("image tag", "redis:7", True, []),
    ("image tag two digits", "postgres:15", True, []),
    ("image tag with dots", "elasticsearch:8.11.0", True, []),
    ("image with registry", "docker.io/library/redis:6379", True, []),
    ("e-mail address", "ops@redis.shop", True, []),
    ("upper case", "Redis:6379", True, []),
    ("identifier", "redis_host", True, []),
    ("key, not value", "redis.shop=1", True, []),
    ("ip address", "10.0.0.1:8080", True, []),
    ("service must start with a letter", "http://1api.shop.svc", True, []),
    ("file name", "config.yaml", False, []),
    ("no letters", "12345", True, []),
    ("empty", "", True, []),
]


@pytest.mark.parametrize(("text", "whole", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hosts(text: str, whole: bool, want: list[tuple[str, str | None, bool, str]]) -> None:
    assert [(h.service, h.namespace, h.cluster, h.placed) for h in hosts(text, whole=whole)] == want


def test_a_file_reads_every_line_but_no_bare_whole_line() -> None:
    text = "cache:\n  url: redis://redis.shop.svc:6379\nredis\nDB_HOST=postgres\n"
    found = hosts(text)
    assert [(h.service, h.placed, h.key, h.line) for h in found] == [
        ("redis", "url", "", "url: redis://redis.shop.svc:6379"),
        ("postgres", "value", "DB_HOST", "DB_HOST=postgres"),
    ]


def test_key_of_a_url_value() -> None:
    (host,) = hosts("DATABASE_URL=postgres://u@db.platform:5432")
    assert host.key == "DATABASE_URL"


def test_key_of_one_pair_among_several() -> None:
    found = hosts("dbname=shop host=db sslmode=disable")
    assert [(h.service, h.key) for h in found] == [("shop", "dbname"), ("db", "host"), ("disable", "sslmode")]


def host(service: str, namespace: str | None, cluster: bool) -> Host:
    return Host(service, service, namespace, cluster, "value", "", service)


@pytest.mark.parametrize(
    ("candidate", "want"),
    [
        (host("redis", "shop", True), ("shop", "redis")),
        (host("redis", "elsewhere", True), ("elsewhere", "redis")),  # .svc: in-cluster anyway
        (host("api", "shop", False), ("shop", "api")),
        (host("api", "example", False), None),  # api.example: no namespace example
        (host("redis", None, False), ("web", "redis")),
        (host("memcached", None, False), None),  # no Service memcached in web
    ],
)
def test_in_cluster(candidate: Host, want: tuple[str, str] | None) -> None:
    services = {("web", "redis"), ("shop", "api")}
    assert in_cluster(candidate, "web", {"web", "shop"}, lambda ns, name: (ns, name) in services) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("postgres://app:s3cr3t@db:5432/x", "postgres://app:***@db:5432/x"),
        (
            "amqp://guest:guest@rabbit:5672 and redis://:pw@redis:6379",
            "amqp://guest:***@rabbit:5672 and redis://:***@redis:6379",
        ),
        ("http://user@host/x", "http://user@host/x"),
        ("no url here", "no url here"),
    ],
)
def test_mask_password(text: str, want: str) -> None:
    assert mask_password(text) == want


@given(st.text(max_size=300))
def test_any_text_never_raises_and_gives_rfc1123_services(text: str) -> None:
    for found in hosts(text):
        assert found.service[0].isalpha() and len(found.service) <= 63
        assert found.service == found.service.lower()


def test_linear_on_a_large_text() -> None:
    """A 2 MB ConfigMap of URLs (dashboards JSON), every line a hit, is read whole (in about a
    second on an idle machine: the speed is bench/run.py's to measure, this only guards against
    a hang, e.g. a regular expression gone quadratic)."""
    line = '{"url": "http://grafana.monitoring.svc:3000/d/abc", "title": "node exporter full"},\n'
    text = line * (2_000_000 // len(line))
    start = time.perf_counter()
    found = hosts(text)
    elapsed = time.perf_counter() - start
    assert len(found) == text.count("\n")
    assert elapsed < 120, f"took {elapsed:.1f} s: hung?"  # a guard, not a speed target


def test_adversarial_text_is_not_quadratic() -> None:
    """Long runs of label characters and dots make no backtracking blow-up (about 0.07 s on an
    idle machine; a quadratic scan of these 1.5 MB would take hours: the bound only guards
    against that hang, speed is bench/run.py's to measure)."""
    text = ("a" * 70 + ".") * 20_000 + "-" * 100_000
    start = time.perf_counter()
    hosts(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 120, f"took {elapsed:.1f} s: hung?"  # a guard, not a speed target

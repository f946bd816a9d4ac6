"""Resource quantities read as the API server reads them, and a Pod's effective requests."""

from __future__ import annotations

from fractions import Fraction

import pytest

from analyzer.model.quantity import (
    container_requests,
    describe,
    format_quantity,
    millis,
    parse_quantity,
    pod_requests,
    summed_requests,
)

Ki, Mi, Gi = 1024, 1024**2, 1024**3


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("100m", Fraction(1, 10)),
        ("0.5", Fraction(1, 2)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        ("1", Fraction(1)),
        (1, Fraction(1)),
        (0.25, Fraction(1, 4)),
        (0.1, Fraction(1, 10)),
        ("2Gi", Fraction(2 * Gi)),
        ("512Mi", Fraction(512 * Mi)),
        ("1.5Ki", Fraction(1536)),
        ("1G", Fraction(10**9)),
        ("1k", Fraction(1000)),
        ("1E", Fraction(10**18)),
        ("1e3", Fraction(1000)),
        ("1E3", Fraction(1000)),
        ("1.5e-3", Fraction(3, 2000)),
        ("250u", Fraction(1, 4000)),
        ("3n", Fraction(3, 10**9)),
        ("+2", Fraction(2)),
        ("-1", Fraction(-1)),
    ],
)
def test_quantities_read_exactly(text: object, amount: Fraction) -> None:
    assert parse_quantity(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x",
        "1.5x",
        "Ki",
        "1 Gi",
        "1gi",
        "1KI",
        "1e",
        "--1",
        "1..5",
        "1e99999999",
        True,
        None,
        [],
        {"a": 1},
        float("nan"),
    ],
)
def test_invalid_quantities_give_none(text: object) -> None:
    assert parse_quantity(text) is None


def test_millis_round_up_like_milli_value() -> None:
    assert millis(Fraction(1, 10)) == 100
    assert millis(Fraction(1, 3000)) == 1
    assert millis(Fraction(2)) == 2000


@pytest.mark.parametrize(
    ("resource", "amount", "text"),
    [
        ("cpu", Fraction(1, 10), "100m"),
        ("cpu", Fraction(2), "2"),
        ("cpu", Fraction(3, 2), "1500m"),
        ("memory", Fraction(512 * Mi), "512Mi"),
        ("memory", Fraction(3 * Gi, 2), "1536Mi"),
        ("memory", Fraction(10**9), "953.7Mi"),
        ("memory", Fraction(100), "100"),
        ("ephemeral-storage", Fraction(20 * Gi), "20Gi"),
        ("pods", Fraction(110), "110"),
        ("nvidia.com/gpu", Fraction(1, 2), "0.5"),
    ],
)
def test_format_for_messages(resource: str, amount: Fraction, text: str) -> None:
    assert format_quantity(resource, amount) == text


def test_describe_sorts_by_name() -> None:
    assert describe({"memory": Fraction(Gi), "cpu": Fraction(1, 2)}) == "cpu 500m, memory 1Gi"
    assert describe({}) == "nothing"


def test_a_limit_without_a_request_is_requested() -> None:
    container = {"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "250m"}}}
    assert container_requests(container) == {"cpu": Fraction(1, 4), "memory": Fraction(Gi)}


def test_unparsable_and_wrongly_typed_resources_are_left_out() -> None:
    assert container_requests({"resources": {"requests": {"cpu": "lots", "memory": "1Mi"}}}) == {
        "memory": Fraction(Mi)
    }
    assert container_requests({"resources": "big"}) == {}
    assert pod_requests({"containers": "nope", "initContainers": [None, 3]}) == {}


def test_pod_requests_sum_containers_and_take_the_largest_init_container() -> None:
    spec = {
        "containers": [
            {"name": "a", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
            {"name": "b", "resources": {"requests": {"cpu": "200m"}}},
        ],
        "initContainers": [
            {"name": "migrate", "resources": {"requests": {"cpu": "1", "memory": "64Mi"}}},
            {"name": "seed", "resources": {"requests": {"memory": "1Gi"}}},
        ],
        "overhead": {"cpu": "10m"},
    }
    assert pod_requests(spec) == {"cpu": Fraction(1) + Fraction(1, 100), "memory": Fraction(Gi)}


def test_sidecar_init_containers_add_to_the_sum_and_to_later_init_containers() -> None:
    spec = {
        "initContainers": [
            {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "500m"}}},
            {"name": "migrate", "resources": {"requests": {"cpu": "1"}}},
        ],
        "containers": [{"name": "app", "resources": {"requests": {"cpu": "1"}}}],
    }
    # containers 1 + sidecar 0.5 = 1.5; init peak: migrate 1 + the sidecar running beside it 0.5 = 1.5
    assert pod_requests(spec) == {"cpu": Fraction(3, 2)}
    spec["initContainers"][1]["resources"] = {"requests": {"cpu": "2"}}  # type: ignore[index]
    assert pod_requests(spec) == {"cpu": Fraction(5, 2)}


def test_summed_requests_add_pods_exactly_and_count_them() -> None:
    def pod(cpu: str, memory: str) -> dict[str, object]:
        return {"containers": [{"name": "a", "resources": {"requests": {"cpu": cpu, "memory": memory}}}]}

    specs = [pod("100m", "1Gi"), pod("100m", "1Gi"), pod("250m", "0.5Mi"), pod("1e-12", "1")]
    total, count = summed_requests(specs)
    assert count == 4
    # a pico-core is finer than the nano-units the sum is kept in: still exact
    assert total == {"cpu": Fraction(45, 100) + Fraction(1, 10**12), "memory": Fraction(2 * Gi + Mi // 2 + 1)}
    assert total == {k: sum(pod_requests(s).get(k, Fraction(0)) for s in specs) for k in ("cpu", "memory")}
    assert summed_requests([]) == ({}, 0)

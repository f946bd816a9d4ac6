"""Deterministic identity: uids, generated name suffixes, hex ids and timestamps.

Two sources, both reproducible: a seeded :class:`random.Random` stream (``random_*``: the values
depend on the order of the draws) or a hash of the object's identity (``hashed*``: the values
depend only on the parts given).
"""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from datetime import datetime, timedelta

NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
"""The alphabet of the suffixes Kubernetes generates (``generateName``, pod-template-hash)."""
HEX = "0123456789abcdef"
DIGITS = "0123456789"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def random_uid(rng: random.Random) -> str:
    """A version 4 UUID made of 128 bits of ``rng``."""
    x = f"{rng.getrandbits(128):032x}"
    return f"{x[:8]}-{x[8:12]}-4{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:]}"


def random_suffix(rng: random.Random, n: int = 5) -> str:
    """``n`` characters of :data:`NAME_ALPHABET`, as in a pod name ``web-7d9f8-x2k4q``."""
    return "".join(rng.choices(NAME_ALPHABET, k=n))


def random_hex(rng: random.Random, n: int = 64) -> str:
    """``n`` hex digits (64: a sha256 digest, a container id)."""
    return f"{rng.getrandbits(4 * n):0{n}x}"


def hashed(*parts: object, n: int = 10, alphabet: str = NAME_ALPHABET) -> str:
    """``n`` characters of ``alphabet`` (at most 32) drawn from the sha256 of the parts."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:n])


def hashed_int(*parts: object, n: int) -> int:
    """A number of ``n`` decimal digits (leading zeros dropped) drawn from the sha256 of the parts."""
    return int(hashed(*parts, n=n, alphabet=DIGITS))


def hashed_uid(*parts: object) -> str:
    """A UUID made of the md5 of the parts."""
    return str(uuid.UUID(bytes=hashlib.md5("/".join(map(str, parts)).encode()).digest()))


def b64(text: str) -> str:
    """``text`` as a Secret's ``data`` holds it."""
    return base64.b64encode(text.encode()).decode()


class Clock:
    """Timestamps as the API server writes them (``2025-01-06T08:00:00Z``), counted from ``start``
    (UTC, naive)."""

    def __init__(self, start: datetime) -> None:
        self.start = start

    @classmethod
    def from_epoch(cls, seconds: int) -> Clock:
        """A clock whose time 0 is ``seconds`` after the Unix epoch."""
        return cls(datetime(1970, 1, 1) + timedelta(seconds=seconds))

    def at(self, seconds: float = 0, *, days: float = 0, minutes: float = 0) -> str:
        """The timestamp ``days``, ``minutes`` and ``seconds`` after the start."""
        return (self.start + timedelta(days=days, minutes=minutes, seconds=seconds)).strftime(TIME_FORMAT)

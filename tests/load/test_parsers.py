"""The parsers behind one protocol (analyzer.load.parsers): every registered parser reads any
text without raising, and where two languages meet they agree. JSON is YAML: the JSON parser
and PyYAML give the same documents, lines and List item lines for kubectl's JSON (pretty and
minified), built from the shipped fixtures and, when present, for every JSON file of the corpus.
"""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import CORPUS, REPO
from parser_kit import disagreement, outcome

from analyzer.load.decode import decode
from analyzer.load.parsers import PARSERS, ParsedDoc, ParseFailure

FIXTURES = REPO / "fixtures"


def fixture_lists() -> list[tuple[str, object]]:
    """Each fixture YAML file as the value kubectl would print with -o json (kubesnap's own
    configuration files, ``*.kubesnap.yaml``, are not kubectl output)."""
    out = []
    for path in sorted(FIXTURES.rglob("*.yaml")):
        if path.name.endswith("kubesnap.yaml"):
            continue
        out.append((str(path.relative_to(REPO)), yaml.safe_load(path.read_text(encoding="utf-8"))))
    return out


@pytest.mark.parametrize("indent", [4, 2, None], ids=["kubectl", "indent-2", "minified"])
@pytest.mark.parametrize(("name", "value"), fixture_lists(), ids=lambda v: v if isinstance(v, str) else "")
def test_json_and_yaml_read_kubectl_json_alike(name: str, value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent) + "\n"
    problem = disagreement(text, PARSERS["json"], PARSERS["pyyaml"], failures=False)
    assert problem is None, problem[:3000]
    (doc,) = outcome(PARSERS["json"](text))
    assert isinstance(value, dict) and doc[3] and len(doc[3]) == len(value["items"])


def test_json_and_yaml_read_the_corpus_json_alike() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent (a clone used outside the kubesnap workspace)")
    problems, compared = [], 0
    for path in sorted(CORPUS.rglob("*.json")):
        text, _ = decode(path.read_bytes())
        if text is None or len(text) > 2_000_000:  # PyYAML reads about 1 MB/s
            continue
        json_docs = PARSERS["json"](text)
        if any(isinstance(d, ParseFailure) for d in json_docs):
            continue  # not JSON (or broken): nothing to compare
        compared += 1
        problem = disagreement(text, PARSERS["json"], PARSERS["pyyaml"], failures=False)
        if problem is not None:
            problems.append(f"{path.relative_to(CORPUS)}: {problem[:500]}")
    assert compared > 100
    assert not problems, "\n".join(problems[:5])


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01", "{", "[1,", "a: [", "- - -", '{"a": 1}{"b"', "\ufeff", "%YAML 9\n---\n", "\u2028" * 3],
)
def test_every_parser_reads_anything_without_raising(name: str, text: str) -> None:
    docs = list(PARSERS[name](text))
    assert all(isinstance(d, ParsedDoc | ParseFailure) for d in docs)
    assert all(d.line is None or d.line >= 1 for d in docs)


def test_the_registry_names_each_parser_once() -> None:
    assert set(PARSERS) == {"yaml", "pyyaml", "json"}

"""docs/usage.md's sections on profiles and the target Kubernetes version say what the code does:
their configuration example is valid, the version they name is the newest kubesnap knows, and an
unquoted version is refused as they warn."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from analyzer.config import Config, load_config
from analyzer.errors import KubesnapError
from analyzer.model.versions import NEWEST

USAGE = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")
CONFIGURATION = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = USAGE.index(f"\n## {title}\n")
    end = USAGE.find("\n## ", start + 1)
    return USAGE[start:end]


def test_the_profiles_example_is_a_valid_configuration() -> None:
    (block,) = re.findall(r"```yaml\n(.*?)```", _section("Which rules run: profiles"), re.S)
    config = Config.model_validate(yaml.safe_load(block))
    assert config.profile == "strict"
    assert {rule: c.enabled for rule, c in config.rules.items()} == {
        "pdb-missing": True,
        "image-latest-tag": False,
    }


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_version_named_as_default_is_the_newest_kubesnap_knows() -> None:
    section = _words(_section("The Kubernetes version rules judge against"))
    assert f"Else {NEWEST}, the newest Kubernetes release kubesnap knows" in section
    assert f"else {NEWEST}." in CONFIGURATION


def test_an_unquoted_version_is_refused_as_the_docs_warn(tmp_path: Path) -> None:
    section = _words(_section("The Kubernetes version rules judge against"))
    assert "unquoted, YAML reads `1.30` as the number 1.3, and the configuration is refused" in section
    (tmp_path / "cfg.yaml").write_text("kube_version: 1.30\n", encoding="utf-8")
    quote = r'kube_version: write the version in quotes, kube_version: "1\.3"'
    with pytest.raises(KubesnapError, match=quote):
        load_config(tmp_path / "cfg.yaml")
    (tmp_path / "cfg.yaml").write_text('kube_version: "1.30"\n', encoding="utf-8")
    assert str(load_config(tmp_path / "cfg.yaml").target_version()) == "1.30"

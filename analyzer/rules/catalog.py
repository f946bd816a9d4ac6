"""Find, read and validate rule files: the built-in catalogue and user folders (``--rules``).

A built-in rule must write ``category`` (its folder), ``hint`` and ``docs``; a rule of your own
needs only ``id``, ``title``, ``severity``, ``applies_to`` and its ``check`` or ``validations``
(whose expressions are all compiled here: :mod:`analyzer.rules.cel.rule`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from analyzer.errors import KubesnapError
from analyzer.rules.kinds import Kinds
from analyzer.rules.messages import OBJECT_FIELDS, PLACEHOLDER, placeholders, stray_braces
from analyzer.rules.predicates import PREDICATES, Predicate, PredicateParams
from analyzer.rules.schema import RuleSpec

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: the same documents, read ten times faster (the catalogue
is read on every run: 0.15 s of a pre-commit hook's start-up with the pure-Python loader)."""

TEST_SUFFIX = ".test.yaml"
BUILTIN_REQUIRED = ("category", "hint", "docs")
"""What a built-in rule must write and a rule of your own may leave out."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule instance: its file, its predicate and the params it gives it. What it may apply
    to and the facts its message may use follow from the predicate and those params."""

    spec: RuleSpec
    path: Path
    predicate: Predicate
    params: PredicateParams

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kinds(self) -> Kinds:
        """The kinds the predicate can judge with these params (``applies_to`` is within them)."""
        return self.predicate.kinds_for(self.params)

    @property
    def facts(self) -> frozenset[str]:
        """The facts every hit provides to the message and hint, besides ``{object…}``."""
        return self.predicate.facts_for(self.params)


def builtin_rules_dir() -> Path:
    """The packaged copy of ``rules/`` when installed, the repository folder in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "builtin_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def rule_files(directory: Path) -> list[Path]:
    """Every rule file below ``directory`` (test files and READMEs excluded), sorted."""
    return sorted(p for p in directory.rglob("*.yaml") if not p.name.endswith(TEST_SUFFIX) and p.is_file())


def load_catalog(extra_dirs: Sequence[Path] = (), builtin: bool = True) -> list[Rule]:
    """Built-in rules, then user rules; ids must be unique across all of them."""
    rules: list[Rule] = []
    dirs: list[tuple[Path, bool]] = [(builtin_rules_dir(), True)] if builtin else []
    for extra in extra_dirs:
        if not extra.is_dir():
            raise KubesnapError(f"--rules {extra}: not a directory")
        dirs.append((extra, False))
    seen: dict[str, Path] = {}
    for directory, is_builtin in dirs:
        for path in rule_files(directory):
            rule = _builtin_rule(path) if is_builtin else load_rule_file(path)
            if rule.id in seen:
                raise KubesnapError(f"{path}: rule id {rule.id!r} is already defined in {seen[rule.id]}")
            seen[rule.id] = path
            rules.append(rule)
    return rules


_BUILTIN: dict[Path, tuple[tuple[int, int], Rule]] = {}
"""Built-in rules read once per process (a Rule is immutable; each analysis loads the catalogue),
read again when the file changes."""


def _builtin_rule(path: Path) -> Rule:
    stat = path.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    found = _BUILTIN.get(path)
    if found is None or found[0] != version:
        found = _BUILTIN[path] = (version, load_rule_file(path, category_is_folder=True))
    return found[1]


def load_rule_file(path: Path, category_is_folder: bool = False) -> Rule:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KubesnapError(f"{path}: cannot read rule file: {_one_line(exc)}") from None
    if not isinstance(data, dict):
        raise KubesnapError(f"{path}: a rule file must be a mapping")
    rule_id = data.get("id", path.stem)
    try:
        spec = RuleSpec.model_validate(data)
    except ValidationError as exc:
        raise KubesnapError(f"{path}: rule {rule_id!r}: {_describe(exc)}") from None
    where = f"{path}: rule {spec.id!r}"
    if spec.id != path.name.removesuffix(".yaml"):
        raise KubesnapError(f"{where}: id must equal the file name ({path.name})")
    if category_is_folder and spec.category != path.parent.name:
        raise KubesnapError(f"{where}: category {spec.category!r} must equal its folder {path.parent.name!r}")
    if category_is_folder:
        absent = [f for f in BUILTIN_REQUIRED if f not in data]
        if absent:
            raise KubesnapError(f"{where}: field {absent[0]!r}: required for a built-in rule")
    if spec.is_cel:
        if category_is_folder:  # built-in: compiled when it first runs (start-up)
            from analyzer.rules.cel.predicate import deferred_predicate as make
        else:  # the user's own: compiled now, its errors reported at load
            from analyzer.rules.cel.rule import cel_predicate as make

        cel, cel_params = make(where, spec)
        rule = Rule(spec, path, cel, cel_params)
        check_instance(where, rule)
        return rule
    predicate = PREDICATES.get(spec.check.predicate)
    if predicate is None:
        known = ", ".join(sorted(PREDICATES))
        raise KubesnapError(
            f"{where}: field 'check.predicate': unknown predicate {spec.check.predicate!r} (known: {known})"
        )
    try:
        params = predicate.params.model_validate(spec.check.params)
    except ValidationError as exc:
        raise KubesnapError(f"{where}: {_describe(exc, prefix='check.params')}") from None
    rule = Rule(spec, path, predicate, params)
    check_instance(where, rule)
    return rule


def check_instance(where: str, rule: Rule) -> None:
    """What only the predicate with its params can tell: the kinds of ``applies_to`` are ones
    it can judge, and every placeholder of the message and hint is a fact it provides."""
    kinds = rule.kinds
    for pattern in rule.spec.applies_to:
        if not kinds.judges(pattern):
            raise KubesnapError(
                f"{where}: field 'applies_to': predicate {rule.predicate.name!r} cannot judge "
                f"{pattern} (it judges: {kinds.describe()})"
            )
    facts = rule.facts
    odd = sorted(f for f in facts if f in OBJECT_FIELDS or not PLACEHOLDER.fullmatch("{" + f + "}"))
    if odd:
        raise KubesnapError(f"{where}: field 'check': fact {odd[0]!r} is not a valid placeholder name")
    _check_placeholders(where, rule.spec, facts | OBJECT_FIELDS)


def _check_placeholders(where: str, spec: RuleSpec, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for field in ("message", "hint"):
        template = getattr(spec, field)
        unknown = sorted(placeholders(template) - allowed)
        if unknown:
            raise KubesnapError(
                f"{where}: field {field!r}: unknown placeholder {{{unknown[0]}}} "
                f"(this rule provides: {', '.join(sorted(allowed))})"
            )
        if stray_braces(template):
            raise KubesnapError(f"{where}: field {field!r}: a brace that is not a {{placeholder}}")


def _describe(exc: ValidationError, prefix: str = "") -> str:
    parts = []
    # Unknown fields first: a typo is the likeliest cause of the other errors.
    for err in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
        loc = ".".join(str(p) for p in ((prefix,) if prefix else ()) + tuple(err["loc"]))
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"field {loc!r}: {msg}" if loc else msg.removeprefix("Value error, "))
    return "; ".join(parts)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())

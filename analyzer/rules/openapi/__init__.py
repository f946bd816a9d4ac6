"""Schema validation of the built-in kinds against the OpenAPI of a Kubernetes version, offline.

``data/`` holds a compact form of the schemas of Kubernetes 1.25 to 1.37 (built by
tools/schemas/build.py; provenance in data/README.md); :mod:`.schemas` loads one version when a
rule first asks for it, :mod:`.validate` walks an object against it and lists its
:class:`~analyzer.rules.openapi.validate.Problem` s (wrong types, values outside an enum,
required fields missing, unknown fields); :mod:`.paths` spells and reads the JSON paths they
carry.
"""

from analyzer.rules.openapi.schemas import KindSchemas, schemas_for
from analyzer.rules.openapi.validate import Check, Problem, validate

__all__ = ["Check", "KindSchemas", "Problem", "schemas_for", "validate"]

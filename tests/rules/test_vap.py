"""ValidatingAdmissionPolicies evaluated offline: policies and bindings as a repository holds
them, judged on the snapshot's objects as the API server would judge their CREATE, with the
API server's message; near misses; what cannot be decided offline as a coverage note."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, graph_from_yaml, run_cli

from analyzer.rules.finding import CoverageNote, Finding, Severity
from analyzer.rules.vap import evaluate_policies

REPLICA_LIMIT = """
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replica-limit}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: "object.spec.replicas <= 5"
      message: "replicas must be no greater than 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replica-limit-prod}
spec:
  policyName: replica-limit
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {env: prod}
"""


def namespace(name: str, **labels: str) -> str:
    return f"""
---
apiVersion: v1
kind: Namespace
metadata: {{name: {name}, labels: {json.dumps(labels)}}}
"""


def deployment(name: str, ns: str, replicas: int = 1, **labels: str) -> str:
    return f"""
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {ns}, labels: {json.dumps(labels)}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: app, image: "nginx:1.27"}}]}}
"""


def config_map(name: str, ns: str, data: dict[str, str], **labels: str) -> str:
    return f"""
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: {name}, namespace: {ns}, labels: {json.dumps(labels)}}}
data: {json.dumps(data)}
"""


def policy(
    name: str,
    validations: str,
    *,
    operations: str = "[CREATE]",
    extra: str = "",
    failure: str = "Fail",
    rules_extra: str = "",
) -> str:
    """A policy on apps/v1 Deployments; ``extra`` is more of its spec (indented two spaces)."""
    return f"""
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: {name}}}
spec:
  failurePolicy: {failure}
  matchConstraints:
    resourceRules:
      - {{apiGroups: [apps], apiVersions: [v1], operations: {operations}, resources: [deployments]}}
{rules_extra}{extra}  validations:
{validations}"""


def binding(name: str, policy_name: str, actions: str = "[Deny]", extra: str = "") -> str:
    return f"""
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: {name}}}
spec:
  policyName: {policy_name}
  validationActions: {actions}
{extra}"""


def run(text: str) -> tuple[list[Finding], list[CoverageNote]]:
    results = evaluate_policies(graph_from_yaml(text))
    return results.findings, results.coverage


def judged(text: str) -> list[tuple[str, str, Severity, str]]:
    """(rule, object, severity, message) of each finding."""
    findings, _ = run(text)
    return [(f.rule, f.object.display(), f.severity, f.message) for f in findings]


# --- matchConstraints and the binding's matchResources -------------------------------------------


def test_replica_limit_in_prod_namespaces_gives_the_api_servers_message() -> None:
    text = REPLICA_LIMIT + namespace("shop", env="prod") + deployment("web", "shop", replicas=7)
    findings, coverage = run(text)
    assert [(f.rule, f.object.display(), f.severity, f.message) for f in findings] == [
        (
            "vap/replica-limit",
            "Deployment/shop/web",
            Severity.ERROR,
            "ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-prod' denied request: "
            "replicas must be no greater than 5",
        )
    ]
    finding = findings[0]
    assert finding.location is not None and finding.location.line == 4  # the Deployment's document
    assert [r.display() for r in finding.related] == [
        "ValidatingAdmissionPolicy/replica-limit",
        "ValidatingAdmissionPolicyBinding/replica-limit-prod",
    ]
    assert finding.hint == "The API server would refuse to create this object (reason Invalid)."
    assert coverage == []


def test_replica_limit_near_misses_within_limit_and_outside_prod() -> None:
    text = (
        REPLICA_LIMIT
        + namespace("shop", env="prod")
        + namespace("lab", env="dev")
        + deployment("small", "shop", replicas=5)
        + deployment("big", "lab", replicas=9)
    )
    assert run(text) == ([], [])


def test_namespace_the_snapshot_lacks_is_not_evaluated_never_guessed() -> None:
    findings, coverage = run(REPLICA_LIMIT + deployment("web", "elsewhere", replicas=7))
    assert findings == []
    assert [c.describe() for c in coverage] == [
        "vap/replica-limit: 1 object(s) in namespace elsewhere not checked "
        "(first: Deployment/elsewhere/web): binding 'replica-limit-prod': its namespaceSelector "
        "needs the labels of Namespace elsewhere, which the snapshot lacks"
    ]


def test_namespace_name_label_is_known_without_the_namespace() -> None:
    selector = (
        "  matchResources:\n    namespaceSelector:\n      matchLabels: {kubernetes.io/metadata.name: shop}\n"
    )
    text = policy("limit", '    - expression: "object.spec.replicas <= 5"\n') + binding(
        "b", "limit", extra=selector
    )
    found = judged(text + deployment("web", "shop", replicas=7) + deployment("web", "other", replicas=7))
    assert [(rule, obj) for rule, obj, _, _ in found] == [("vap/limit", "Deployment/shop/web")]


def test_binding_object_selector_and_resource_names_intersect_the_policy() -> None:
    objects = "  matchResources:\n    objectSelector:\n      matchLabels: {tier: web}\n"
    text = policy("limit", '    - expression: "object.spec.replicas <= 5"\n') + binding(
        "b", "limit", extra=objects
    )
    text += deployment("front", "shop", replicas=7, tier="web") + deployment(
        "db", "shop", replicas=7, tier="db"
    )
    assert [obj for _, obj, _, _ in judged(text)] == ["Deployment/shop/front"]
    named = policy(
        "named",
        '    - expression: "object.spec.replicas <= 5"\n',
        rules_extra="      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], "
        "resources: [statefulsets]}\n",
    ).replace("resources: [deployments]}", "resources: [deployments], resourceNames: [db]}")
    found = judged(
        named + binding("b", "named") + deployment("front", "shop", 7) + deployment("db", "shop", 7)
    )
    assert [obj for _, obj, _, _ in found] == ["Deployment/shop/db"]


def test_exclude_resource_rules_spare_the_excluded_object() -> None:
    exclude = (
        "    excludeResourceRules:\n"
        "      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], "
        "resourceNames: [legacy]}\n"
    )
    text = policy("limit", '    - expression: "object.spec.replicas <= 5"\n', rules_extra=exclude)
    text += binding("b", "limit") + deployment("legacy", "shop", 9) + deployment("fresh", "shop", 9)
    assert [obj for _, obj, _, _ in judged(text)] == ["Deployment/shop/fresh"]


def test_update_only_policy_is_reported_not_evaluated() -> None:
    text = policy("limit", '    - expression: "object.spec.replicas <= 5"\n', operations="[UPDATE]")
    findings, coverage = run(text + binding("b", "limit") + deployment("web", "shop", 9))
    assert findings == []
    assert [
        (c.rule, c.subject and c.subject.display(), c.namespace, c.objects, c.reason) for c in coverage
    ] == [
        (
            "vap/limit",
            "Deployment/shop/web",
            "shop",
            1,
            "binding 'b': it applies to Deployment on UPDATE only, not on CREATE: "
            "a snapshot holds no such request",
        )
    ]
    both = policy("limit", '    - expression: "object.spec.replicas <= 5"\n', operations="[UPDATE, CREATE]")
    assert run(both + binding("b", "limit") + deployment("web", "shop", 9))[1] == []


def test_other_resources_and_subresource_rules_do_not_match() -> None:
    text = policy("limit", '    - expression: "object.spec.replicas <= 5"\n').replace(
        "resources: [deployments]", "resources: [deployments/scale, statefulsets]"
    )
    assert run(text + binding("b", "limit") + deployment("web", "shop", 9)) == ([], [])
    wildcard = text.replace("resources: [deployments/scale, statefulsets]", "resources: ['*/*']")
    assert len(judged(wildcard + binding("b", "limit") + deployment("web", "shop", 9))) == 1


def test_match_policy_exact_compares_the_version_equivalent_does_not() -> None:
    text = policy("limit", '    - expression: "object.spec.replicas <= 5"\n').replace(
        "apiVersions: [v1]", "apiVersions: [v1beta2]"
    )
    objects = binding("b", "limit") + deployment("web", "shop", 9)
    assert len(judged(text + objects)) == 1  # Equivalent, the default: converted to v1beta2
    exact = text.replace("    resourceRules:", "    matchPolicy: Exact\n    resourceRules:")
    assert judged(exact + objects) == []


def test_custom_kind_is_matched_by_the_plural_its_crd_declares() -> None:
    vap = """
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: widget-size}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}
  validations:
    - {expression: "object.spec.size < 10", message: too big}
"""
    widget = """
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 12}
"""
    crd = """
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true}]
"""
    findings, coverage = run(vap + binding("b", "widget-size") + widget)
    assert findings == []
    assert [c.reason for c in coverage] == [
        "binding 'b': the resource name of example.com/v1 Widget is unknown "
        "(a kind no CRD of the input declares)"
    ]
    assert [f.object.display() for f in run(vap + binding("b", "widget-size") + widget + crd)[0]] == [
        "Widget/shop/w"
    ]


# --- params -------------------------------------------------------------------------------------

MAX_REPLICAS = policy(
    "max-replicas",
    '    - expression: "object.spec.replicas <= int(params.data.maxReplicas)"\n'
    "      messageExpression: \"object.metadata.name + ' asks for ' + string(object.spec.replicas) + "
    "' replicas, the limit is ' + params.data.maxReplicas\"\n",
    extra="  paramKind: {apiVersion: v1, kind: ConfigMap}\n",
)


def param_binding(ref: str) -> str:
    return binding("max-replicas-binding", "max-replicas", extra=f"  paramRef: {ref}\n")


def test_param_config_map_by_name() -> None:
    text = MAX_REPLICAS + param_binding("{name: limits, namespace: policy}")
    text += config_map("limits", "policy", {"maxReplicas": "3"}) + deployment("web", "shop", 4)
    assert judged(text + deployment("ok", "shop", 3)) == [
        (
            "vap/max-replicas",
            "Deployment/shop/web",
            Severity.ERROR,
            "ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: "
            "web asks for 4 replicas, the limit is 3",
        )
    ]


def test_param_per_namespace_and_by_selector() -> None:
    per_namespace = MAX_REPLICAS + param_binding("{name: limits, parameterNotFoundAction: Allow}")
    per_namespace += config_map("limits", "shop", {"maxReplicas": "3"}) + config_map("x", "lab", {})
    per_namespace += deployment("web", "shop", 4) + deployment("big", "lab", 40)
    assert [obj for _, obj, _, _ in judged(per_namespace)] == ["Deployment/shop/web"]
    selected = MAX_REPLICAS + param_binding("{namespace: policy, selector: {matchLabels: {kind: limit}}}")
    selected += config_map("strict", "policy", {"maxReplicas": "2"}, kind="limit")
    selected += config_map("loose", "policy", {"maxReplicas": "8"}, kind="limit")
    selected += config_map("other", "policy", {"maxReplicas": "1"}) + deployment("web", "shop", 4)
    assert [message.rsplit(": ", 1)[1] for _, _, _, message in judged(selected)] == [
        "web asks for 4 replicas, the limit is 2"
    ]


def test_param_not_found_follows_parameter_not_found_action() -> None:
    objects = config_map("unrelated", "policy", {}) + deployment("web", "shop", 4)
    denied = judged(MAX_REPLICAS + param_binding("{name: limits, namespace: policy}") + objects)
    assert [message for _, _, _, message in denied] == [
        "ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: "
        "no params found for policy binding with `Deny` parameterNotFoundAction"
    ]
    allowed = "{name: limits, namespace: policy, parameterNotFoundAction: Allow}"
    assert run(MAX_REPLICAS + param_binding(allowed) + objects) == ([], [])


def test_params_in_a_namespace_the_snapshot_does_not_hold_are_not_evaluated() -> None:
    findings, coverage = run(
        MAX_REPLICAS + param_binding("{name: limits, namespace: policy}") + deployment("w", "shop", 4)
    )
    assert findings == []
    assert [c.reason for c in coverage] == [
        "binding 'max-replicas-binding': its params (ConfigMap policy/limits) are not in the snapshot, "
        "which holds no ConfigMap in namespace policy"
    ]


# --- validationActions, reason, audit annotations ------------------------------------------------


def test_warn_and_audit_actions_give_warning_and_info() -> None:
    check = '    - {expression: "object.spec.replicas <= 5", message: too many replicas, reason: Forbidden}\n'
    text = policy("limit", check) + deployment("web", "shop", 9)
    warned, _ = run(text + binding("b", "limit", "[Warn]"))
    assert [(f.severity, f.message) for f in warned] == [
        (
            Severity.WARNING,
            "Validation failed for ValidatingAdmissionPolicy 'limit' with binding 'b': too many replicas",
        )
    ]
    audited, _ = run(text + binding("b", "limit", "[Audit]"))
    assert [f.severity for f in audited] == [Severity.INFO]
    denied, _ = run(text + binding("b", "limit", "[Deny, Audit]"))
    assert [(f.severity, f.hint) for f in denied] == [
        (Severity.ERROR, "The API server would refuse to create this object (reason Forbidden).")
    ]
    assert run(policy("limit", check) + deployment("web", "shop", 5) + binding("b", "limit", "[Warn]")) == (
        [],
        [],
    )


def test_audit_annotations_are_shown_with_the_finding() -> None:
    text = policy(
        "limit",
        '    - {expression: "object.spec.replicas <= 5", message: too many}\n',
        extra="  auditAnnotations:\n"
        '    - {key: replicas, valueExpression: "string(object.spec.replicas)"}\n'
        '    - {key: absent, valueExpression: "null"}\n',
    )
    findings, _ = run(text + binding("b", "limit") + deployment("web", "shop", 9))
    assert findings[0].hint is not None
    assert findings[0].hint.endswith("Audit annotations: limit/replicas=9.")


# --- messages -----------------------------------------------------------------------------------


def message_of(validation: str, replicas: int = 9) -> str:
    findings, _ = run(
        policy("limit", validation) + binding("b", "limit") + deployment("web", "shop", replicas)
    )
    assert len(findings) == 1
    return findings[0].message.split("denied request: ", 1)[1]


def test_message_expression_wins_and_falls_back_to_message() -> None:
    good = '    - expression: "object.spec.replicas <= 5"\n      message: static\n'
    assert (
        message_of(good + "      messageExpression: \"'asks ' + string(object.spec.replicas)\"\n") == "asks 9"
    )
    fails = good + '      messageExpression: "object.spec.missing"\n'
    assert message_of(fails) == "static"
    newline = good + "      messageExpression: \"'two\\\\nlines'\"\n"
    assert message_of(newline) == "static"
    empty = good + "      messageExpression: \"' '\"\n"
    assert message_of(empty) == "static"
    huge = good + "      messageExpression: \"'" + "x" * 5200 + "'\"\n"  # over 5 KiB
    assert message_of(huge) == "static"
    fits = good + "      messageExpression: \"'" + "x" * 5000 + "'\"\n"
    assert message_of(fits) == "x" * 5000


def test_without_message_the_api_server_says_failed_expression() -> None:
    assert (
        message_of('    - expression: "object.spec.replicas <= 5"\n')
        == "failed expression: object.spec.replicas <= 5"
    )
    failing = '    - {expression: "object.spec.replicas <= 5", messageExpression: "object.nope"}\n'
    assert message_of(failing) == "failed expression: object.spec.replicas <= 5"


def test_expression_error_follows_failure_policy() -> None:
    check = '    - {expression: "object.spec.strategy.rollingUpdate.maxSurge == 1", message: surge}\n'
    assert message_of(check).startswith(
        "expression 'object.spec.strategy.rollingUpdate.maxSurge == 1' resulted in error: "
    )
    ignored = policy("limit", check, failure="Ignore") + binding("b", "limit") + deployment("web", "shop", 9)
    assert run(ignored) == ([], [])


# --- matchConditions and variables --------------------------------------------------------------


def conditions(*expressions: str) -> str:
    return "  matchConditions:\n" + "".join(
        f'    - {{name: c{i}, expression: "{e}"}}\n' for i, e in enumerate(expressions)
    )


def test_match_condition_false_skips_the_object() -> None:
    check = '    - {expression: "object.spec.replicas <= 5", message: too many}\n'
    skip = conditions("!has(object.metadata.labels.legacy)")
    text = policy("limit", check, extra=skip) + binding("b", "limit")
    text += deployment("old", "shop", 9, legacy="yes") + deployment("new", "shop", 9)
    assert [obj for _, obj, _, _ in judged(text)] == ["Deployment/shop/new"]


def test_match_condition_error_follows_failure_policy_unless_another_is_false() -> None:
    check = '    - {expression: "object.spec.replicas <= 5", message: too many}\n'
    broken = "object.metadata.labels.team == 'x'"  # no labels.team: an error
    objects = binding("b", "limit") + deployment("web", "shop", 9)
    assert [m for _, _, _, m in judged(policy("limit", check, extra=conditions(broken)) + objects)] == [
        "ValidatingAdmissionPolicy 'limit' with binding 'b' denied request: matchCondition 'c0' resulted in "
        'error: Key not found in map : "team"'
    ]
    assert run(policy("limit", check, extra=conditions(broken, "false")) + objects) == ([], [])
    assert run(policy("limit", check, extra=conditions(broken), failure="Ignore") + objects) == ([], [])


def test_variables_are_lazy_and_ordered() -> None:
    variables = (
        "  variables:\n"
        '    - {name: unused, expression: "object.spec.nothing.here"}\n'
        '    - {name: replicas, expression: "object.spec.replicas"}\n'
        '    - {name: doubled, expression: "variables.replicas * 2"}\n'
    )
    check = '    - {expression: "variables.doubled <= 10", messageExpression: "string(variables.doubled)"}\n'
    text = policy("limit", check, extra=variables) + binding("b", "limit")
    assert message_of_text(text + deployment("web", "shop", 6)) == "12"
    assert run(text + deployment("web", "shop", 5)) == ([], [])
    failing = policy("limit", '    - {expression: "variables.unused == 1"}\n', extra=variables) + binding(
        "b", "limit"
    )
    assert message_of_text(failing + deployment("web", "shop", 5)).startswith(
        "expression 'variables.unused == 1' resulted in error: variable 'unused' resulted in error: "
    )


def message_of_text(text: str) -> str:
    findings, _ = run(text)
    assert len(findings) == 1
    return findings[0].message.split("denied request: ", 1)[1]


def test_kubernetes_libraries_quantity_and_regex() -> None:
    checks = (
        '    - expression: "object.spec.template.spec.containers.all(c, '
        "quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))\"\n"
        "      message: memory limit of 1Gi or more\n"
        '    - expression: "object.spec.template.spec.containers.all(c, '
        "c.image.matches('^registry.example.com/'))\"\n"
        "      message: image from another registry\n"
    )
    text = policy("limits", checks) + binding("b", "limits")

    def with_container(memory: str, image: str) -> str:
        return deployment("web", "shop").replace(
            '{name: app, image: "nginx:1.27"}',
            f'{{name: app, image: "{image}", resources: {{limits: {{memory: {memory}}}}}}}',
        )

    found = judged(text + with_container("2Gi", "nginx:1.27"))
    assert [m.rsplit(": ", 1)[1] for _, _, _, m in found] == [
        "memory limit of 1Gi or more",
        "image from another registry",
    ]
    assert judged(text + with_container("512Mi", "registry.example.com/web:1")) == []


# --- what only the API server knows -------------------------------------------------------------


def test_user_info_and_authorizer_are_not_evaluated() -> None:
    checks = (
        "    - {expression: \"request.userInfo.username != 'admin'\", message: no admins}\n"
        '    - {expression: "object.spec.replicas <= 5", message: too many}\n'
    )
    findings, coverage = run(policy("limit", checks) + binding("b", "limit") + deployment("web", "shop", 9))
    assert [f.message.rsplit(": ", 1)[1] for f in findings] == ["too many"]  # the other validation still runs
    assert [c.reason for c in coverage] == [
        "binding 'b': validations[0]: it reads request.userInfo, unknown offline"
    ]
    authorizer = conditions("authorizer.group('apps').resource('deployments').check('scale').allowed()")
    text = policy("limit", checks, extra=authorizer) + binding("b", "limit") + deployment("web", "shop", 9)
    findings, coverage = run(text)
    assert findings == []
    assert [c.reason for c in coverage] == [
        "binding 'b': matchCondition 'c0': it asks the authorizer, which is not offline"
    ]
    skipped = conditions("authorizer.group('apps').resource('deployments').check('scale').allowed()", "false")
    assert run(
        policy("limit", checks, extra=skipped) + binding("b", "limit") + deployment("web", "shop", 9)
    ) == (
        [],
        [],
    )  # another condition is false: the policy does not apply, whatever the authorizer says


def test_request_of_a_create_and_namespace_object() -> None:
    check = (
        "    - expression: \"request.operation == 'CREATE' && oldObject == null && "
        "namespaceObject.metadata.labels.env == 'prod'\"\n"
        "      message: created in prod\n"
    )
    rules = policy("create", check) + binding("b", "create")
    assert [
        obj for _, obj, _, m in judged(rules + namespace("shop", env="dev") + deployment("web", "shop"))
    ] == ["Deployment/shop/web"]
    assert run(rules + namespace("shop", env="prod") + deployment("web", "shop")) == ([], [])
    findings, coverage = run(policy("create", check) + binding("b", "create") + deployment("web", "nowhere"))
    assert findings == []
    assert [c.reason for c in coverage] == [
        "binding 'b': validations[0]: it reads namespaceObject, a Namespace the snapshot lacks"
    ]


def test_secret_values_are_never_guessed() -> None:
    vap = """
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: secrets}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
  validations:
    - {expression: "object.data.password.size() > 40", message: short password}
    - {expression: "object.type != 'Opaque'", message: opaque}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
data: {password: aHVudGVyMg==}
"""
    findings, coverage = run(vap + binding("b", "secrets"))
    assert [f.message.rsplit(": ", 1)[1] for f in findings] == ["opaque"]
    assert [c.reason for c in coverage] == [
        "binding 'b': validations[0]: it reads object.data, "
        "the values of a Secret, which kubesnap never keeps"
    ]
    assert all("aHVudGVyMg" not in f.message for f in findings)


# --- invalid policies, and the command line -----------------------------------------------------


def test_policy_that_does_not_compile_is_reported_with_its_location() -> None:
    text = policy("limit", '    - expression: "object.spec.replicas <="\n') + binding("b", "limit")
    findings, coverage = run(text + deployment("web", "shop", 9))
    assert findings == []
    assert len(coverage) == 1
    assert (
        coverage[0]
        .describe()
        .startswith(
            "vap/limit: 0 object(s) in the snapshot not checked: test.yaml:1: "
            "ValidatingAdmissionPolicy 'limit' is invalid: validations[0].expression: 1:"
        )
    )


def test_binding_to_a_policy_absent_from_the_input_does_nothing() -> None:
    assert run(binding("b", "elsewhere") + deployment("web", "shop", 9)) == ([], [])


def test_check_policies_option(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "replicas.yaml").write_text(REPLICA_LIMIT, encoding="utf-8")
    kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [replicas.yaml]\n"
    )
    (tmp_path / "policies" / "kustomization.yaml").write_text(kustomization, encoding="utf-8")
    app = tmp_path / "app.yaml"
    app.write_text(namespace("shop", env="prod") + deployment("web", "shop", 7) + deployment("x", "gone", 9))
    code, output = run_cli(["check", str(app), "--policies", str(tmp_path / "policies"), "--format", "json"])
    assert code == 1
    report = json.loads(output)
    assert [(f["rule"], f["object"]["name"]) for f in report["findings"] if f["rule"].startswith("vap/")] == [
        ("vap/replica-limit", "web")
    ]
    vap_notes = [c for c in report["coverage"] if c["rule"].startswith("vap/")]
    assert vap_notes == [
        {
            "rule": "vap/replica-limit",
            "kind": "",
            "namespace": "gone",
            "objects": 1,
            "reason": "binding 'replica-limit-prod': its namespaceSelector needs the labels of Namespace "
            "gone, which the snapshot lacks",
            "object": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "gone", "name": "x"},
        }
    ]
    code, output = run_cli(["check", str(app), "--fail-on", "never"])
    assert code == 0 and "vap/" not in output  # without --policies: nothing bound
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [\n", encoding="utf-8")
    code, output = run_cli(["check", str(app), "--policies", str(bad)])
    assert code == 2
    assert f"--policies {bad}:1: invalid YAML" in output
    broken = tmp_path / "broken.yaml"
    broken.write_text(REPLICA_LIMIT.replace("object.spec.replicas <= 5", "object.spec.replicas <="))
    code, output = run_cli(["check", str(app), "--policies", str(broken)])
    assert code == 2
    assert (
        f"kubesnap: --policies {broken}:2: ValidatingAdmissionPolicy 'replica-limit' is invalid: " in output
    )
    assert "validations[0].expression: 1:" in output


def test_writing_rules_doc_example_gives_the_announced_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/writing-rules.md's VAP section: its files written out, checked, its output shown."""
    text = (REPO / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    section = text[text.index("## ValidatingAdmissionPolicies offline") :]
    files = re.findall(r"<!-- vap-file: (\S+) -->\n```yaml\n(.*?)```", section, re.S)
    assert [name for name, _ in files] == ["policies/replica-limit.yaml", "manifests/shop.yaml"]
    for name, body in files:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    expected = re.search(r"<!-- vap-expect -->\n```\n(.*?)```", section, re.S)
    assert expected is not None
    monkeypatch.chdir(tmp_path)
    code, output = run_cli(["check", "manifests", "--policies", "policies", "--no-color"])
    assert code == 1
    assert expected.group(1) in output
    (tmp_path / "manifests/shop.yaml").write_text(files[1][1].replace("replicas: 8", "replicas: 5"))
    code, output = run_cli(["check", "manifests", "--policies", "policies", "--no-color"])
    assert code == 0 and "vap/" not in output


CRASHING_WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: web:1}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f
  namespace: shop
  uid: r1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: web:1}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f-x1
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: r1, controller: true}]
spec: {containers: [{name: app, image: web:1}]}
status:
  phase: Running
  containerStatuses:
    - name: app
      ready: false
      restartCount: 12
      state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}
      lastState: {terminated: {reason: Error, exitCode: 1}}
"""


def test_an_admission_verdict_on_a_workload_is_no_cause_of_its_pods_failing(tmp_path: Path) -> None:
    """A policy saying "replicas must be at least 2" judges the Deployment's manifest: it does
    not make the Pod crash, so it is never linked as the crash loop's cause (nor a root cause)."""
    from analyzer import pipeline

    minimum = policy(
        "replica-minimum",
        '    - {expression: "object.spec.replicas >= 2", message: "replicas must be at least 2"}\n',
    )
    (tmp_path / "live.yaml").write_text(
        namespace("shop", env="prod").lstrip("\n-")
        + "\n---\n"
        + CRASHING_WEB
        + minimum
        + binding("replica-minimum-prod", "replica-minimum"),
        encoding="utf-8",
    )
    report = pipeline.analyse([str(tmp_path / "live.yaml")]).report
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["vap/replica-minimum"].object.name == "web"
    assert by_rule["vap/replica-minimum"].message.endswith("denied request: replicas must be at least 2")
    crash = by_rule["pod-crashloop"]
    assert crash.object.name == "web-5d8f-x1"
    assert crash.causes == ()  # nothing else here explains it; above all not the policy
    assert all(not r.finding.rule.startswith("vap/") for r in report.root_causes)


def test_the_causes_stage_knows_the_policy_findings_by_their_prefix() -> None:
    from analyzer.findings.causes import ADMISSION_VERDICT
    from analyzer.rules.vap import RULE_PREFIX

    assert ADMISSION_VERDICT == RULE_PREFIX

"""Containers, pod templates, pods and their status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kubefactory.meta import Obj

TOKEN_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"

# --------------------------------------------------------------------------- containers


def container_port(name: str, port: int, *, host_port: bool = False) -> Obj:
    out: Obj = {"containerPort": port, "name": name, "protocol": "TCP"}
    if host_port:
        out["hostPort"] = port
    return out


def volume_mount(name: str, path: str, *, read_only: bool = False) -> Obj:
    out: Obj = {"mountPath": path, "name": name}
    if read_only:
        out["readOnly"] = True
    return out


def env_value(name: str, value: str) -> Obj:
    return {"name": name, "value": value}


def env_field(name: str, field_path: str) -> Obj:
    """An environment variable read from the pod's own fields (``metadata.name``, ...)."""
    return {"name": name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": field_path}}}


def env_from_configmap(name: str, configmap: str, key: str) -> Obj:
    return {"name": name, "valueFrom": {"configMapKeyRef": {"key": key, "name": configmap}}}


def env_from_secret(name: str, secret: str, key: str) -> Obj:
    return {"name": name, "valueFrom": {"secretKeyRef": {"key": key, "name": secret}}}


def http_get(path: str, port: int | str) -> Obj:
    return {"httpGet": {"path": path, "port": port, "scheme": "HTTP"}}


def tcp_socket(port: int | str) -> Obj:
    return {"tcpSocket": {"port": port}}


def probe(action: Obj, period: int) -> Obj:
    """A probe doing ``action`` (:func:`http_get`, :func:`tcp_socket`) every ``period`` seconds."""
    return {
        **action,
        "failureThreshold": 3,
        "initialDelaySeconds": 5,
        "periodSeconds": period,
        "successThreshold": 1,
        "timeoutSeconds": 1,
    }


def resources(requests: dict[str, str], limits: dict[str, str]) -> Obj:
    """A container's ``resources`` (the dicts kept as given)."""
    return {"limits": limits, "requests": requests}


def container(
    name: str,
    image: str,
    *,
    resources: Obj,
    ports: list[Obj] | None = None,
    args: list[str] | None = None,
    env: list[Obj] | None = None,
    env_from: list[Obj] | None = None,
    mounts: list[Obj] | None = None,
    liveness: Obj | None = None,
    readiness: Obj | None = None,
    security_context: Obj | None = None,
) -> Obj:
    """A container of a pod spec; the lists are kept as given, left out when empty."""
    out: Obj = {}
    if args:
        out["args"] = args
    out.update(image=image, imagePullPolicy="IfNotPresent", name=name)
    if ports:
        out["ports"] = ports
    out["resources"] = resources
    out["terminationMessagePath"] = "/dev/termination-log"
    out["terminationMessagePolicy"] = "File"
    optional = (
        ("envFrom", env_from),
        ("env", env),
        ("volumeMounts", mounts),
        ("livenessProbe", liveness),
        ("readinessProbe", readiness),
        ("securityContext", security_context),
    )
    out.update((key, value) for key, value in optional if value)
    return out


# --------------------------------------------------------------------------- volumes and scheduling


def configmap_volume(name: str, configmap: str) -> Obj:
    return {"configMap": {"defaultMode": 420, "name": configmap}, "name": name}


def empty_dir_volume(name: str) -> Obj:
    return {"emptyDir": {}, "name": name}


def claim_volume(name: str, claim: str) -> Obj:
    return {"name": name, "persistentVolumeClaim": {"claimName": claim}}


def service_account_token_volume(name: str) -> Obj:
    """The projected ``kube-api-access-*`` volume the API server adds to every pod."""
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                "path": "namespace",
                            }
                        ]
                    }
                },
            ],
        },
    }


def toleration(key: str, value: str) -> Obj:
    """Tolerates the ``NoSchedule`` taint ``key=value``."""
    return {"effect": "NoSchedule", "key": key, "operator": "Equal", "value": value}


def tolerate_everything() -> list[Obj]:
    return [{"operator": "Exists"}]


def default_tolerations() -> list[Obj]:
    """The tolerations the API server adds to every pod (5 minutes on a node not ready or unreachable)."""
    return [
        {
            "effect": "NoExecute",
            "key": f"node.kubernetes.io/{condition}",
            "operator": "Exists",
            "tolerationSeconds": 300,
        }
        for condition in ("not-ready", "unreachable")
    ]


def daemon_tolerations(*, host_network: bool = False) -> list[Obj]:
    """The tolerations the DaemonSet controller adds to its pods: a node not ready or unreachable
    (NoExecute, for ever: the API server then adds no :func:`default_tolerations`), under pressure,
    cordoned, and with ``host_network`` a node whose network is not ready."""
    no_execute = [
        {"effect": "NoExecute", "key": f"node.kubernetes.io/{condition}", "operator": "Exists"}
        for condition in ("not-ready", "unreachable")
    ]
    conditions = ["disk-pressure", "memory-pressure", "pid-pressure", "unschedulable"]
    if host_network:
        conditions.append("network-unavailable")
    return no_execute + [
        {"effect": "NoSchedule", "key": f"node.kubernetes.io/{condition}", "operator": "Exists"}
        for condition in conditions
    ]


def _tolerates_no_execute(tolerations: Sequence[Obj], key: str) -> bool:
    """Whether one of ``tolerations`` tolerates the NoExecute taint ``key`` (as the API server's
    DefaultTolerationSeconds admission asks before adding its own)."""
    return any(
        t.get("key", "") in ("", key) and t.get("effect", "") in ("", "NoExecute") for t in tolerations
    )


def node_affinity(node: str) -> Obj:
    """The affinity the DaemonSet controller gives the pod it makes for ``node``."""
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
                ]
            }
        }
    }


# --------------------------------------------------------------------------- templates and pods


def pod_template_spec(
    containers: list[Obj],
    *,
    service_account: str = "default",
    service_account_alias: bool = True,
    security_context: Obj | None = None,
    volumes: list[Obj] | None = None,
    host_network: bool = False,
    node_selector: dict[str, str] | None = None,
    tolerations: list[Obj] | None = None,
    affinity: Obj | None = None,
) -> Obj:
    """The ``spec`` of a pod template. ``service_account_alias``: with the deprecated
    ``serviceAccount`` field, which the API server fills in; ``security_context``: ``{}`` when
    not given."""
    spec: Obj = {
        "containers": containers,
        "dnsPolicy": "ClusterFirstWithHostNet" if host_network else "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {} if security_context is None else security_context,
    }
    if service_account_alias:
        spec["serviceAccount"] = service_account
    spec["serviceAccountName"] = service_account
    spec["terminationGracePeriodSeconds"] = 30
    if volumes:
        spec["volumes"] = volumes
    if host_network:
        spec["hostNetwork"] = True
    if node_selector:
        spec["nodeSelector"] = node_selector
    if tolerations:
        spec["tolerations"] = tolerations
    if affinity:
        spec["affinity"] = affinity
    return spec


def pod_template(labels: Mapping[str, str], spec: Obj, *, null_timestamp: bool = True) -> Obj:
    """A pod template (labels copied). ``null_timestamp``: with ``creationTimestamp: null`` in its
    metadata, as kubectl prints the templates of objects it reads back."""
    metadata: Obj = {"creationTimestamp": None} if null_timestamp else {}
    metadata["labels"] = dict(labels)
    return {"metadata": metadata, "spec": spec}


def pod_spec(
    template: Obj,
    *,
    token: str,
    claims: Sequence[Obj] = (),
    tolerations: Sequence[Obj] = (),
    hostname: str | None = None,
    subdomain: str | None = None,
    affinity: Obj | None = None,
    node: str | None = None,
) -> Obj:
    """The spec of a pod made from a template's spec (left as it is: the pod's spec shares its
    values), as the API server completes it: the service account token volume ``token``
    (after the ``claims`` volumes and the template's) mounted in every container, the template's
    tolerations, then ``tolerations`` (its controller's: :func:`daemon_tolerations`), then the
    :func:`default_tolerations` none of them covers, the StatefulSet pod's ``hostname`` and
    ``subdomain``, ``affinity`` and, when scheduled, ``node``."""
    spec = dict(template)
    spec["volumes"] = [*claims, *spec.get("volumes", []), service_account_token_volume(token)]
    mount = volume_mount(token, TOKEN_MOUNT, read_only=True)
    spec["containers"] = [
        {**c, "volumeMounts": [*c.get("volumeMounts", []), dict(mount)]} for c in spec["containers"]
    ]
    spec["enableServiceLinks"] = True
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    spec["priority"] = 0
    given = [*spec.get("tolerations", []), *tolerations]
    defaults = [d for d in default_tolerations() if not _tolerates_no_execute(given, d["key"])]
    spec["tolerations"] = [*given, *defaults]
    for key, value in (("hostname", hostname), ("subdomain", subdomain), ("affinity", affinity)):
        if value is not None:
            spec[key] = value
    if node is not None:
        spec["nodeName"] = node
    return spec


def pod(metadata: Obj, spec: Obj, status: Obj) -> Obj:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


# --------------------------------------------------------------------------- pod status


def pending_pod_status(since: str, message: str, qos: str) -> Obj:
    """The status of a pod the scheduler could not place, ``message`` saying why."""
    return {
        "conditions": [
            {
                "lastProbeTime": None,
                "lastTransitionTime": since,
                "message": message,
                "reason": "Unschedulable",
                "status": "False",
                "type": "PodScheduled",
            }
        ],
        "phase": "Pending",
        "qosClass": qos,
    }


def pod_conditions(
    *,
    sandbox: str,
    initialized: str,
    ready: str,
    scheduled: str,
    containers_ready: str | None = None,
    unready: Sequence[str] = (),
    sandbox_ready: bool = True,
) -> list[Obj]:
    """The conditions of a scheduled pod, each with the time it last changed (``containers_ready``:
    ``ready``'s when not given); ``unready``: the containers that are not ready (then the pod is not
    either); ``sandbox_ready``: False while the pod's sandbox is being made."""

    def condition(kind: str, status: bool, since: str) -> Obj:
        return {"lastProbeTime": None, "lastTransitionTime": since, "status": str(status), "type": kind}

    conditions = [
        condition("PodReadyToStartContainers", sandbox_ready, sandbox),
        condition("Initialized", True, initialized),
        condition("Ready", not unready, ready),
        condition("ContainersReady", not unready, ready if containers_ready is None else containers_ready),
        condition("PodScheduled", True, scheduled),
    ]
    if unready:
        for cond in conditions[2:4]:
            cond["message"] = f"containers with unready status: [{' '.join(unready)}]"
            cond["reason"] = "ContainersNotReady"
    return conditions


def running(since: str) -> Obj:
    return {"running": {"startedAt": since}}


def waiting(reason: str, message: str | None = None) -> Obj:
    return {"waiting": {"message": message, "reason": reason} if message else {"reason": reason}}


def terminated(
    container_id: str, exit_code: int, *, started: str, finished: str, reason: str = "Error"
) -> Obj:
    return {
        "terminated": {
            "containerID": container_id,
            "exitCode": exit_code,
            "finishedAt": finished,
            "reason": reason,
            "startedAt": started,
        }
    }


def image_id(image: str, digest: str) -> str:
    """The image a container runs, by digest: ``repository@sha256:<digest>``."""
    return f"{image.rsplit(':', 1)[0]}@sha256:{digest}"


def container_status(
    name: str,
    image: str,
    image_ref: str,
    *,
    container_id: str | None,
    ready: bool,
    started: bool,
    state: Obj,
    restarts: int = 0,
    last_state: Obj | None = None,
) -> Obj:
    """A container's status; ``container_id`` ``None`` for a container not created yet."""
    out: Obj = {} if container_id is None else {"containerID": container_id}
    out.update(
        image=image,
        imageID=image_ref,
        lastState={} if last_state is None else last_state,
        name=name,
        ready=ready,
        restartCount=restarts,
        started=started,
        state=state,
    )
    return out


def running_pod_status(
    conditions: list[Obj],
    statuses: list[Obj],
    *,
    host_ip: str,
    pod_ip: str | None,
    qos: str,
    started: str,
    phase: str = "Running",
) -> Obj:
    """The status of a scheduled pod; ``pod_ip`` ``None`` while its sandbox is being made (then
    ``podIP`` and ``podIPs`` are left out, as the API server omits them)."""
    status: Obj = {
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "phase": phase,
    }
    if pod_ip is not None:
        status.update(podIP=pod_ip, podIPs=[{"ip": pod_ip}])
    status.update(qosClass=qos, startTime=started)
    return status

"""A healthy Deployment in one call: the Deployment, its ReplicaSet and its ready pods, with the
statuses their controllers compute, identities hashed from the names (for small fixtures).

    objs = deployment_objects("shop", "web", {"app": "web"}, [container], replicas=2,
                              node="node-a", created="2025-06-02T09:00:07Z")
    [d["kind"] for d in objs]  # ['Deployment', 'ReplicaSet', 'Pod', 'Pod']
"""

from __future__ import annotations

from collections.abc import Mapping

from kubefactory.ids import HEX, hashed, hashed_int, hashed_uid
from kubefactory.meta import Obj, controller_ref, object_meta
from kubefactory.pods import (
    container_status,
    image_id,
    pod,
    pod_conditions,
    pod_spec,
    pod_template,
    pod_template_spec,
    running,
    running_pod_status,
)
from kubefactory.workloads import (
    deployment,
    deployment_conditions,
    deployment_status,
    replicaset,
    replicaset_annotations,
)


def identity(kind: str, namespace: str | None, name: str, created: str, **extra: object) -> Obj:
    """``metadata`` with the uid and resourceVersion hashed from ``kind``, ``namespace``, ``name``."""
    return object_meta(
        name,
        uid=hashed_uid(kind, namespace, name),
        resource_version=str(hashed_int(kind, namespace, name, n=8)),
        created=created,
        namespace=namespace,
        **extra,  # type: ignore[arg-type]
    )


def deployment_objects(
    namespace: str,
    name: str,
    labels: Mapping[str, str],
    containers: list[Obj],
    *,
    replicas: int,
    node: str,
    created: str,
    meta_labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    volumes: list[Obj] | None = None,
    service_account: str = "default",
) -> list[Obj]:
    """The Deployment (selector and pod labels ``labels``; its own labels ``meta_labels``, by
    default ``labels``), its ReplicaSet and ``replicas`` ready pods on ``node``."""
    rs_name = f"{name}-{hashed(namespace, name, 'rs')}"
    template_hash = rs_name.rsplit("-", 1)[1]

    def template(extra: Mapping[str, str]) -> Obj:
        spec = pod_template_spec(containers, service_account=service_account, volumes=volumes)
        return pod_template({**labels, **extra}, spec, null_timestamp=True)

    rs_template = template({"pod-template-hash": template_hash})
    pods = []
    for i in range(replicas):
        pod_name = f"{rs_name}-{hashed(rs_name, i, n=5)}"
        spec = pod_spec(rs_template["spec"], token=f"kube-api-access-{hashed(pod_name, n=5)}", node=node)
        statuses = [
            container_status(
                c["name"],
                c["image"],
                image_id(c["image"], hashed(c["image"], n=64, alphabet=HEX)),
                container_id=f"containerd://{hashed(pod_name, c['name'], n=64, alphabet=HEX)}",
                ready=True,
                started=True,
                state=running(created),
            )
            for c in containers
        ]
        conditions = pod_conditions(sandbox=created, initialized=created, ready=created, scheduled=created)
        ip = f"10.244.{hashed_int(pod_name, n=2) % 64}.{hashed_int(pod_name, 'ip', n=2) + 2}"
        status = running_pod_status(
            conditions, statuses, host_ip="10.114.0.10", pod_ip=ip, qos="Burstable", started=created
        )
        owner = [controller_ref("ReplicaSet", rs_name, hashed_uid("ReplicaSet", namespace, rs_name))]
        pod_meta = identity(
            "Pod",
            namespace,
            pod_name,
            created,
            labels={**labels, "pod-template-hash": template_hash},
            owner_references=owner,
            generate_name=f"{rs_name}-",
        )
        pods.append(pod(pod_meta, spec, status))
    own = dict(meta_labels if meta_labels is not None else labels)
    rs_meta = identity(
        "ReplicaSet",
        namespace,
        rs_name,
        created,
        labels={**labels, "pod-template-hash": template_hash},
        annotations={**(annotations or {}), **replicaset_annotations(replicas, 1)},
        generation=1,
        owner_references=[controller_ref("Deployment", name, hashed_uid("Deployment", namespace, name))],
    )
    rs = replicaset(
        rs_meta,
        replicas=replicas,
        selector={**labels, "pod-template-hash": template_hash},
        template=rs_template,
        ready=replicas,
    )
    conditions = deployment_conditions(rs_name, available=True, created=created, settled=created)
    d_meta = identity(
        "Deployment",
        namespace,
        name,
        created,
        labels=own,
        annotations={**(annotations or {}), "deployment.kubernetes.io/revision": "1"},
        generation=1,
    )
    d = deployment(
        d_meta,
        replicas=replicas,
        selector=labels,
        template=template({}),
        status=deployment_status(conditions, replicas=replicas, updated=replicas, ready=replicas),
    )
    return [d, rs, *pods]

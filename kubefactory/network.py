"""Services, what the endpoints controllers publish for them, and Ingresses."""

from __future__ import annotations

from collections.abc import Mapping

from kubefactory.meta import Obj


def service_port(name: str, port: int, target: int | str) -> Obj:
    return {"name": name, "port": port, "protocol": "TCP", "targetPort": target}


def service(
    metadata: Obj,
    *,
    cluster_ip: str,
    ports: list[Obj],
    selector: Mapping[str, str] | None = None,
    publish_not_ready: bool = False,
    load_balancer_ip: str | None = None,
    first_node_port: int = 31080,
) -> Obj:
    """A ClusterIP Service (``cluster_ip`` ``"None"``: headless) selecting pods by ``selector``
    (kept as given; ``None``: no selector), or with ``load_balancer_ip`` a LoadBalancer one whose
    ports get node ports from ``first_node_port`` on."""
    spec: Obj = {
        "clusterIP": cluster_ip,
        "clusterIPs": [cluster_ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": ports,
        "sessionAffinity": "None",
        "type": "ClusterIP" if load_balancer_ip is None else "LoadBalancer",
    }
    if selector is not None:
        spec["selector"] = selector
    if publish_not_ready:
        spec["publishNotReadyAddresses"] = True
    status: Obj = {"loadBalancer": {}}
    if load_balancer_ip is not None:
        spec["allocateLoadBalancerNodePorts"] = True
        spec["externalTrafficPolicy"] = "Local"
        for i, port in enumerate(ports):
            port["nodePort"] = first_node_port + i
        status = {"loadBalancer": {"ingress": [{"ip": load_balancer_ip, "ipMode": "VIP"}]}}
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec, "status": status}


def endpoint_port(name: str, port: int) -> Obj:
    return {"name": name, "port": port, "protocol": "TCP"}


def endpoint_address(
    ip: str, node: str, pod: str, namespace: str, uid: str, hostname: str | None = None
) -> Obj:
    """The address of pod ``pod`` (``uid``) on ``node`` in an Endpoints' subset."""
    address: Obj = {
        "ip": ip,
        "nodeName": node,
        "targetRef": {"kind": "Pod", "name": pod, "namespace": namespace, "uid": uid},
    }
    if hostname is not None:
        address["hostname"] = hostname
    return address


def endpoints(metadata: Obj, *, ports: list[Obj], ready: list[Obj], not_ready: list[Obj]) -> Obj:
    """The Endpoints of a Service: one subset of its ``ready`` and ``not_ready`` addresses (none
    when both are empty)."""
    obj: Obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": metadata}
    if ready or not_ready:
        subset: Obj = {"ports": ports}
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        obj["subsets"] = [subset]
    return obj


def apiserver_endpoints(metadata: Obj, ip: str, port: int) -> Obj:
    """The Endpoints of Service ``default/kubernetes``: the API server at ``ip:port``."""
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": metadata,
        "subsets": [{"addresses": [{"ip": ip}], "ports": [endpoint_port("https", port)]}],
    }


def slice_endpoint(
    ip: str,
    *,
    ready: bool,
    node: str | None = None,
    zone: str | None = None,
    target: Obj | None = None,
    hostname: str | None = None,
) -> Obj:
    """An endpoint of an EndpointSlice; ``target``: the ``targetRef`` of the pod behind it."""
    out: Obj = {
        "addresses": [ip],
        "conditions": {"ready": ready, "serving": ready, "terminating": False},
    }
    optional = (("hostname", hostname), ("nodeName", node), ("targetRef", target), ("zone", zone))
    out.update((key, value) for key, value in optional if value is not None)
    return out


def endpoint_slice(metadata: Obj, endpoints: list[Obj] | None, ports: list[Obj] | None) -> Obj:
    """An IPv4 EndpointSlice (``None``: ``endpoints: null``, ``ports: null``, as for no endpoint)."""
    return {
        "addressType": "IPv4",
        "apiVersion": "discovery.k8s.io/v1",
        "endpoints": endpoints,
        "kind": "EndpointSlice",
        "metadata": metadata,
        "ports": ports,
    }


def ingress(
    metadata: Obj,
    *,
    host: str,
    service: str,
    port: int | str,
    load_balancer_ip: str,
    tls_secret: str | None = None,
    class_name: str = "nginx",
) -> Obj:
    """An Ingress sending every path of ``host`` to ``service``'s ``port`` (a name or a number),
    over TLS with ``tls_secret``'s certificate when given."""
    backend = {
        "service": {"name": service, "port": {"name": port} if isinstance(port, str) else {"number": port}}
    }
    spec: Obj = {
        "ingressClassName": class_name,
        "rules": [
            {"host": host, "http": {"paths": [{"backend": backend, "path": "/", "pathType": "Prefix"}]}}
        ],
    }
    if tls_secret is not None:
        spec["tls"] = [{"hosts": [host], "secretName": tls_secret}]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {"ingress": [{"ip": load_balancer_ip}]}},
    }

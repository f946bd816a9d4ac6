"""kubesnap's benchmark, run by hand (not by CI): each phase's time, throughput, peak memory, and
the baselines measured in the same run on the same files.

    python bench/run.py                      # the standard set (about 4 minutes)
    python bench/run.py --large              # adds the 150,000-pod JSON dump (about 10 minutes)
    python bench/run.py --inputs pods-4000.yaml --repeat 5

Inputs are generated once by bench/synth.py into ``--work`` (default: a folder in the system's
temporary directory) and reused:

    pods-4000.yaml       ``kubectl get pods -A -o yaml`` of a 4,000-pod cluster
    cluster-4000.yaml    every object of that cluster as one YAML List
    cluster-4000.json    the same as ``kubectl get -o json`` prints it
    cluster-15000.json   a 15,000-pod cluster
    cluster-150000.json  a 150,000-pod cluster (``--large``)
    dump-4000/           the 4,000-pod cluster as one YAML List per namespace and kind
    repo-30/             a repository of 30 manifest files (no status), checked by the CLI
    refused-1pct-4000.yaml   pods-4000.yaml with a plain scalar the fast YAML path refuses (a
    refused-10pct-4000.yaml  label ``0640966322``, ``1e3``, ``yes``, ``on``, ``~``) in 1 % or
                             10 % of its items, spread through the List
    cel:cluster-15000.json   cluster-15000.json with the CEL rules of bench/cel-rules
                             (``--rules``) added to the built-in ones, measured in turn with
                             the same input without them

Each measurement runs in a fresh process (so peak RSS is its own); figures are medians of
``--repeat`` runs. Baselines: PyYAML's C loader parsing the text alone (``yaml.load_all`` with
``CSafeLoader``) and ``json.loads`` alone, both on text already in memory, with Python's
defaults (cyclic GC on) and, for JSON, also with the cyclic GC off, as kubesnap runs. A
``refused-*`` input is measured against the same dump without refused items (``pods-4000.yaml``)
instead, the two measured in turn (at least 5 pairs: the ratio is the figure that matters, and
this machine's speed drifts between minutes). A ``cel:<input>`` row is measured the same way
against ``<input>`` without the CEL rules: its ratio is what the CEL rules add.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STANDARD = [
    "repo-30",
    "pods-4000.yaml",
    "cluster-4000.yaml",
    "dump-4000",
    "cluster-4000.json",
    "cluster-15000.json",
    "refused-1pct-4000.yaml",
    "refused-10pct-4000.yaml",
    "cel:cluster-15000.json",
]
LARGE = ["cluster-150000.json"]
CEL_PREFIX = "cel:"
CEL_RULES = HERE / "cel-rules"
"""The five example rules of RULES-V2.md, added to the built-in rules by a ``cel:`` row."""
PHASES = ("catalog", "load", "model", "graph", "rules", "findings", "report")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kubesnap-bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="add the 150,000-pod JSON dump")
    parser.add_argument("--inputs", help="comma-separated input names (default: the standard set)")
    parser.add_argument(
        "--yaml-baseline-max-mb",
        type=float,
        default=60.0,
        help="skip PyYAML's baseline above this size (it parses about 1 MB/s)",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rules", type=Path, action="append", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--baseline", choices=("yaml", "json", "json-nogc"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(
            json.dumps(
                measure(args.measure, args.rules)
                if args.baseline is None
                else baseline(args.measure, args.baseline)
            )
        )
        return
    names = args.inputs.split(",") if args.inputs else STANDARD + (LARGE if args.large else [])
    args.work.mkdir(parents=True, exist_ok=True)
    print(machine())
    rows = []
    for name in names:
        if name.startswith(CEL_PREFIX):
            rows.append(bench_cel(prepare(args.work, name.removeprefix(CEL_PREFIX)), args.repeat))
        else:
            rows.append(bench_input(prepare(args.work, name), args.repeat, args.yaml_baseline_max_mb))
        print(row_text(rows[-1]), flush=True)
    print()
    print(markdown(rows))


# --- inputs -----------------------------------------------------------------------------------


def prepare(work: Path, name: str) -> Path:
    """The input called ``name`` in ``work``, generated when missing (a ``refused-*`` input
    with the input it is made from, which it is measured against)."""
    path = work / name
    clean = prepare(work, clean_input(name)) if name.startswith("refused-") else None
    if path.exists():
        return path
    sys.path.insert(0, str(HERE))
    import synth

    if name.startswith("repo-"):
        write_repo(path, int(name.split("-")[1]), synth)
        return path
    if name.startswith("dump-"):
        write_dump(path, int(name.split("-")[1]), synth)
        return path
    if clean is not None:
        print(f"generating {name} ...", file=sys.stderr, flush=True)
        write_refused(path, clean, refused_percent(name))
        return path
    stem, suffix = name.rsplit(".", 1)
    kind, pods = stem.split("-")
    fmt = "json" if suffix == "json" else "yaml-list"
    kinds = frozenset({"Pod"}) if kind == "pods" else None
    print(f"generating {name} ...", file=sys.stderr, flush=True)
    synth.write_cluster(path, int(pods), fmt, jobs=os.cpu_count() or 1, kinds=kinds)
    return path


MANIFEST_KINDS = ("ServiceAccount", "ConfigMap", "Deployment", "StatefulSet", "Service", "Ingress")
SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "ownerReferences")


def write_repo(folder: Path, files: int, synth: Any) -> None:
    """A repository of ``files`` manifest files, one per application, as people write them:
    no status, no server-set metadata."""
    import yaml

    apps: dict[str, list[dict[str, Any]]] = {}
    for obj in synth.cluster_objects(1500):
        if obj["kind"] not in MANIFEST_KINDS or obj["metadata"].get("namespace") == "kube-system":
            continue
        obj.pop("status", None)
        for field in SERVER_FIELDS:
            obj["metadata"].pop(field, None)
        obj["metadata"].pop("annotations", None)
        app = obj["metadata"].get("labels", {}).get("app.kubernetes.io/name") or obj["metadata"]["name"]
        apps.setdefault(f"{obj['metadata'].get('namespace', 'cluster')}-{app}", []).append(obj)
    chosen = sorted(apps.items(), key=lambda item: (-len(item[1]), item[0]))[:files]
    folder.mkdir(parents=True)
    for app, objects in chosen:
        (folder / f"{app}.yaml").write_text(yaml.safe_dump_all(objects, sort_keys=False))


def write_dump(folder: Path, pods: int, synth: Any) -> None:
    """A dump folder as a script of ``kubectl get <kind> -n <ns> -o yaml`` calls writes it: one
    YAML List per namespace and kind."""
    import yaml

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for obj in synth.cluster_objects(pods):
        groups.setdefault((obj["metadata"].get("namespace", "cluster"), obj["kind"]), []).append(obj)
    for (namespace, kind), items in sorted(groups.items()):
        target = folder / namespace / f"{kind.lower()}s.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        listing = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
        target.write_text(yaml.dump(listing, Dumper=yaml.CSafeDumper, default_flow_style=False))


REFUSED_SCALARS = (
    ("pod-template-hash", ""),  # digits after a 0: octal to YAML 1.1 when all are octal digits
    ("example.com/max-rps", "1e3"),  # a string to YAML 1.1, a number to YAML 1.2
    ("sidecar.istio.io/inject", "yes"),  # true to YAML 1.1
    ("example.com/monitoring", "on"),
    ("example.com/owner", "~"),  # null
)
"""Plain scalars that the fast YAML path refuses (it reads them otherwise than PyYAML), as hand
edits and tools other than kubectl leave them in a dump: each refused item gets one, in turn."""


def refused_percent(name: str) -> int:
    """``refused-10pct-4000.yaml``: 10."""
    return int(name.split("-")[1].removesuffix("pct"))


def clean_input(name: str) -> str:
    """The input a ``refused-*`` one is made from: the same dump without refused items."""
    return f"pods-{name.rsplit('-', 1)[1]}"


def write_refused(path: Path, clean: Path, percent: int) -> None:
    """``clean`` (a YAML List as kubectl writes it) with a refused plain scalar in ``percent`` %
    of its items, evenly spread: one item in every ``100 // percent``, from the middle of the
    first stretch to the end of the List."""
    text = clean.read_text(encoding="utf-8")
    head = text.index("\nitems:\n") + len("\nitems:\n")
    tail = text.rindex("\nkind: List\n") + 1
    items = text[head:tail].split("\n- ")
    items = [items[0]] + ["- " + item for item in items[1:]]  # each item with its "- " again
    step = max(1, 100 // percent)
    for turn, index in enumerate(range(step // 2, len(items), step)):
        items[index] = with_refused_scalar(items[index], index, *REFUSED_SCALARS[turn % len(REFUSED_SCALARS)])
    path.write_text(text[:head] + "\n".join(items) + text[tail:], encoding="utf-8")


def with_refused_scalar(item: str, index: int, key: str, value: str) -> str:
    """One List item with ``key: value`` (plain) among its labels or annotations."""
    if key == "pod-template-hash":
        value = f"0{(index * 7_919 + 640_966_322) % 10**9:09d}"  # 10 digits, as a hash can be
        label = re.search(r"(?m)^      pod-template-hash: \S+$", item)
        if label:  # ReplicaSet pods: the label turns into digits
            return f"{item[: label.start()]}      {key}: {value}{item[label.end() :]}"
        key = "example.com/build-id"
    annotations = "\n  metadata:\n    annotations:\n"
    if annotations in item:
        return item.replace(annotations, f"{annotations}      {key}: {value}\n", 1)
    return item.replace("\n  metadata:\n", f"{annotations}      {key}: {value}\n", 1)


# --- measurements (each in its own process) -------------------------------------------------------


def measure(path: Path, rule_dirs: list[Path] | None = None) -> dict[str, Any]:
    """kubesnap in this process, phase by phase, as the ``kubesnap`` command runs it (with the
    rules of ``rule_dirs`` too, as ``--rules``): the cyclic collector off from the start
    (re-enabling it after the analysis would start a full collection of the whole heap, which
    the command never pays)."""
    import gc

    gc.disable()
    started = time.perf_counter()
    from analyzer import pipeline
    from analyzer.commands.process import collector_paused
    from analyzer.report import RENDERERS, RenderOptions

    imported = time.perf_counter() - started
    timings: dict[str, float] = {}
    watch = MemoryWatch()
    watch.start()
    began = time.perf_counter()
    with collector_paused():  # as the command runs
        analysis = pipeline.analyse(
            [str(path)], rule_dirs=rule_dirs or (), timings=timings
        )  # kept to the end, as the command does
        report = analysis.report
        before = time.perf_counter()
        RENDERERS["json"](report, RenderOptions())
        RENDERERS["text"](report, RenderOptions())
        timings["report"] = time.perf_counter() - before
        wall = time.perf_counter() - began
        watch.done.set()
        watch.join()
        schema = schema_cost(analysis)
    return {
        **schema,
        "phases": timings,
        "wall": wall,
        "imports": imported,
        "objects": report.objects,
        "findings": len(report.findings),
        "skipped": len(report.skipped),
        "rss_mb": peak_rss_mb(),
        "pss_mb": watch.peak_mb,
    }


class MemoryWatch(threading.Thread):
    """The peak of the memory this process and its children hold together, sampled twice a
    second (Linux): the sum of their proportional set sizes, which counts a page two processes
    share once (the rules' forked copy shares the snapshot; ``ru_maxrss`` sees one process)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.done = threading.Event()
        self.peak_mb = 0.0

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.peak_mb = max(self.peak_mb, self.sample())

    @staticmethod
    def sample() -> float:
        me = str(os.getpid())
        try:
            with open(f"/proc/{me}/task/{me}/children", encoding="ascii") as listed:
                children = listed.read().split()
        except OSError:
            return 0.0
        total = 0
        for pid in (me, *children):
            try:
                with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                    total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
            except (OSError, StopIteration):
                continue  # the child has ended
        return total / 1024


def schema_cost(analysis: Any) -> dict[str, float]:
    """The schema rules' cost per object (both rules, on a fresh graph: nothing cached from the
    run), beside a bare Python walk of the same objects (every dict and list visited), the floor
    of any validator in Python: the ratio is the figure that does not drift with the machine."""
    from analyzer.graph import build_graph
    from analyzer.rules.evaluate import evaluate

    rules = [r for r in analysis.rules if r.spec.category == "schema"]
    graph = build_graph(analysis.snapshot, analysis.graph.target_version()[0])
    objects = max(len(analysis.snapshot.objects), 1)
    started = time.perf_counter()
    evaluate(rules, graph)
    schema = time.perf_counter() - started

    def walk(value: Any) -> int:
        if isinstance(value, dict):
            return 1 + sum(walk(v) for v in value.values())
        if isinstance(value, list):
            return 1 + sum(walk(v) for v in value)
        return 1

    started = time.perf_counter()
    for obj in analysis.snapshot.objects:
        walk(obj.raw)
    bare = time.perf_counter() - started
    return {"schema_us": schema / objects * 1e6, "walk_us": bare / objects * 1e6}


def baseline(path: Path, kind: str) -> dict[str, Any]:
    """The parse alone, on text already in memory."""
    import gc

    files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
    texts = [f.read_text(encoding="utf-8") for f in files]
    if kind == "json-nogc":
        gc.disable()
    started = time.perf_counter()
    for text in texts:
        if kind == "yaml":
            import yaml

            sum(1 for _ in yaml.load_all(text, Loader=yaml.CSafeLoader))
        else:
            json.loads(text)
    return {"seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - started


def total_of(run: dict[str, Any]) -> float:
    """A run's *total*: every phase but the catalogue's."""
    return float(sum(run["phases"].get(p, 0.0) for p in PHASES if p != "catalog"))


def bench_cel(path: Path, repeat: int) -> dict[str, Any]:
    """``path`` with the CEL rules of bench/cel-rules and without them, in turn (at least 5
    pairs): the ratio is the median of the pairs' ratios of *total*."""
    with_cel, without = [], []
    for _ in range(max(repeat, 5)):
        with_cel.append(child("--measure", str(path), "--rules", str(CEL_RULES)))
        without.append(child("--measure", str(path)))
    row = summary(f"{CEL_PREFIX}{path.name}", path.stat().st_size, with_cel)
    row["plain_total"] = statistics.median(total_of(r) for r in without)
    row["plain_rules"] = statistics.median(r["phases"].get("rules", 0.0) for r in without)
    row["plain_rss_mb"] = max(r["rss_mb"] for r in without)
    row["plain_findings"] = without[0]["findings"]
    row["cel_ratio"] = statistics.median(
        total_of(w) / total_of(p) for w, p in zip(with_cel, without, strict=True)
    )
    return row


def summary(name: str, size: int, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The medians of ``runs`` of one input."""
    row: dict[str, Any] = {
        "name": name,
        "mb": size / 1e6,
        "objects": runs[0]["objects"],
        "findings": runs[0]["findings"],
        "skipped": runs[0]["skipped"],
        "phases": {p: statistics.median(r["phases"].get(p, 0.0) for r in runs) for p in PHASES},
        "rss_mb": max(r["rss_mb"] for r in runs),
        "pss_mb": max(r.get("pss_mb", 0.0) for r in runs),
        "imports": statistics.median(r["imports"] for r in runs),
        "wall": statistics.median(r["wall"] for r in runs),
        **{k: statistics.median(r[k] for r in runs) for k in ("schema_us", "walk_us") if k in runs[0]},
    }
    row["total"] = sum(row["phases"][p] for p in PHASES if p != "catalog")
    return row


def bench_input(path: Path, repeat: int, yaml_max_mb: float) -> dict[str, Any]:
    size = (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    clean = path.with_name(clean_input(path.name)) if path.name.startswith("refused-") else None
    runs, clean_runs = [], []
    for _ in range(repeat if clean is None else max(repeat, 5)):
        runs.append(child("--measure", str(path)))
        if clean is not None:  # in turn: the ratio is what matters
            clean_runs.append(child("--measure", str(clean)))
    row = summary(path.name, size, runs)
    if clean is not None:
        totals = [total_of(r) for r in runs]
        clean_totals = [total_of(r) for r in clean_runs]
        row["clean_name"] = clean.name
        row["clean_total"] = statistics.median(clean_totals)
        # The median of each pair's ratio: the two runs of a pair ran on the same machine speed.
        row["clean_ratio"] = statistics.median(t / c for t, c in zip(totals, clean_totals, strict=True))
        return row
    if path.name.startswith("repo-"):
        script = Path(sys.executable).with_name("kubesnap")  # what users run
        start = [str(script)] if script.exists() else [sys.executable, "-m", "analyzer"]
        command = [*start, "check", str(path), "--format", "json", "-o", os.devnull]
        walls = [wall(command) for _ in range(max(3 * repeat, 15))]
        row["cli_wall"], row["cli_wall_min"] = statistics.median(walls), min(walls)
        return row
    if path.suffix == ".json" or (path.is_dir() and any(path.rglob("*.json"))):
        for kind in ("json", "json-nogc"):
            row[kind] = statistics.median(
                child("--measure", str(path), "--baseline", kind)["seconds"] for _ in range(repeat)
            )
    elif row["mb"] <= yaml_max_mb:
        row["yaml"] = statistics.median(
            child("--measure", str(path), "--baseline", "yaml")["seconds"] for _ in range(max(1, repeat // 3))
        )
    return row


# --- output ----------------------------------------------------------------------------------------


def machine() -> str:
    import platform

    import yaml

    try:
        import ryml

        accel = f"rapidyaml {ryml.version}"
    except ImportError:
        accel = "no rapidyaml"
    cpu = platform.processor() or platform.machine()
    return (
        f"machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PyYAML {yaml.__version__} "
        f"({'libyaml' if hasattr(yaml, 'CSafeLoader') else 'pure'}); {accel}"
    )


def row_text(row: dict[str, Any]) -> str:
    phases = " ".join(f"{p}={row['phases'][p]:.2f}" for p in PHASES)
    extra = " ".join(f"{k}={row[k]:.2f}s" for k in ("yaml", "json", "json-nogc", "cli_wall") if k in row)
    if "schema_us" in row:
        extra += f" schema={row['schema_us']:.0f}us/object (bare walk {row['walk_us']:.0f}us)"
    if "cel_ratio" in row:
        extra = (
            f"without the CEL rules, in turn: total {row['plain_total']:.2f}s (rules "
            f"{row['plain_rules']:.2f}s, {row['plain_findings']} findings), "
            f"peak {row['plain_rss_mb']:.0f} MB; "
            f"with them {row['findings']} findings: {row['cel_ratio']:.2f}x (median of the pairs' ratios)"
        )
    if "clean_total" in row:
        extra = (
            f"{row['clean_name']} (no refused items) {row['clean_total']:.2f}s, measured in turn: "
            f"{row['clean_ratio']:.2f}x (median of the pairs' ratios)"
        )
    return (
        f"{row['name']}: {row['mb']:.1f} MB, {row['objects']} objects, total {row['total']:.2f}s "
        f"({phases}; in-process wall {row['wall']:.2f}s), peak {row['rss_mb']:.0f} MB "
        f"(with the rules' copy, PSS {row.get('pss_mb', 0):.0f} MB), {extra}"
    )


def markdown(rows: list[dict[str, Any]]) -> str:
    head = (
        "| input | MB | objects | load | model | graph | rules | findings | report | total s | MB/s "
        "| objects/s | peak RSS MB (both processes: PSS) | baseline s | kubesnap / baseline |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        ph, total = row["phases"], row["total"]
        if "cli_wall" in row:
            base = f"CLI wall incl. start-up: median {row['cli_wall']:.2f} s (best {row['cli_wall_min']:.2f})"
            ratio = ""
        elif "cel_ratio" in row:
            base = (
                f"without the CEL rules, in turn {row['plain_total']:.2f} "
                f"(rules {row['plain_rules']:.2f}, peak {row['plain_rss_mb']:,.0f} MB)"
            )
            ratio = f"{row['cel_ratio']:.2f}x"
        elif "clean_total" in row:
            base = f"{row['clean_name']}, no refused items, in turn {row['clean_total']:.2f}"
            ratio = f"{row['clean_ratio']:.2f}x"
        elif "json" in row:
            base = f"json.loads {row['json']:.2f} (GC off {row['json-nogc']:.2f})"
            ratio = f"{total / row['json']:.2f}x ({total / row['json-nogc']:.2f}x)"
        elif "yaml" in row:
            base = f"PyYAML C {row['yaml']:.2f}"
            ratio = f"{total / row['yaml']:.3f}x"
        else:
            base = ratio = "-"
        lines.append(
            f"| {row['name']} | {row['mb']:.1f} | {row['objects']:,} | {ph['load']:.2f} | {ph['model']:.2f} "
            f"| {ph['graph']:.2f} | {ph['rules']:.2f} | {ph['findings']:.2f} | {ph['report']:.2f} "
            f"| {total:.2f} "
            f"| {row['mb'] / total:.0f} | {row['objects'] / total:,.0f} | {row['rss_mb']:,.0f} "
            f"(both {row.get('pss_mb', 0):,.0f}) "
            f"| {base} | {ratio} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

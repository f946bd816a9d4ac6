"""job-failed: a Job whose ``Failed`` condition is True (and which did not complete after all), or
a CronJob whose latest Job failed or which has not been scheduled for longer than its schedule
allows.

Used by: job-failed. A failed Job of a CronJob followed by a newer Job of that CronJob is
history, not a hit: only a CronJob's latest Job is judged. Lateness is measured against the
dump's time (``graph.observed_at()``, the newest time the snapshot records) with a slack of two
of the schedule's longest gaps plus ``startingDeadlineSeconds``; a suspended CronJob is never
late, and a schedule the cron reader cannot read (:mod:`analyzer.model.cron`) is not judged.

Example: Job ``backup-29100`` with ``Failed=True`` (BackoffLimitExceeded) after 7 failed pods gives
``problem="failed: BackoffLimitExceeded: Job has reached the specified backoff limit (7 pods
failed, 0 succeeded)"``; CronJob ``report`` (``0 * * * *``) last scheduled three days before the
dump gives ``problem="was last scheduled 3 days before the dump (2025-09-10T02:00:00Z), but its
schedule "0 * * * *" fires at least every 1h"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.cron import describe, longest_gap
from analyzer.model.objects import as_list
from analyzer.model.status import conditions, container_states, phase
from analyzer.model.times import age, iso, timestamp
from analyzer.rules.finding import Evidence
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates import evidence
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

JOB_EVENTS = ("BackoffLimitExceeded", "DeadlineExceeded", "PodFailurePolicy", "MaxFailedIndexesExceeded")
CRON_EVENTS = ("MissSchedule", "FailedCreate", "FailedNeedsStart", "UnexpectedJob", "TooManyMissedTimes")
FAILED_PODS = 10
"""Failed Pods of a Job named as causes (a Job retries up to backoffLimit + 1 times)."""
PERIODS = 2
"""Schedule periods of slack before a CronJob is late."""


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if subject.kind == "Job":
        yield from _job(subject, graph)
    else:
        yield from _cronjob(subject, graph)


def failed(job: K8sObject) -> bool:
    """``Failed=True`` and not ``Complete=True`` (a Job that failed, then succeeded, is fine)."""
    fail = conditions(job).get("Failed")
    return fail is not None and fail.status == "True" and not _complete(job)


def _job(job: K8sObject, graph: SnapshotGraph) -> Iterator[Hit]:
    if not failed(job) or _superseded(job, graph):
        return
    condition = conditions(job)["Failed"]
    said = ": ".join(p for p in (condition.reason, evidence.trim(condition.message, 160)) if p)
    status = job.status
    fails = _count(status.get("failed"))
    counts = f"{fails} pod{'' if fails == 1 else 's'} failed, {_count(status.get('succeeded'))} succeeded"
    pods = [p for p in graph.owned(job) if p.kind == "Pod" and phase(p) == "Failed"][-FAILED_PODS:]
    yield Hit(
        {"problem": f"failed: {said or 'Failed=True'} ({counts})"},
        related=tuple(p.ref for p in pods[-3:]),
        evidence=(
            evidence.condition(condition),
            *evidence.events(graph, job, JOB_EVENTS),
            *_last_pod(graph, pods),
        ),
        because_of=tuple(p.ref for p in pods),
    )


def _superseded(job: K8sObject, graph: SnapshotGraph) -> bool:
    """A CronJob's Job followed by a newer Job of the same CronJob: history (the CronJob's own
    hit speaks for its latest Job)."""
    owner = graph.controller_of(job)
    if owner is None or owner.kind != "CronJob":
        return False
    mine = _started(job)
    return any(
        other.kind == "Job" and other is not job and _started(other) > mine for other in graph.owned(owner)
    )


def _complete(job: K8sObject) -> bool:
    done = conditions(job).get("Complete")
    return done is not None and done.status == "True"


def _last_pod(graph: SnapshotGraph, pods: list[K8sObject]) -> tuple[Evidence, ...]:
    """How the newest failed Pod ended: its terminated containers, and its log tail."""
    if not pods:
        return ()
    pod = max(pods, key=_started)
    ended = [
        f"container {s.name} terminated {s.terminated or '?'}"
        + (f" (exit code {s.exit_code})" if s.exit_code is not None else "")
        for s in container_states(pod)
        if s.terminated
    ]
    said = (Evidence("status", evidence.trim("; ".join(ended)), pod.ref),) if ended else ()
    logs = tuple(Evidence(e.kind, e.text, pod.ref) for e in evidence.log_tail(graph, pod))
    return said + logs


def _cronjob(cron: K8sObject, graph: SnapshotGraph) -> Iterator[Hit]:
    jobs = [j for j in graph.owned(cron) if j.kind == "Job"]
    if jobs:
        latest = max(jobs, key=_started)
        if failed(latest):
            reason = conditions(latest)["Failed"].reason or "Failed=True"
            yield Hit(
                {"problem": f"ran its latest Job {latest.name}, which failed ({reason})"},
                related=(latest.ref,),
                evidence=evidence.events(graph, cron, CRON_EVENTS),
                because_of=(latest.ref,),
            )
    late = _late(cron, graph)
    if late:
        yield Hit({"problem": late}, evidence=evidence.events(graph, cron, CRON_EVENTS))


def _late(cron: K8sObject, graph: SnapshotGraph) -> str:
    """Why the CronJob is late ("" when it is not, or cannot be judged)."""
    if cron.spec.get("suspend") is True:
        return ""
    schedule = cron.spec.get("schedule")
    gap = longest_gap(schedule) if isinstance(schedule, str) else None
    now = graph.observed_at()
    if gap is None or now is None:
        return ""
    last = timestamp(cron.status.get("lastScheduleTime"))
    created = timestamp(cron.metadata.get("creationTimestamp"))
    since = last or created
    if since is None:
        return ""
    deadline = cron.spec.get("startingDeadlineSeconds")
    slack = PERIODS * gap + timedelta(seconds=_count(deadline))
    if now - since <= slack:
        return ""
    active = len(as_list(cron.status.get("active")))
    running = f"; {active} Job{'s' if active != 1 else ''} still active" if active else ""
    when = f"{age(now - since)} before the dump ({iso(since)})"
    what = f"was last scheduled {when}" if last else f"has never been scheduled since its creation {when}"
    return f'{what}, but its schedule "{schedule}" fires at least every {describe(gap)}{running}'


def _started(obj: K8sObject) -> tuple[datetime, datetime, str]:
    """Newest first by creationTimestamp, then status.startTime, then name."""
    oldest = datetime.min.replace(tzinfo=UTC)
    created = timestamp(obj.metadata.get("creationTimestamp")) or oldest
    started = timestamp(obj.status.get("startTime")) or oldest
    return created, started, obj.name


def _count(value: object) -> int:
    """A positive integer as written; 0 for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


PREDICATE = define(
    "job-failed",
    Params,
    evaluate,
    kinds=Kinds.of([("batch", "Job"), ("batch", "CronJob")]),
    facts=("problem",),
)

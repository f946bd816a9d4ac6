"""Caches keyed by a run's graph (WeakKeyDictionary) must not hold the graph in their values:
a library user or a long test process analysing many inputs would keep every run's objects."""

from __future__ import annotations

import gc
import weakref

from conftest import REPO

from analyzer import pipeline


def test_the_graph_of_a_finished_analysis_is_freed() -> None:
    # blueocean reaches the caches of the scheduling, endpoint, dependency, label-convention,
    # CEL and schema rules; the CRD and unused-object rules too.
    analysis = pipeline.analyse([str(REPO / "fixtures" / "blueocean" / "before")])
    graph = weakref.ref(analysis.graph)
    del analysis
    gc.collect()
    assert graph() is None

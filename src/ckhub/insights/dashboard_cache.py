"""The insights dashboard, computed once and shared by everyone who sees the same rows.

At 100k entries a filtered dashboard takes up to ~1 s to count (docs/benchmarks.md; the
unfiltered one reads roll-ups, insights/rollups.py). Its result depends only on the filters, on
which rows the viewer may see (`visibility_scope`) and on the data, so it is kept per (scope,
filters) with the data's version: a few cheap maxima over the tables it reads. Unchanged data
serves the kept result. Changed data (the minute job adds entries all day long) serves the kept
result while it was counted at most `insights_max_stale_seconds` ago and counts it again behind
the scenes — the page says when it was counted — and counts it on the spot beyond that.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ckhub.auth.permissions import Viewer, visibility_scope
from ckhub.insights.dashboard import Dashboard, insights_dashboard
from ckhub.insights.data_version import data_version
from ckhub.insights.filters import InsightFilters
from ckhub.runtime import Runtime
from ckhub.timeutil import utcnow

KEPT = 64  # dashboards kept per process, least recently used dropped first
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptDashboard:
    board: Dashboard
    version: tuple[Any, ...]
    computed_at: datetime


class DashboardCache:
    def __init__(self, session_factory: sessionmaker[Session], max_stale_seconds: int) -> None:
        self._session_factory = session_factory
        self._max_stale = timedelta(seconds=max_stale_seconds)
        self._kept: OrderedDict[tuple[str, ...], KeptDashboard] = OrderedDict()
        self._computing: set[tuple[str, ...]] = set()
        self._lock = threading.Lock()

    def dashboard(self, session: Session, viewer: Viewer, filters: InsightFilters) -> KeptDashboard:
        key = (
            visibility_scope(viewer),
            *sorted(f"{k}={v}" for k, v in filters.as_params().items()),
        )
        version = data_version(session)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is not None and kept.version == version:
            return kept
        if kept is not None and utcnow() - kept.computed_at <= self._max_stale:
            self._compute_behind(key, viewer, filters)
            return kept
        return self._store(key, _counted(session, viewer, filters, version))

    def _store(self, key: tuple[str, ...], kept: KeptDashboard) -> KeptDashboard:
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return kept

    def _compute_behind(
        self, key: tuple[str, ...], viewer: Viewer, filters: InsightFilters
    ) -> None:
        """Compute the dashboard again in a thread of its own (once per key at a time)."""
        with self._lock:
            if key in self._computing:
                return
            self._computing.add(key)

        def compute() -> None:
            try:
                with self._session_factory() as session:
                    version = data_version(session)  # read first: never newer than the counts
                    self._store(key, _counted(session, viewer, filters, version))
            except Exception:  # the kept result stays; the next view tries again
                log.exception("Counting the insights dashboard behind the scenes failed")
            finally:
                with self._lock:
                    self._computing.discard(key)

        threading.Thread(target=compute, name="insights-dashboard", daemon=True).start()

    def forget(self) -> None:
        """Drop every kept dashboard (the next views count again)."""
        with self._lock:
            self._kept.clear()

    def wait(self) -> None:
        """Until no dashboard is being computed behind the scenes (for tests and shutdown)."""
        while True:
            with self._lock:
                if not self._computing:
                    return
            threading.Event().wait(0.01)


def _counted(
    session: Session, viewer: Viewer, filters: InsightFilters, version: tuple[Any, ...]
) -> KeptDashboard:
    return KeptDashboard(insights_dashboard(session, viewer, filters), version, utcnow())


_caches: dict[str, DashboardCache] = {}
_caches_lock = threading.Lock()


def dashboard_cache_for(runtime: Runtime) -> DashboardCache:
    """One cache per database per process."""
    url = runtime.settings.resolved_database_url
    with _caches_lock:
        if url not in _caches:
            _caches[url] = DashboardCache(
                runtime.session_factory, runtime.settings.insights_max_stale_seconds
            )
        return _caches[url]

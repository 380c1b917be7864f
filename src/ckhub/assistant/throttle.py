"""A limit on anonymous questions per client address, so nobody can make the bot (an embedding
and a search per question) busy for everyone else, or flood the knowledge-gap log.

Kept in memory per application (one per `create_app`): enough against one noisy client; behind
several processes each keeps its own count, so the effective limit is that many times higher.
Signed-in people and API tokens are not limited here.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from ckhub.errors import Problem

WINDOW_SECONDS = 600


def too_many_questions() -> Problem:
    return Problem(
        "too-many-questions",
        "Too many questions from your network in the last few minutes. Please wait a little, "
        "or talk to a person.",
        429,
    )


class QuestionThrottle:
    def __init__(self) -> None:
        self._asked: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allows(self, address: str, limit: int) -> bool:
        """Whether one more question would pass (nothing is counted)."""
        with self._lock:
            return limit <= 0 or len(self._recent(address, time.monotonic())) < limit

    def check(self, address: str, limit: int, now: float | None = None) -> None:
        """Count one question from `address`; refuse it past `limit` in the window."""
        if limit <= 0:
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            asked = self._recent(address, now)
            if len(asked) >= limit:
                raise too_many_questions()
            asked.append(now)
            if len(self._asked) > 10_000:  # forget quiet addresses
                stale = now - WINDOW_SECONDS
                for key in [
                    k for k, times in self._asked.items() if not times or times[-1] <= stale
                ]:
                    del self._asked[key]

    def _recent(self, address: str, now: float) -> deque[float]:
        """The address's questions within the window (older ones dropped); lock held."""
        asked = self._asked[address]
        while asked and asked[0] <= now - WINDOW_SECONDS:
            asked.popleft()
        return asked

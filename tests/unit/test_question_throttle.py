"""The per-address question limit counts a sliding window and forgets old questions."""

from __future__ import annotations

import pytest

from ckhub.assistant.throttle import WINDOW_SECONDS, QuestionThrottle
from ckhub.errors import Problem


def test_a_sliding_window_per_address() -> None:
    throttle = QuestionThrottle()
    throttle.check("10.0.0.1", limit=2, now=0)
    throttle.check("10.0.0.1", limit=2, now=10)
    with pytest.raises(Problem, match="Too many questions"):
        throttle.check("10.0.0.1", limit=2, now=20)
    throttle.check("10.0.0.2", limit=2, now=20)  # another address has its own count
    throttle.check("10.0.0.1", limit=2, now=WINDOW_SECONDS + 1)  # the first one expired
    throttle.check("10.0.0.1", limit=0, now=WINDOW_SECONDS + 2)  # 0: no limit

"""Every analysis of the entries at once, from their stored vectors: what the jobs do over a day
(`ckhub analyze all`, and the demo workspace after loading)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ckhub.insights.aspect_analysis import analyze_aspects
from ckhub.insights.models import TopicRun
from ckhub.insights.rollups import refresh_rollups
from ckhub.insights.topic_refresh import refresh_topics
from ckhub.knowledge.sentiment import score_sentiment

Progress = Callable[[int, int], None]


@dataclass
class Analysis:
    scored: int  # entries whose sentiment was missing
    read: int  # entries whose sentences and aspects were read
    topics: TopicRun


def analyze_all(
    session: Session,
    embedder_name: str,
    sentiment_progress: Progress = lambda done, total: None,
    reading_progress: Progress = lambda done, total: None,
) -> Analysis:
    scored = score_sentiment(session, embedder_name, progress=sentiment_progress)
    read = analyze_aspects(session, embedder_name, progress=reading_progress)
    topics = refresh_topics(session, embedder_name)
    refresh_rollups(session)  # the dashboards' counts, as the minute job would next
    return Analysis(scored, read, topics)

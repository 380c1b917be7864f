"""What insights break entries down by: each dimension's column (a topic comes through the
entry's topic membership). Counting from entries (insights/trends.py) and rebuilding roll-ups
(insights/rollups.py) read the same table."""

from __future__ import annotations

from typing import Any

from ckhub.insights.models import EntryTopic
from ckhub.knowledge.models import KnowledgeEntry

DIMENSIONS: dict[str, Any] = {
    "topic": EntryTopic.topic_id,
    "product_line": KnowledgeEntry.product_line_id,
    "issue_type": KnowledgeEntry.issue_type_id,
    "channel": KnowledgeEntry.channel,
    "tier": KnowledgeEntry.tier_id,
}

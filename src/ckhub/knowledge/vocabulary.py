"""What every knowledge page needs to name channels, terms and tiers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ckhub.knowledge import taxonomy
from ckhub.knowledge.labels import CHANNEL_LABELS, FACET_LABELS, LANGUAGE_LABELS, VISIBILITY_LABELS


def vocabulary(db: Session) -> dict[str, Any]:
    return {
        "product_lines": {t.id: t for t in taxonomy.list_product_lines(db)},
        "issue_types": {t.id: t for t in taxonomy.list_issue_types(db)},
        "tiers": {t.id: t for t in taxonomy.list_tiers(db)},
        "channel_labels": CHANNEL_LABELS,
        "visibility_labels": VISIBILITY_LABELS,
        "language_labels": LANGUAGE_LABELS,
        "facet_labels": FACET_LABELS,
    }

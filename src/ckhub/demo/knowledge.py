"""Loading the generated demo knowledge through the real services (pipeline, tagging, signals)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ckhub.auth.service import find_user_by_login
from ckhub.demo.generator import DemoData
from ckhub.demo.phrases import PRODUCT_LINES
from ckhub.demo.service import DEMO_ACTOR
from ckhub.knowledge.customers import CustomerRef, save_customer
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.models import ProductLine
from ckhub.knowledge.service import ingest_entries
from ckhub.knowledge.taxonomy import save_term
from ckhub.ml.embedders import Embedder
from ckhub.usage.service import recompute_signals, record_event

BATCH = 200


def load_demo_knowledge(
    session: Session,
    data: DemoData,
    embedder: Embedder,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict[str, int]:
    for key, zh, en, keywords in PRODUCT_LINES:
        save_term(
            session, DEMO_ACTOR, ProductLine, key=key, name_zh=zh, name_en=en, keywords=keywords
        )
    owner = find_user_by_login(session, "sales.chen")
    ids = []
    for customer in data.customers:
        customer.owner_id = owner.id if owner else None
        ids.append(save_customer(session, DEMO_ACTOR, customer).id)
    session.commit()
    entries = [
        EntryInput(
            channel=e.channel,
            source=e.source,
            source_id=e.source_id,
            title=e.title,
            body=e.body,
            occurred_at=e.occurred_at,
            extra=e.extra,
            customer=CustomerRef(customer_id=ids[e.customer])
            if e.customer is not None
            else CustomerRef(),
        )
        for e in data.entries
    ]
    for start in range(0, len(entries), BATCH):
        ingest_entries(session, DEMO_ACTOR, entries[start : start + BATCH], embedder)
        progress(min(start + BATCH, len(entries)), len(entries))
    for usage in data.usage:
        record_event(
            session,
            ids[usage.customer],
            usage.event,
            usage.occurred_at,
            "demo-product",
            {"level": usage.level} if usage.level else {},
        )
    session.commit()
    recompute_signals(session)
    return {"customers": len(ids), "entries": len(entries), "usage_events": len(data.usage)}

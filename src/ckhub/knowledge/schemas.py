"""JSON shapes of the knowledge API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ckhub.auth.permissions import Capability, Viewer
from ckhub.knowledge.customers import CustomerInput, CustomerRef
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.models import Customer, KnowledgeEntry


class CustomerRefIn(BaseModel):
    customer_id: int | None = None
    source: str = ""
    external_id: str = ""
    email: str = ""
    phone: str = ""
    name: str = ""


class EntryIn(BaseModel):
    channel: str = Field(
        description="ticket, call, chat, email, sales_note, social, ecommerce, "
        "usage, meeting or other"
    )
    source: str = Field(description="The system it comes from, e.g. zendesk")
    source_id: str = Field("", description="Its id there; the same source + id updates")
    title: str = ""
    body: str
    occurred_at: datetime | None = None
    customer: CustomerRefIn = CustomerRefIn()
    product_line: str = ""
    issue_type: str = ""
    tags: list[str] = []
    visibility: str = "internal"
    team: str = ""
    language: str | None = None
    extra: dict[str, Any] = {}

    def to_input(self) -> EntryInput:
        values = self.model_dump(exclude={"customer", "tags"})
        return EntryInput(
            customer=CustomerRef(**self.customer.model_dump()), tags=tuple(self.tags), **values
        )


class OutcomeOut(BaseModel):
    line: int
    status: str
    entry_id: int | None = None
    error: str = ""
    field: str = ""


class EntryOut(BaseModel):
    id: int
    channel: str
    source: str
    source_id: str
    title: str
    body: str
    original_body: str | None = Field(
        None, description="Unredacted text; only for roles that handle customers"
    )
    redactions: dict[str, int]
    language: str
    occurred_at: datetime
    customer_id: int | None
    tier_id: int | None
    product_line_id: int | None
    issue_type_id: int | None
    tags: list[str]
    visibility: str
    team_id: int | None
    sentiment: str | None = Field(None, description="positive, neutral or negative")
    sentiment_score: float | None = Field(None, description="−1 (negative) … 1 (positive)")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, entry: KnowledgeEntry, viewer: Viewer) -> EntryOut:
        private = viewer.can(Capability.HANDLE_CUSTOMERS)
        return cls(
            id=entry.id,
            channel=entry.channel,
            source=entry.source,
            source_id=entry.source_id,
            title=entry.title,
            body=entry.body,
            redactions=entry.redactions,
            original_body=entry.original_body if private else None,
            language=entry.language,
            occurred_at=entry.occurred_at,
            customer_id=entry.customer_id,
            tier_id=entry.tier_id,
            product_line_id=entry.product_line_id,
            issue_type_id=entry.issue_type_id,
            tags=sorted(tag.tag for tag in entry.tags),
            visibility=entry.visibility,
            team_id=entry.team_id,
            sentiment=entry.sentiment,
            sentiment_score=entry.sentiment_score,
            created_at=entry.created_at,
            updated_at=entry.updated_at,
        )


class RetagIn(BaseModel):
    product_line_id: int | None
    issue_type_id: int | None


class SentimentIn(BaseModel):
    label: Literal["positive", "neutral", "negative"]


class SearchHitOut(BaseModel):
    entry: EntryOut
    score: float
    similarity: float | None
    snippet: str = Field(description="HTML, escaped, query words in <mark>")


class SearchOut(BaseModel):
    query: str
    mode: str
    candidates: int
    hits: list[SearchHitOut]
    facets: dict[str, list[tuple[Any, int]]]


class CustomerIn(BaseModel):
    name: str
    company: str = ""
    tier: str = ""
    region: str = ""
    owner_id: int | None = None
    emails: list[str] = []
    phones: list[str] = []
    external_ids: list[tuple[str, str]] = []

    def to_input(self, replace: bool = False) -> CustomerInput:
        return CustomerInput(
            name=self.name,
            company=self.company,
            tier=self.tier,
            region=self.region,
            owner_id=self.owner_id,
            emails=tuple(self.emails),
            phones=tuple(self.phones),
            external_ids=tuple(self.external_ids),
            replace=replace,
        )


class CustomerOut(BaseModel):
    id: int
    name: str
    company: str
    tier_id: int | None
    region: str
    owner_id: int | None
    external_ids: list[tuple[str, str]]
    contacts: list[tuple[str, str]] | None = Field(
        None, description="Personal data; only for roles that handle customers"
    )

    @classmethod
    def of(cls, customer: Customer, viewer: Viewer) -> CustomerOut:
        private = viewer.can(Capability.HANDLE_CUSTOMERS)
        return cls(
            id=customer.id,
            name=customer.name,
            company=customer.company,
            tier_id=customer.tier_id,
            region=customer.region,
            owner_id=customer.owner_id,
            external_ids=[(x.source, x.external_id) for x in customer.external_ids],
            contacts=[(c.kind, c.value) for c in customer.contacts] if private else None,
        )


class LinkIn(BaseModel):
    to: int = Field(description="The other entry's id")
    kind: str = Field("related", description="related, duplicate or follow_up")


class LinkOut(BaseModel):
    entry_id: int
    kind: str
    outgoing: bool = Field(
        description="True when this entry links to the other (e.g. is its duplicate)"
    )

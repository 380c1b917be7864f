"""JSON shapes of the feedback API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ckhub.feedback.queries import ItemRow, ItemView


class ItemIn(BaseModel):
    title: str = Field(max_length=200)
    kind: str = "feature_request"
    description: str = Field("", max_length=20000)
    entry_id: int | None = Field(None, description="Its customer becomes a requester.")
    is_public: bool = False


class StatusIn(BaseModel):
    status: str = Field(description="A status key: under_review, planned, shipped, …")
    note: str = Field("", max_length=4000)


class MergeIn(BaseModel):
    target_id: int = Field(description="The item this one duplicates.")


class SourceIn(BaseModel):
    entry_id: int


class ItemOut(BaseModel):
    id: int
    title: str
    kind: str
    status: str
    is_closed: bool
    impact: float
    requesters: int
    votes: int
    team: str | None
    owner: str | None
    due_at: datetime | None
    is_public: bool
    merged_into_id: int | None
    created_at: datetime

    @classmethod
    def of(cls, row: ItemRow) -> ItemOut:
        item = row.item
        return cls(
            id=item.id, title=item.title, kind=row.kind.key, status=row.status.key,
            is_closed=row.status.is_closed, impact=item.impact, requesters=item.requester_count,
            votes=row.votes, team=row.team or None, owner=row.owner or None, due_at=item.due_at,
            is_public=item.is_public, merged_into_id=item.merged_into_id,
            created_at=item.created_at,
        )  # fmt: skip


class RequesterOut(BaseModel):
    customer_id: int
    name: str
    words: list[str] = Field(description="Only from entries the caller may read.")


class ChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    by: str
    at: datetime
    note: str


class ItemDetailOut(ItemOut):
    description: str
    requester_list: list[RequesterOut]
    history: list[ChangeOut]

    @classmethod
    def of_view(cls, view: ItemView) -> ItemDetailOut:
        return cls(
            **ItemOut.of(view.row).model_dump(),
            description=view.row.item.description,
            requester_list=[
                RequesterOut(customer_id=r.customer_id, name=r.name,
                             words=[words for _, words, _ in r.quotes])
                for r in view.requesters
            ],
            history=[
                ChangeOut(from_status=from_key or None, to_status=to_key,
                          by=change.changed_by_name, at=change.changed_at, note=change.note)
                for change, from_key, to_key in view.history
            ],
        )  # fmt: skip

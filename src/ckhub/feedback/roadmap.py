"""What customers see of feedback: the public roadmap (items marked public), their vote — a
signed-in customer who votes becomes a requester, told when the item ships — their own requests,
and "suggest an improvement" from the help center and the answer bot, which becomes a knowledge
entry and a suggestion for staff to accept (customers never create items directly: staff word
them and look for duplicates first)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ckhub.auth.models import User
from ckhub.auth.permissions import Viewer
from ckhub.errors import Problem, not_found
from ckhub.feedback.models import (
    PENDING,
    FeedbackItem,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    FeedbackSuggestion,
    FeedbackVote,
)
from ckhub.feedback.queries import ItemRow, rows_where
from ckhub.feedback.requesters import refresh_impact
from ckhub.feedback.service import set_vote
from ckhub.i18n_marker import N_
from ckhub.knowledge.customers import (
    CustomerInput,
    CustomerRef,
    customer_of_user,
    link_account,
    match_customer,
    normalize_contact,
    record_customer,
)
from ckhub.knowledge.inputs import EntryInput
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import Embedder
from ckhub.settings import Settings
from ckhub.text.redact import redact

MAX_SUGGESTION = 2000
# Shown on the roadmap, in this order; items in other statuses stay internal even if public.
ROADMAP_STATUSES = ("under_review", "planned", "in_progress", "shipped")
HELPCENTER = Viewer.system("helpcenter")


def roadmap(session: Session) -> dict[str, list[ItemRow]]:
    rows = rows_where(
        session,
        FeedbackItem.is_public.is_(True),
        FeedbackStatus.key.in_(ROADMAP_STATUSES),
        sort="impact",
    )
    return {key: [row for row in rows if row.status.key == key] for key in ROADMAP_STATUSES}


def public_item(session: Session, item_id: int) -> ItemRow:
    """A public item on the roadmap; anything else is "not found" (not "forbidden": customers
    should not learn which internal items exist)."""
    found = rows_where(
        session,
        FeedbackItem.id == item_id,
        FeedbackItem.is_public.is_(True),
        FeedbackStatus.key.in_(ROADMAP_STATUSES),
        limit=1,
    )
    if not found:
        raise not_found(N_("Feedback item"))
    return found[0]


def _language_of(session: Session, user_id: int) -> str:
    locale = session.scalar(select(User.locale).where(User.id == user_id)) or ""
    return "en" if locale.startswith("en") else "zh"


def vote_on_roadmap(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    item_id: int,
    voting: bool,
    words: str = "",
) -> None:
    """A customer's vote; when their account belongs to a customer they become a requester
    (with their words, if they gave any), and stop being one when they take the vote back."""
    public_item(session, item_id)
    set_vote(session, viewer, item_id, voting)
    customer_id = customer_of_user(session, viewer.user_id)
    if customer_id is None or viewer.user_id is None:
        return
    mine = session.scalar(
        select(FeedbackSource).where(
            FeedbackSource.item_id == item_id,
            FeedbackSource.entry_id.is_(None),
            FeedbackSource.customer_id == customer_id,
            FeedbackSource.added_by_id == viewer.user_id,
        )
    )
    if voting and mine is None:
        session.add(FeedbackSource(
            # Redacted like an entry: staff read these words on the item page.
            item_id=item_id, customer_id=customer_id,
            quote=redact(words.strip()[:MAX_SUGGESTION]).text,
            language=_language_of(session, viewer.user_id), added_by_id=viewer.user_id,
        ))  # fmt: skip
    elif not voting and mine is not None:
        session.delete(mine)
    item = session.get(FeedbackItem, item_id)
    assert item is not None
    refresh_impact(session, settings, item)
    session.commit()


@dataclass
class MyRequest:
    """One thing the customer asked for: the item that stands for it now (a merged duplicate's
    target) and what they said."""

    item_id: int
    title: str
    status: FeedbackStatus
    is_public: bool
    words: str


def my_requests(session: Session, viewer: Viewer) -> list[MyRequest]:
    """The items the signed-in customer (their customer record) asked for or voted on, and
    their suggestions still waiting for staff."""
    if viewer.user_id is None:
        raise Problem("signin-required", "Please sign in first.", 401)
    customer_id = customer_of_user(session, viewer.user_id)
    asked = select(FeedbackSource.item_id).where(FeedbackSource.customer_id == customer_id)
    voted = select(FeedbackVote.item_id).where(FeedbackVote.user_id == viewer.user_id)
    items = session.scalars(
        select(FeedbackItem).where(
            or_(FeedbackItem.id.in_(asked), FeedbackItem.id.in_(voted))
            if customer_id is not None
            else FeedbackItem.id.in_(voted)
        )
    ).all()
    words = {
        source.item_id: source.quote
        for source in session.scalars(
            select(FeedbackSource).where(FeedbackSource.customer_id == customer_id)
        )
    }
    shown: dict[int, MyRequest] = {}
    for item in items:
        standing = item
        while standing.merged_into_id is not None:  # the duplicate's target answers for it
            target = session.get(FeedbackItem, standing.merged_into_id)
            if target is None:
                break
            standing = target
        status = session.get(FeedbackStatus, standing.status_id)
        assert status is not None
        request = MyRequest(
            standing.id, standing.title, status, standing.is_public, words.get(item.id, "")
        )
        shown.setdefault(standing.id, request)
    return sorted(shown.values(), key=lambda request: -request.item_id)


def waiting_suggestions(session: Session, viewer: Viewer) -> list[str]:
    """What the customer suggested that staff have not decided yet (their own words)."""
    customer_id = customer_of_user(session, viewer.user_id)
    if customer_id is None:
        return []
    return list(
        session.scalars(
            select(KnowledgeEntry.body)
            .join(FeedbackSuggestion, FeedbackSuggestion.entry_id == KnowledgeEntry.id)
            .where(
                KnowledgeEntry.customer_id == customer_id,
                FeedbackSuggestion.status == PENDING,
                KnowledgeEntry.deleted_at.is_(None),
            )
            .order_by(KnowledgeEntry.id.desc())
        )
    )


def _suggesting_customer(session: Session, viewer: Viewer, name: str, email: str) -> int:
    """The customer a suggestion comes from. A signed-in customer is their account's customer;
    an account not linked to one yet is linked by the account's own e-mail address (set by
    whoever created the sign-in), never by an address typed into the form."""
    if (customer_id := customer_of_user(session, viewer.user_id)) is not None:
        return customer_id
    user = session.get(User, viewer.user_id) if viewer.user_id is not None else None
    if user is not None:
        name, email = user.display_name or user.username, user.email or ""
    address = normalize_contact("email", email) if email.strip() else ""
    if not name.strip() or "@" not in address:
        raise Problem("contact-required",
                      "Give your name and e-mail address, so we can tell you when it is done.",
                      422, field="email")  # fmt: skip
    found = match_customer(session, CustomerRef(email=address))
    customer_id = found.id if found is not None else record_customer(
        session, HELPCENTER, CustomerInput(name=name.strip()[:200], emails=(address,))
    ).id  # fmt: skip
    if user is not None:
        link_account(session, HELPCENTER, user.id, customer_id)
    return customer_id


def suggest_improvement(
    session: Session,
    viewer: Viewer,
    embedder: Embedder,
    *,
    text: str,
    name: str = "",
    email: str = "",
    where: str = "helpcenter",
) -> int:
    """A customer's suggestion from the help center or the answer bot: a knowledge entry (the
    personal data in it redacted like any other) and a pending suggestion; returns the entry."""
    words = text.strip()
    if len(words) < 5:
        raise Problem("suggestion-too-short", "Tell us a little more (at least 5 characters).",
                      422, field="text")  # fmt: skip
    if len(words) > MAX_SUGGESTION:
        raise Problem("suggestion-too-long", "A suggestion has at most {max} characters.", 422,
                      field="text", max=MAX_SUGGESTION)  # fmt: skip
    customer_id = _suggesting_customer(session, viewer, name, email)
    [outcome] = ingest_entries(session, HELPCENTER, [EntryInput(
        channel="chat" if where == "assistant" else "other", source=where, body=words,
        source_id=f"customer-{customer_id}-{uuid4().hex[:12]}",
        customer=CustomerRef(customer_id=customer_id), visibility="internal",
    )], embedder)  # fmt: skip
    if outcome.entry_id is None:
        raise Problem("suggestion-failed", "Your suggestion could not be saved: {error}", 422,
                      error=outcome.error)  # fmt: skip
    kind_id = session.scalar(select(FeedbackKind.id).where(FeedbackKind.key == "feature_request"))
    exists = session.scalar(
        select(FeedbackSuggestion.id).where(FeedbackSuggestion.entry_id == outcome.entry_id)
    )
    if kind_id is not None and exists is None:
        session.add(FeedbackSuggestion(entry_id=outcome.entry_id, kind_id=kind_id, score=1.0,
                                       reason="customer", status=PENDING))  # fmt: skip
        session.commit()
    return outcome.entry_id

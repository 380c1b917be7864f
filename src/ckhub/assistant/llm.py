"""Optional answer writing by an OpenAI-compatible LLM, from the passages the bot found.

Retrieval, permissions and the confidence floor stay exactly as without an LLM: the model only
rewrites an answer the bot would have given anyway, from the sources it would have cited. It is
told to use nothing else and to mark each statement with its source number; its text is refused
(and the extractive answer used) when it cites no source or a source it was not given, or when it
contains a number found in neither the sources nor the question, the most common kind of added
fact. Any error or timeout also falls back to the extractive answer, so the bot never waits on, or
breaks because of, the LLM. The API key is never logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import httpx

from ckhub.settings import Settings

log = logging.getLogger(__name__)

NO_ANSWER = "NO_ANSWER"
MAX_SOURCE = 1500
_MARKER = re.compile(r"\[(\d{1,2})\]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_LIST_ORDINAL = re.compile(r"^\s*\d{1,2}[.)、]\s", re.MULTILINE)  # "1. " of the model's own list
_INSTRUCTIONS = {
    "zh": "用简体中文回答。",
    "en": "Answer in English.",
}
SYSTEM_PROMPT = (
    "You are a customer-support assistant. Answer the customer's question using ONLY the numbered "
    "sources below. Do not add any fact, number, step or promise that is not in them. After each "
    "sentence put the number of the source it comes from in square brackets, like [1]. Keep it "
    "short and keep steps as a numbered list. If the sources do not answer the question, reply "
    f"with exactly {NO_ANSWER}. {{language}}"
)


@dataclass(frozen=True)
class Source:
    title: str
    text: str


class AnswerWriter:
    """Writes answers through one OpenAI-compatible `/chat/completions` endpoint."""

    def __init__(self, url: str, model: str, api_key: str = "", timeout: float = 15.0) -> None:
        self.endpoint = url.rstrip("/") + "/chat/completions"
        self.model = model
        self.timeout = timeout
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

    def write(self, question: str, language: str, sources: list[Source]) -> str | None:
        """The written answer with [n] markers, or None to answer extractively."""
        if not sources:
            return None
        numbered = "\n\n".join(
            f"[{number}] {source.title}\n{source.text[:MAX_SOURCE]}"
            for number, source in enumerate(sources, start=1)
        )
        system = SYSTEM_PROMPT.format(language=_INSTRUCTIONS.get(language, _INSTRUCTIONS["zh"]))
        try:
            response = httpx.post(
                self.endpoint,
                headers=self._headers,
                timeout=self.timeout,
                json={
                    "model": self.model,
                    "temperature": 0,
                    "messages": [
                        {"role": "system", "content": f"{system}\n\nSources:\n\n{numbered}"},
                        {"role": "user", "content": question},
                    ],
                },
            )
            response.raise_for_status()
            text = str(response.json()["choices"][0]["message"]["content"]).strip()
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
            log.warning("LLM answer failed (%s); answering extractively", type(error).__name__)
            return None
        problem = _unfaithful(text, question, sources)
        if problem:
            log.info("LLM answer not used: %s", problem)
            return None
        return text


def _unfaithful(text: str, question: str, sources: list[Source]) -> str:
    """Why a written answer cannot be shown, or "" when it can."""
    if not text or text == NO_ANSWER or NO_ANSWER in text:
        return "the model found no answer in the sources"
    cited = {int(number) for number in _MARKER.findall(text)}
    if not cited:
        return "it cites no source"
    if not cited <= set(range(1, len(sources) + 1)):
        return "it cites a source it was not given"
    known = question + "\n".join(f"{s.title}\n{s.text}" for s in sources)
    for number in _NUMBER.findall(_LIST_ORDINAL.sub(" ", _MARKER.sub(" ", text))):
        if number not in known:
            return f"it has a number ({number}) found in no source"
    return ""


def writer_for_settings(settings: Settings) -> AnswerWriter | None:
    if not settings.llm_url:
        return None
    return AnswerWriter(
        settings.llm_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_seconds
    )

"""What the customer said in a transcript: without the company's side, without speaker labels.

Call and chat transcripts are stored one turn a line, "Speaker: words" (see
knowledge/connectors/documents.py). Read as text, "客服: 好的" says the agent service is good,
and the agent's "您好，这里是售后服务中心" or "Noted, we will follow up" are no customer's
feeling about anything. So before aspects are read, the company's lines are dropped and the
other speakers' labels taken off.

A label is a speaker's when the transcript's facts name that speaker, or when it starts two or
more lines (the shape of a conversation). A review written "外观：漂亮\n屏幕：清晰" keeps its
labels: each starts one line, and they are the things the customer judges.

A speaker is the company's when the label names a staff role (客服, 坐席, Agent, Support…) or
when the speaker opens a turn the way only the company does (这里是…, 工号 1234, thank you for
calling, how can I help). Lines are dropped only when someone else speaks too: a review that
judges 客服 on two lines ("客服：态度差\n客服：回复慢") is the customer's, and a transcript that
seems all agent is more likely mislabelled than empty of customers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_LABELLED_LINE = re.compile(r"^[ \t]*([^:：\n]{1,24}?)[ \t]*[:：][ \t]*", re.M)

# Words in a label that name the company's side (客服小王, Agent Sam, Tech support).
_STAFF_LABEL_WORDS = re.compile(
    r"客服|坐席|话务|工作人员|售后|技术支持|专员|工号"
    r"|\b(?:agent|support|rep|representative|operator|advisor|adviser|staff|csr|helpdesk)\b",
    re.IGNORECASE,
)
# What only the company's side says when answering, at the start of a turn after any greeting.
# (A customer may well say "this is the third time" or ask for an agent's 工号: so only openings.)
_STAFF_OPENINGS = re.compile(
    r"^\s*(?:(?:您好|你好|hello|hi|good (?:morning|afternoon|evening))[，,.!！\s]*)?"
    r"(?:这里是|感谢(?:您的?)?(?:来电|致电)|很高兴为您服务|(?:请问)?有什么(?:可以|能)帮(?:您|你)"
    r"|(?:我的)?工号\s*\d"
    r"|this is (?:the )?(?:customer (?:support|service|care)|support|help ?desk)\b"
    r"|thanks? (?:you )?for calling|how (?:can|may) I (?:help|assist))",
    re.IGNORECASE,
)


def _labels(text: str) -> Counter[str]:
    """How many lines each label starts."""
    return Counter(match.group(1) for match in _LABELLED_LINE.finditer(text))


def _turns(text: str, speaking: set[str]) -> list[tuple[str | None, str]]:
    """(speaker, words) for each line. An unlabelled line continues the last speaker's turn; a
    line labelled otherwise (客户: … said once) is nobody's turn and keeps its label."""
    turns: list[tuple[str | None, str]] = []
    speaker: str | None = None
    for line in text.split("\n"):
        label = _LABELLED_LINE.match(line)
        if label and label.group(1) in speaking:
            speaker, line = label.group(1), line[label.end() :]
        elif label:
            speaker = None
        turns.append((speaker, line))
    return turns


def _company_side(turns: list[tuple[str | None, str]], speaking: set[str]) -> set[str]:
    staff = {label for label in speaking if _STAFF_LABEL_WORDS.search(label)}
    staff |= {
        speaker for speaker, words in turns if speaker is not None and _STAFF_OPENINGS.search(words)
    }
    return staff


def customer_words(text: str, speakers: Iterable[str] = ()) -> str:
    """The text without the company's lines and without the speakers' labels."""
    labels = _labels(text)
    speaking = {label for label, lines in labels.items() if lines >= 2}
    speaking |= {name.strip() for name in speakers if isinstance(name, str)}
    if not speaking:
        return text
    turns = _turns(text, speaking)
    staff = _company_side(turns, speaking)
    if staff >= speaking:
        staff = set()  # nobody else speaks: a review judging 客服 line by line, or mislabelled
    return "\n".join(words for speaker, words in turns if speaker not in staff)

"""Who speaks in a transcript is not what it is about.

Call and chat transcripts are stored one turn a line, "Speaker: words" (see
knowledge/connectors/documents.py). Read as text, "客服: 好的" says the agent service is good
and "Agent: Noted" is about an agent; the labels are dropped before aspects are read. A label is
a speaker's when the transcript's facts name that speaker, or when it starts two or more lines
(the shape of a conversation). A review written "外观：漂亮\n屏幕：清晰" keeps its labels: each
starts one line, and they are the things the customer judges.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_LABELLED_LINE = re.compile(r"^[ \t]*([^:：\n]{1,24}?)[ \t]*[:：][ \t]*", re.M)


def without_speaker_labels(text: str, speakers: Iterable[str] = ()) -> str:
    """The text with the speakers' labels taken off the start of its lines."""
    labels = Counter(match.group(1) for match in _LABELLED_LINE.finditer(text))
    speaking = {label for label, lines in labels.items() if lines >= 2}
    speaking |= {name.strip() for name in speakers if isinstance(name, str)}
    if not speaking:
        return text
    return _LABELLED_LINE.sub(
        lambda match: "" if match.group(1) in speaking else match.group(0), text
    )

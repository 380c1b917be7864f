"""E-mail: a single .eml message or an .mbox mailbox, one entry per message."""

from __future__ import annotations

import email
import mailbox
import re
from collections.abc import Iterator
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from ckhub.knowledge.connectors.base import ImportOptions, RowError
from ckhub.knowledge.customers import CustomerRef
from ckhub.knowledge.inputs import EntryInput
from ckhub.timeutil import as_utc

# Where a reply starts quoting the message it answers ("On … wrote:", "在 … 写道：", "> …").
_QUOTE_START = re.compile(
    r"^(On .{0,200} wrote:|在.{0,100}写道[:：]|-{2,} ?Original Message ?-{2,}"
    r"|-{2,} ?原始邮件 ?-{2,}|发件人[:：])",
    re.MULTILINE,
)


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    return "".join(parser.parts)


def message_text(message: Message) -> str:
    """The message's own words: the plain-text part (or the HTML part as text), quotes cut."""
    plain = html = None
    for part in message.walk() if message.is_multipart() else [message]:
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        try:
            content = (
                part.get_content() if isinstance(part, EmailMessage) else str(part.get_payload())
            )
        except (LookupError, UnicodeDecodeError):
            payload = part.get_payload(decode=True)
            content = (
                payload.decode("gb18030", errors="replace") if isinstance(payload, bytes) else ""
            )
        if part.get_content_subtype() == "plain" and plain is None:
            plain = content
        elif part.get_content_subtype() == "html" and html is None:
            html = content
    text = plain if plain is not None else _html_to_text(html or "")
    quote = _QUOTE_START.search(text)
    if quote and quote.start() > 0:
        text = text[: quote.start()]
    return "\n".join(line for line in text.splitlines() if not line.startswith(">")).strip()


def message_to_entry(
    number: int, message: Message, options: ImportOptions
) -> EntryInput | RowError:
    name, address = parseaddr(str(message.get("From", "")))
    occurred = None
    if message.get("Date"):
        try:
            occurred = as_utc(parsedate_to_datetime(str(message["Date"])))
        except (TypeError, ValueError):
            return RowError(number, "occurred_at", f"unreadable Date header “{message['Date']}”")
    message_id = str(message.get("Message-ID", "")).strip().strip("<>")
    return EntryInput(
        channel=options.channel or "email",
        source=options.source,
        source_id=message_id,
        title=str(message.get("Subject", "")),
        body=message_text(message),
        occurred_at=occurred,
        customer=CustomerRef(email=address, name=name),
        visibility=options.visibility,
        team=options.team,
    )


class EmailConnector:
    kind = "email"
    default_channel = "email"

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        if path.suffix.lower() == ".mbox" or _looks_like_mbox(path):
            box = mailbox.mbox(path, factory=None, create=False)
            try:
                for number, key in enumerate(box.iterkeys(), 1):
                    raw = box.get_bytes(key)
                    parsed = email.message_from_bytes(raw, policy=default_policy)
                    yield number, message_to_entry(number, parsed, options)
            finally:
                box.close()
            return
        with path.open("rb") as handle:
            yield (
                1,
                message_to_entry(
                    1, email.message_from_binary_file(handle, policy=default_policy), options
                ),
            )


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "

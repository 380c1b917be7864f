"""Zendesk ticket exports (JSON lines or `{"tickets": [...]}`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ckhub.knowledge.connectors.base import ImportOptions, RowError
from ckhub.knowledge.connectors.encoding import open_text
from ckhub.knowledge.connectors.jsonstream import JsonRecordError, iter_records
from ckhub.knowledge.connectors.times import parse_time
from ckhub.knowledge.customers import CustomerRef
from ckhub.knowledge.inputs import EntryInput
from ckhub.text.language import ZH, detect_language


class ZendeskConnector:
    """Zendesk ticket exports: the incremental export (JSON lines) or `{"tickets": [...]}`."""

    kind = "zendesk"
    default_channel = "ticket"

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        with open_text(path) as text:
            for number, record in enumerate(iter_records(text, array_key="tickets"), 1):
                if isinstance(record, JsonRecordError) or not isinstance(record, dict):
                    yield number, RowError(number, "", str(record) if record else "not a ticket")
                    continue
                yield number, self._ticket(number, record, options)

    @staticmethod
    def _ticket(
        number: int, ticket: dict[str, Any], options: ImportOptions
    ) -> EntryInput | RowError:
        if "id" not in ticket:
            return RowError(number, "source_id", "the ticket has no id")
        body, speakers = _thread(ticket)
        occurred = None
        if ticket.get("created_at"):
            try:
                occurred = parse_time(str(ticket["created_at"]), options.timezone)
            except ValueError as problem:
                return RowError(number, "occurred_at", str(problem))
        requester = _object(ticket.get("requester"))
        via = _object(ticket.get("via"))
        return EntryInput(
            channel=options.channel or "ticket",
            source=options.source,
            source_id=str(ticket["id"]),
            title=str(ticket.get("subject") or ""),
            body=body,
            occurred_at=occurred,
            customer=CustomerRef(
                source=options.source,
                external_id=str(ticket.get("requester_id") or ticket.get("organization_id") or ""),
                email=str(requester.get("email") or ""),
                name=str(requester.get("name") or ""),
            ),
            tags=tuple(str(tag) for tag in ticket.get("tags", []) or []),
            visibility=options.visibility,
            team=options.team,
            # Workflow facts only: nothing personal goes into `extra`, which is not redacted.
            extra={key: ticket[key] for key in ("status", "priority", "type") if ticket.get(key)}
            | ({"via": via.get("channel")} if via.get("channel") else {})
            | ({"speakers": speakers} if speakers else {}),
        )


def _thread(ticket: dict[str, Any]) -> tuple[str, list[str]]:
    """The ticket's text and who speaks in it. The description, then each comment once
    (Zendesk's first comment repeats the description). When the export says who wrote a
    comment, it is labelled: the requester's "客户：…" / "Customer: …", anyone else's (an agent,
    an internal note) "客服：…" / "Agent: …", in the ticket's language — so that the ticket's
    feeling and aspects are read from the customer's words (text/speakers.py), while search
    and the entry page keep the whole thread."""
    description = str(ticket.get("description") or "")
    requester = ticket.get("requester_id")
    comments = [
        (str(c.get("body") or c.get("plain_body") or ""), c.get("author_id"))
        for c in ticket.get("comments", []) or []
        if isinstance(c, dict)
    ]
    comments = [(text, author) for text, author in comments if text.strip() != description.strip()]
    chinese = detect_language(" ".join([description, *(text for text, _ in comments)])) == ZH
    agent, customer = ("客服", "客户") if chinese else ("Agent", "Customer")
    mark = "：" if chinese else ": "
    parts, speakers = [description], set()
    for text, author in comments:
        if author is None or requester is None:
            parts.append(text)
            continue
        label = customer if author == requester else agent
        speakers |= {agent, customer}
        parts.append(f"{label}{mark}{text.strip()}")
    return "\n\n".join(part for part in parts if part.strip()), sorted(speakers)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}

"""JSON API of the answer bot, for channels other than the web chat."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ckhub.assistant import chat_steps, service
from ckhub.assistant.models import Sender
from ckhub.web.deps import DB, CurrentViewer

router = APIRouter(prefix="/api/v1/assistant", tags=["assistant"])


class AskIn(BaseModel):
    question: str
    conversation: str = Field("", description="The conversation key a previous answer returned")
    language: str = Field("zh", description="zh or en, for a new conversation")


class AskOut(BaseModel):
    conversation: str = Field(description="Send it back to continue the conversation")
    answer: str
    citations: list[dict[str, Any]]
    confidence: float | None
    abstained: bool = Field(description="True when the bot did not know; offer a person")
    with_a_person: bool = Field(description="A person has the conversation: no bot answer")


@router.post("/ask", response_model=AskOut)
def ask(body: AskIn, request: Request, db: DB, viewer: CurrentViewer) -> AskOut:
    """Ask the bot; it answers only from what the caller's token may read."""
    conversation = (
        service.conversation_by_key(db, body.conversation)
        if body.conversation
        else service.start_conversation(db, viewer, body.language, channel="api")
    )
    reply = chat_steps.answer_now(request, db, viewer, conversation, body.question)
    from_bot = reply.sender == Sender.BOT
    return AskOut(
        conversation=conversation.public_key,
        answer=reply.body if from_bot else "",
        citations=reply.citations,
        confidence=reply.confidence,
        abstained=reply.abstained,
        with_a_person=not from_bot,
    )

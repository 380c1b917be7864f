"""Conversations with the bot and their handoff to a person.

The bot says it is a bot in its first message and offers a person at any time. Handing over
keeps everything the customer already said: the agent sees their name and contact (asked for
when unknown), the issue type ckhub read from the chat, the whole transcript and the articles
shown. Every bot answer can be rated; a helpful answer without a handoff counts as resolved by
the bot.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.assistant.answers import BotAnswer, answer_question
from ckhub.assistant.llm import AnswerWriter
from ckhub.assistant.models import (
    Conversation,
    ConversationMessage,
    ConversationStatus,
    Sender,
)
from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.helpcenter.index import ArticleIndex
from ckhub.helpcenter.learning import forget_message, learn_question
from ckhub.helpcenter.queries import readable_article
from ckhub.i18n_marker import N_
from ckhub.knowledge.service import suggest_tags
from ckhub.ml.embedders import Embedder
from ckhub.notify.service import queue_email
from ckhub.search.engine import SearchEngine
from ckhub.settings import Settings
from ckhub.text.language import detect_language
from ckhub.timeutil import utcnow
from ckhub.web import i18n

MAX_QUESTION = 1000
MAX_MESSAGE = 5000
CHANNELS = ("web", "widget", "api")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# The bot's first words, in every channel: it says it is a bot and that a person is one step away.
GREETING = N_(
    "Hello! I am an automated assistant (a bot), not a person. I answer from our "
    "help center and always show where an answer comes from. You can ask to talk to a "
    "person at any time."
)


def _text(conversation: Conversation, message: str, **params: object) -> str:
    return i18n.translate(conversation.language, message, **params)


def _add(
    conversation: Conversation, sender: Sender, body: str, **fields: object
) -> ConversationMessage:
    message = ConversationMessage(sender=sender.value, body=body, **fields)
    conversation.messages.append(message)
    conversation.updated_at = utcnow()
    return message


def start_conversation(
    session: Session, viewer: Viewer, language: str, channel: str = "web"
) -> Conversation:
    """A new chat, opened by the bot saying what it is."""
    conversation = Conversation(
        public_key=secrets.token_urlsafe(24),
        channel=channel if channel in CHANNELS else "web",
        user_id=viewer.user_id,
        language="en" if language == "en" else "zh",
    )
    _add(conversation, Sender.BOT, _text(conversation, GREETING))
    session.add(conversation)
    session.commit()
    return conversation


def where_from_text(language: str, search: str, article: tuple[str, str] | None) -> str:
    """ "Still need help?" from the help center, as the chat says it: what the visitor searched
    and read (empty when neither)."""
    search, parts = search.strip()[:200], []
    if search:
        parts.append(i18n.translate(language, N_("searched for “{query}”"), query=search))
    if article is not None:
        parts.append(i18n.translate(language, N_("read “{title}”"), title=article[1]))
    if not parts:
        return ""
    return i18n.translate(language, N_("From the help center: {what}."), what="; ".join(parts))


def note_where_from(
    session: Session,
    conversation: Conversation,
    search: str = "",
    article: tuple[str, str] | None = None,
) -> None:
    """What the customer searched and read comes along, so the agent who takes over sees it
    (and the article counts as shown)."""
    text = where_from_text(conversation.language, search, article)
    if not text:
        return
    _add(
        conversation,
        Sender.SYSTEM,
        text,
        citations=[{"kind": "article", "id": 0, "title": article[1], "url": article[0]}]
        if article
        else [],
    )
    session.commit()


def conversation_by_key(session: Session, public_key: str) -> Conversation:
    conversation = session.scalar(select(Conversation).where(Conversation.public_key == public_key))
    if conversation is None:
        raise not_found(N_("Conversation"))
    return conversation


def checked_question(question: str) -> str:
    question = question.strip()
    if not question:
        raise Problem("empty-question", "Type a question first.", 422)
    if len(question) > MAX_QUESTION:
        raise Problem(
            "question-too-long", "Keep the question under {max} characters.", 422, max=MAX_QUESTION
        )
    return question


def ask(
    session: Session,
    viewer: Viewer,
    conversation: Conversation,
    question: str,
    articles: ArticleIndex,
    knowledge: SearchEngine,
    writer: AnswerWriter | None = None,
) -> ConversationMessage:
    """The customer's question and, while the bot is answering, the bot's answer."""
    question = checked_question(question)
    if conversation.status == ConversationStatus.RESOLVED:
        raise Problem("conversation-closed", "This conversation has ended; start a new one.", 409)
    asked = _add(conversation, Sender.CUSTOMER, question)
    if conversation.status != ConversationStatus.BOT:  # a person is on it now
        session.commit()
        return asked
    # Answer in the language of the question (people switch); else the conversation's.
    detected = detect_language(question)
    language = detected if detected in ("zh", "en") else conversation.language
    answer: BotAnswer = answer_question(
        session, viewer, articles, knowledge, question, language, writer
    )
    reply = _add(
        conversation,
        Sender.BOT,
        answer.text,
        citations=answer.citations,
        confidence=answer.confidence,
        abstained=answer.abstained,
    )
    session.commit()
    return reply


def rate_answer(
    session: Session,
    conversation: Conversation,
    message_id: int,
    helpful: bool,
    teacher: str | None = None,
) -> ConversationMessage:
    """ "Did this answer your question?" on one bot answer. A "Yes" teaches the cited article
    the question, counted under `teacher` (`chat_steps.teacher_of`)."""
    message = next((m for m in conversation.messages if m.id == message_id), None)
    if message is None or message.sender != Sender.BOT or message.abstained:
        raise not_found(N_("Answer"))
    message.helpful = helpful
    if helpful and conversation.status == ConversationStatus.BOT:
        conversation.resolved_by = "bot"
    elif not helpful and conversation.resolved_by == "bot":
        conversation.resolved_by = None
    article = next((c for c in message.citations if c["kind"] == "article"), None)
    asked = _question_before(conversation, message)
    if helpful and article is not None and asked is not None:
        learn_question(session, int(article["id"]), asked.body, "customer", message.id, teacher)
    elif not helpful:
        forget_message(session, message.id)
    session.commit()
    return message


def _question_before(
    conversation: Conversation, answer: ConversationMessage
) -> ConversationMessage | None:
    """The customer's question a bot message answered."""
    before = conversation.messages[: conversation.messages.index(answer)]
    return next((m for m in reversed(before) if m.sender == Sender.CUSTOMER), None)


def checked_contact(name: str, contact: str) -> tuple[str, str]:
    name, contact = name.strip()[:200], contact.strip()[:200]
    if not name or not contact:
        raise Problem(
            "contact-needed",
            "Tell us your name and how to reach you (e-mail or phone), so a person can reply.",
            422,
        )
    return name, contact


def hand_over(
    session: Session,
    conversation: Conversation,
    embedder: Embedder,
    *,
    name: str,
    contact: str,
) -> Conversation:
    """Put the conversation in the agents' queue with everything they need."""
    name, contact = checked_contact(name, contact)
    if conversation.status != ConversationStatus.BOT:
        raise Problem("already-handed-over", "A person is already on this conversation.", 409)
    asked = "\n".join(m.body for m in conversation.messages if m.sender == Sender.CUSTOMER)
    if asked:
        _product_line, conversation.issue_type_id = suggest_tags(session, embedder, asked)
    conversation.customer_name, conversation.customer_contact = name, contact
    conversation.status = ConversationStatus.WAITING.value
    conversation.handed_over_at = utcnow()
    conversation.resolved_by = None
    _add(
        conversation,
        Sender.SYSTEM,
        _text(
            conversation,
            N_(
                "Thank you, {name}. A person from our team will reply here and at {contact}, "
                "usually within one working day. They can see this whole conversation, so you do "
                "not need to repeat anything."
            ),
            name=name,
            contact=contact,
        ),
    )
    session.commit()
    return conversation


def staff_conversation(session: Session, viewer: Viewer, conversation_id: int) -> Conversation:
    if not viewer.can(Capability.HANDLE_CUSTOMERS):
        raise forbidden()
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.status == ConversationStatus.BOT:
        raise not_found(N_("Conversation"))
    return conversation


def pick_up(session: Session, viewer: Viewer, conversation_id: int) -> Conversation:
    """An agent takes a handed-over conversation."""
    conversation = staff_conversation(session, viewer, conversation_id)
    if conversation.status == ConversationStatus.RESOLVED:
        raise Problem("conversation-closed", "This conversation has ended; start a new one.", 409)
    conversation.status = ConversationStatus.ASSIGNED.value
    conversation.assigned_to_id = viewer.user_id
    _add(
        conversation,
        Sender.SYSTEM,
        _text(conversation, N_("{agent} from our team has joined."), agent=viewer.username),
    )
    audit.record(session, viewer, "conversation.picked_up", "conversation", conversation.id)
    session.commit()
    return conversation


def reply_as_agent(
    session: Session,
    viewer: Viewer,
    conversation_id: int,
    text: str,
    settings: Settings | None = None,
) -> ConversationMessage:
    """The agent's reply, in the chat and, when the customer left an e-mail address (and
    `settings` say where ckhub is), by e-mail with a link back to the conversation."""
    conversation = staff_conversation(session, viewer, conversation_id)
    text = text.strip()
    if not text or len(text) > MAX_MESSAGE:
        raise Problem("invalid-reply", "A reply is 1 to {max} characters.", 422, max=MAX_MESSAGE)
    if conversation.status == ConversationStatus.WAITING:
        conversation.status = ConversationStatus.ASSIGNED.value
        conversation.assigned_to_id = viewer.user_id
    message = _add(conversation, Sender.AGENT, text, author_id=viewer.user_id)
    if settings is not None and EMAIL.fullmatch(conversation.customer_contact):
        session.flush()
        _email_reply(session, settings, conversation, message)
    session.commit()
    return message


def conversation_link(settings: Settings, conversation: Conversation) -> str:
    """Where the customer continues this conversation (the key in the link is the access)."""
    base = settings.base_url.rstrip("/")
    if conversation.channel == "widget":
        return f"{base}/help/widget/c/{conversation.public_key}"
    return f"{base}/help/chat/resume/{conversation.public_key}"


def _email_reply(
    session: Session, settings: Settings, conversation: Conversation, reply: ConversationMessage
) -> None:
    body = _text(
        conversation,
        N_(
            "Hello {name},\n\nour team replied to your question:\n\n{reply}\n\n"
            "Continue the conversation here: {link}"
        ),
        name=conversation.customer_name,
        reply=reply.body,
        link=conversation_link(settings, conversation),
    )
    queue_email(
        session,
        to_address=conversation.customer_contact,
        to_name=conversation.customer_name,
        subject=_text(conversation, N_("Reply to your question")),
        body=body,
        category="conversation_reply",
        dedup_key=f"conversation_reply|{reply.id}",
    )


def mark_answered_by(
    session: Session, viewer: Viewer, conversation_id: int, slug: str
) -> Conversation:
    """An agent names the article that answers what the customer asked the bot, so the bot
    learns the customer's wording (helpcenter/learning.py)."""
    conversation = staff_conversation(session, viewer, conversation_id)
    article = readable_article(session, viewer, slug.strip().lower())
    for message in conversation.messages:
        before_handoff = (
            conversation.handed_over_at is None or message.created_at <= conversation.handed_over_at
        )
        if message.sender == Sender.CUSTOMER and before_handoff:
            learn_question(session, article.id, message.body, "agent", message.id)
    audit.record(
        session, viewer, "conversation.answered_by", "conversation", conversation.id, article=slug
    )
    session.commit()
    return conversation


def resolve(session: Session, viewer: Viewer, conversation_id: int) -> Conversation:
    conversation = staff_conversation(session, viewer, conversation_id)
    conversation.status = ConversationStatus.RESOLVED.value
    conversation.resolved_at = utcnow()
    conversation.resolved_by = "agent"
    _add(conversation, Sender.SYSTEM, _text(conversation, N_("This conversation has been closed.")))
    audit.record(session, viewer, "conversation.resolved", "conversation", conversation.id)
    session.commit()
    return conversation


def handoff_queue(session: Session, viewer: Viewer, status: str = "") -> list[Conversation]:
    """Handed-over conversations, oldest waiting first."""
    if not viewer.can(Capability.HANDLE_CUSTOMERS):
        raise forbidden()
    wanted = (
        [status]
        if status
        else [
            ConversationStatus.WAITING.value,
            ConversationStatus.ASSIGNED.value,
        ]
    )
    return list(
        session.scalars(
            select(Conversation)
            .where(Conversation.status.in_(wanted))
            .order_by(Conversation.handed_over_at, Conversation.id)
            .limit(500)
        )
    )

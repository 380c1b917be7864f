"""A newcomer signs in with the demo admin login, sees the dashboard and switches language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ckhub.demo.service import build_demo_workspace
from ckhub.runtime import Runtime
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_and_see_the_dashboard(
    page: Page, live_server: str, runtime: Runtime, db: Session
) -> None:
    logins = build_demo_workspace(db, runtime.settings)

    page.goto(f"{live_server}/admin/audit")  # a staff page: sign-in first, then back here
    expect(page).to_have_url(f"{live_server}/login?next=/admin/audit")
    page.get_by_label("Username or e-mail").fill("admin")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The username or password is not correct.")

    page.get_by_label("Password").fill(logins.admin_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server}/admin/audit")
    expect(page.locator("tbody")).to_contain_text("signin.failed")

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, 管理员 Admin")
    expect(page.locator("#workspace-figures")).to_contain_text("8Users")
    screenshot(page, "dashboard-en")

    page.get_by_role("button", name="简体中文").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，管理员 Admin")
    expect(page.get_by_role("link", name="工作台")).to_be_visible()
    expect(page.locator("#workspace-figures")).to_contain_text("团队")
    screenshot(page, "dashboard-zh")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_server}/login?notice=signed-out")
    expect(page.get_by_role("status")).to_have_text("您已退出登录。")


def test_customer_is_kept_out_of_staff_pages(
    page: Page, live_server: str, runtime: Runtime, db: Session
) -> None:
    logins = build_demo_workspace(db, runtime.settings)
    page.goto(f"{live_server}/login")
    page.get_by_label("Username or e-mail").fill("customer.zhou@demo.ckhub.local")
    page.get_by_label("Password").fill(logins.staff_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server}/account")
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    page.goto(f"{live_server}/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")

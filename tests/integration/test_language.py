"""The UI speaks Simplified Chinese and English, chosen by the user or the browser."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth import service
from ckhub.auth.permissions import Role
from tests.factories import make_user, post_form, sign_in


def test_browser_language_picks_chinese(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "登录 ckhub" in page.text
    assert 'lang="zh-CN"' in page.text


def test_switch_is_remembered_for_the_user(client: TestClient, db: Session) -> None:
    make_user(db, "li.na", Role.AGENT)
    sign_in(client, "li.na")
    assert "Welcome" in client.get("/dashboard").text
    response = post_form(client, "/language", {"locale": "zh_Hans", "next": "/dashboard"})
    assert response.headers["location"] == "/dashboard"
    assert "欢迎" in client.get("/dashboard", headers={"Accept-Language": "en"}).text
    user = service.find_user_by_login(db, "li.na")
    db.refresh(user)
    assert user is not None and user.locale == "zh_Hans"


def test_errors_are_translated_too(client: TestClient, db: Session) -> None:
    make_user(db, "li.na")
    client.cookies.set("ckhub_lang", "zh_Hans")
    page = sign_in(client, "li.na", "wrong-password-x")
    assert "用户名或密码不正确。" in page.text
    assert "页面不存在" in client.get("/nowhere").text

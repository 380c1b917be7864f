"""Internal articles never reach customers or visitors: not by search, the bot, the sitemap,
the API or the article page — and tier-restricted ones only reach their tier."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth import tokens
from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings, create_article, publish_article
from ckhub.helpcenter.structure import save_category, save_section
from tests.factories import SYSTEM, make_user, post_form

SECRET = "内部排查：2.3 固件同步缺陷的根因是令牌过期"


def _publish(db: Session) -> None:
    category = save_category(
        db, SYSTEM, slug="tablets", name_zh="平板", name_en="Tablets", requires_review=False
    )
    section = save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    )
    for slug, visibility, title in [
        ("public-sync", "public", "平板同步失败怎么办"),
        ("internal-sync", "internal", SECRET),
    ]:
        article = create_article(
            db,
            SYSTEM,
            ArticleSettings(section_id=section.id, slug=slug, visibility=visibility),
            [ArticleDraft("zh", title, f"{title}。重新登录可以暂时解决同步失败。")],
        )
        publish_article(db, SYSTEM, article.id)


def test_internal_articles_never_reach_customers(client: TestClient, db: Session) -> None:
    _publish(db)
    customer = make_user(db, "zhou.min", Role.CUSTOMER)
    api = TestClient(client.app)
    secret = tokens.create_token(db, viewer_for(db, customer.user), "t").secret
    api.headers["Authorization"] = f"Bearer {secret}"
    query = "2.3 固件同步缺陷 根因 令牌过期"
    surfaces = {
        "page": client.get("/help/articles/internal-sync"),
        "home": client.get("/help"),
        "search": client.get("/help/search", params={"q": query}),
        "sitemap": client.get("/sitemap.xml"),
        "api list": api.get("/api/v1/articles"),
        "api search": api.get("/api/v1/articles", params={"q": query}),
        "api article": api.get("/api/v1/articles/internal-sync"),
        "bot api": api.post("/api/v1/assistant/ask", json={"question": query}),
    }
    client.get("/help/chat")
    surfaces["bot chat"] = post_form(
        client, "/help/chat/ask", {"question": query}, page="/help/chat"
    )
    surfaces["bot transcript"] = client.get("/help/chat")
    for name, response in surfaces.items():
        assert SECRET not in response.text, name
        # (a 404 names the address the caller typed, nothing more)
        assert response.status_code == 404 or "internal-sync" not in response.text, name
    assert surfaces["page"].status_code == 404 and surfaces["api article"].status_code == 404
    assert "public-sync" in surfaces["api list"].text  # the public one is there

    staff = TestClient(client.app)
    staff.headers["Authorization"] = (
        "Bearer "
        + tokens.create_token(
            db, viewer_for(db, make_user(db, "agent.li", Role.AGENT).user), "t"
        ).secret
    )
    assert staff.get("/api/v1/articles/internal-sync").status_code == 200

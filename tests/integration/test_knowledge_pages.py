"""The knowledge pages as people use them: search, entry, customer 360, import, taxonomy."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service as accounts
from ckhub.auth.permissions import Role
from ckhub.knowledge.customers import CustomerInput, CustomerRef, save_customer
from ckhub.knowledge.models import IssueType, KnowledgeEntry
from tests.factories import SYSTEM, make_user, post_form, sign_in
from tests.knowledge_factories import entry, ingest


def _signed_in(client: TestClient, db: Session, role: Role = Role.AGENT) -> None:
    make_user(db, "staff1", role)
    sign_in(client, "staff1")


def test_search_page_and_as_you_type_partial(client: TestClient, db: Session) -> None:
    ingest(
        db,
        entry("热水器加热太慢", source_id="1", channel="ecommerce"),
        entry("发票开错了", source_id="2"),
    )
    _signed_in(client, db)
    page = client.get("/knowledge", params={"q": "熱水器"})  # Traditional finds Simplified
    assert page.status_code == 200
    assert "<mark>热水器</mark>" in page.text
    assert 'id="search-form"' in page.text
    partial = client.get("/knowledge", params={"q": "发票"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "发票开错了" in partial.text.split('class="hits"')[1]
    filtered = client.get("/knowledge", params={"q": "热水器 发票", "channel": "ecommerce"})
    hits = filtered.text.split('class="hits"')[1]
    assert "热水器加热太慢" in hits
    assert "发票开错了" not in hits


def test_entry_page_shows_personal_data_only_to_customer_handlers(
    client: TestClient, db: Session
) -> None:
    [outcome] = ingest(db, entry("请回电13812345678，屏幕碎了", source_id="p"))
    _signed_in(client, db, Role.EMPLOYEE)
    page = client.get(f"/knowledge/entries/{outcome.entry_id}")
    assert "[PHONE]" in page.text
    assert "13812345678" not in page.text
    agent = TestClient(client.app, follow_redirects=False)
    make_user(db, "agent9", Role.AGENT)
    sign_in(agent, "agent9")
    assert "13812345678" in agent.get(f"/knowledge/entries/{outcome.entry_id}").text


def test_retag_from_the_entry_page(client: TestClient, db: Session) -> None:
    [outcome] = ingest(db, entry("怎么开发票", source_id="t"))
    _signed_in(client, db)
    post_form(
        client,
        f"/knowledge/entries/{outcome.entry_id}/tags",
        {"product_line_id": "", "issue_type_id": "3"},
    )
    stored = db.get(KnowledgeEntry, outcome.entry_id)
    db.refresh(stored)
    assert stored is not None
    assert (stored.issue_type_id, stored.issue_type_origin) == (3, "manual")


def test_customer_360_timeline(client: TestClient, db: Session) -> None:
    customer = save_customer(
        db, SYSTEM, CustomerInput(name="华星科技", tier="strategic", emails=("it@hx.example",))
    )
    db.commit()
    ingest(
        db,
        entry("登录不了", source_id="a", customer=CustomerRef(email="it@hx.example")),
        entry(
            "想要批量导出",
            source_id="b",
            channel="sales_note",
            customer=CustomerRef(email="it@hx.example"),
        ),
    )
    _signed_in(client, db, Role.EMPLOYEE)
    page = client.get(f"/customers/{customer.id}").text
    assert "华星科技" in page
    assert "登录不了" in page and "想要批量导出" in page
    assert "it@hx.example" not in page  # employees do not see contact data
    assert "华星科技" in client.get("/customers", params={"q": "华星"}).text


def test_import_flow_upload_map_preview_run_report(client: TestClient, db: Session) -> None:
    _signed_in(client, db)
    data = "编号,内容,时间\n1,导出按钮没反应,2026-10-01\n2,,2026-10-02\n3,电池不耐用,明天\n"
    token_page = client.get("/knowledge/import")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', token_page.text).group(1)  # type: ignore[union-attr]
    uploaded = client.post(
        "/knowledge/import",
        data={
            "csrf_token": token,
            "source": "shop",
            "channel": "ecommerce",
            "visibility": "internal",
        },
        files={"file": ("reviews.csv", data.encode("gbk"), "text/csv")},
    )
    assert uploaded.status_code == 303
    mapping_url = uploaded.headers["location"]
    mapping = client.get(mapping_url).text
    assert '<option value="内容" selected>' in mapping  # the text column was guessed
    assert "导出按钮没反应" in mapping  # preview of the first rows
    assert "明天" in mapping  # the bad date shows in the preview already
    preview = client.post(
        f"{mapping_url}/preview",
        headers={"HX-Request": "true", "X-CSRF-Token": token},
        data={"map_body": "编号"},
    )
    assert "<td>1</td>" in preview.text
    started = client.post(
        f"{mapping_url}/start",
        data={
            "csrf_token": token,
            "map_body": "内容",
            "map_source_id": "编号",
            "map_occurred_at": "时间",
        },
    )
    assert started.status_code == 303
    report = client.get(started.headers["location"]).text
    assert "3 rows: 1 created, 0 updated, 0 unchanged, 0 duplicate, 2 failed." in report
    assert "明天" in report
    assert db.scalars(select(KnowledgeEntry.body)).all() == ["导出按钮没反应"]


def _upload(client: TestClient, kind: str, name: str, content: bytes) -> str:
    """Upload a file of `kind` on the import page; returns the finished job's report."""
    token = re.search(
        r'name="csrf_token" value="([0-9a-f]+)"',  # type: ignore[union-attr]
        client.get("/knowledge/import").text,
    ).group(1)
    started = client.post(
        "/knowledge/import",
        data={"csrf_token": token, "kind": kind, "source": f"web-{kind}"},
        files={"file": (name, content, "application/octet-stream")},
    )
    assert started.status_code == 303
    assert "/knowledge/import/jobs/" in started.headers["location"]  # no mapping step
    return client.get(started.headers["location"]).text


def test_import_page_takes_every_kind_of_file(client: TestClient, db: Session) -> None:
    _signed_in(client, db)
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v 客服>您好</v>\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v 客户>平板同步一直失败</v>\n"
    )
    assert "1 rows: 1 created" in _upload(client, "transcript", "call.vtt", vtt.encode())
    call = db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source == "web-transcript")).one()
    assert call.channel == "call" and "客户: 平板同步一直失败" in call.body

    eml = (
        "From: Li Lei <lilei@hx.example>\nTo: support@ckhub.example\nSubject: 发票抬头\n"
        "Date: Mon, 2 Nov 2026 10:00:00 +0800\nMessage-ID: <m1@hx.example>\n\n发票抬头开错了\n"
    )
    assert "1 rows: 1 created" in _upload(client, "email", "message.eml", eml.encode())
    notes = "# 华星季度回顾\n\n- 希望支持批量导出\n"
    assert "1 rows: 1 created" in _upload(client, "meeting", "review.md", notes.encode())
    zendesk = '{"tickets": [{"id": 7, "subject": "Sync", "description": "Sync fails"}]}'
    report = _upload(client, "zendesk", "export.json", zendesk.encode())
    assert "1 rows: 1 created" in report, report.split("<main")[1][:1500]
    channels = set(db.scalars(select(KnowledgeEntry.channel)).all())
    assert channels == {"call", "email", "meeting", "ticket"}

    save_customer(db, SYSTEM, CustomerInput(name="华星", external_ids=(("crm", "C-1"),)))
    db.commit()
    usage = "account_id,event,timestamp\nC-1,export,2026-11-01 10:00\nC-9,login,2026-11-01\n"
    report = _upload(client, "usage", "events.csv", usage.encode("gbk"))
    assert "2 rows: 1 events stored, 0 already known, 1 failed" in report
    assert "C-9" in report  # the unknown customer is named in the error report


def test_upload_errors_are_friendly(client: TestClient, db: Session) -> None:
    _signed_in(client, db)
    token = re.search(
        r'name="csrf_token" value="([0-9a-f]+)"',  # type: ignore[union-attr]
        client.get("/knowledge/import").text,
    ).group(1)
    wrong = client.post(
        "/knowledge/import",
        data={"csrf_token": token},
        files={"file": ("notes.pdf", b"%PDF", "application/pdf")},
    )
    assert wrong.status_code == 415
    assert ".xlsx" in wrong.text
    mail = client.post(
        "/knowledge/import",
        data={"csrf_token": token, "kind": "email"},
        files={"file": ("mail.csv", b"a,b", "text/csv")},
    )
    assert mail.status_code == 415
    assert ".eml, .mbox" in mail.text


def test_taxonomy_admin(client: TestClient, db: Session) -> None:
    _signed_in(client, db, Role.KNOWLEDGE_MANAGER)
    saved = post_form(
        client,
        "/admin/taxonomy/product-lines",
        {
            "key": "heaters",
            "name_zh": "热水器",
            "name_en": "Water heaters",
            "keywords": "热水器\n加热",
            "is_active": "true",
        },
    )
    assert saved.status_code == 303
    [outcome] = ingest(db, entry("加热很慢", source_id="x"))
    stored = db.get(KnowledgeEntry, outcome.entry_id)
    assert stored is not None and stored.product_line_id is not None
    clash = post_form(
        client,
        "/admin/taxonomy/product-lines",
        {"key": "heaters", "name_zh": "x", "name_en": "x", "is_active": "true"},
    )
    assert clash.status_code == 409
    assert "already used" in clash.text
    tier = post_form(
        client,
        "/admin/taxonomy/tiers",
        {"key": "vip", "name_zh": "贵宾", "name_en": "VIP", "weight": "5"},
        page="/admin/taxonomy",
    )
    assert tier.status_code == 303
    page = client.get("/admin/taxonomy").text
    assert "<code>vip</code> ×5.0" in page
    customer = save_customer(db, SYSTEM, CustomerInput(name="贵宾客户", tier="贵宾"))
    assert customer.tier is not None and customer.tier.key == "vip"  # found by its Chinese name
    too_heavy = post_form(
        client,
        "/admin/taxonomy/tiers",
        {"key": "gold", "name_zh": "金", "name_en": "Gold", "weight": "heavy"},
        page="/admin/taxonomy",
    )
    assert too_heavy.status_code == 422 and "from 0 to 1000" in too_heavy.text
    engineering = accounts.create_team(db, SYSTEM, "Engineering")
    bug = db.scalar(select(IssueType).where(IssueType.key == "bug"))
    assert bug is not None
    owned = post_form(
        client,
        "/admin/taxonomy/issue-types",
        {"term_id": bug.id, "key": "bug", "name_zh": bug.name_zh, "name_en": bug.name_en,
         "keywords": bug.keywords, "is_active": "true", "owner_team_id": engineering.id},
        page="/admin/taxonomy",
    )  # fmt: skip
    assert owned.status_code == 303
    db.refresh(bug)
    assert bug.owner_team_id == engineering.id  # suggested owner of bug reports (insight table)
    employee = TestClient(client.app, follow_redirects=False)
    make_user(db, "emp", Role.EMPLOYEE)
    sign_in(employee, "emp")
    assert employee.get("/admin/taxonomy").status_code == 403


def test_customer_form_creates_and_edits(client: TestClient, db: Session) -> None:
    _signed_in(client, db)
    assert "/customers/new" in client.get("/customers").text
    created = post_form(
        client,
        "/customers/new",
        {
            "name": "远航物流",
            "company": "远航物流有限公司",
            "tier": "key",
            "region": "华东",
            "emails": "IT@Yuanhang.example\n",
            "phones": "138 1234 5678",
            "external_ids": "crm:C-7\nerp:991",
        },
        page="/customers/new",
    )
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert "远航物流有限公司" in page and "crm:C-7" in page
    assert "it@yuanhang.example" in page and "13812345678" in page  # agents handle customers
    customer_id = int(created.headers["location"].split("/")[2].split("?")[0])
    form = client.get(f"/customers/{customer_id}/edit").text
    assert "crm:C-7\nerp:991" in form and 'value="远航物流"' in form
    bad = post_form(
        client,
        f"/customers/{customer_id}/edit",
        {"name": "远航物流", "external_ids": "C-8 without a source"},
        page=f"/customers/{customer_id}/edit",
    )
    assert bad.status_code == 422
    assert "source:id" in bad.text and "C-8 without a source" in bad.text  # what was typed stays
    edited = post_form(
        client,
        f"/customers/{customer_id}/edit",
        {"name": "远航物流", "tier": "strategic", "external_ids": "crm:C-7"},
        page=f"/customers/{customer_id}/edit",
    )
    assert edited.status_code == 303
    page = client.get(f"/customers/{customer_id}").text
    assert "erp:991" not in page and "it@yuanhang.example" not in page  # removed on the form


def test_entries_are_linked_from_the_entry_page(client: TestClient, db: Session) -> None:
    first, second = ingest(
        db, entry("平板同步失败", source_id="1"), entry("平板同步一直失败", source_id="2")
    )
    _signed_in(client, db)
    page = client.get(f"/knowledge/entries/{first.entry_id}").text
    assert "Link as related" in page  # the similar entry can be linked in one click
    linked = post_form(
        client,
        f"/knowledge/entries/{first.entry_id}/links",
        {"other": f"#{second.entry_id}", "kind": "duplicate"},
        page=f"/knowledge/entries/{first.entry_id}",
    )
    assert linked.status_code == 303
    other_side = client.get(f"/knowledge/entries/{second.entry_id}").text
    links_section = other_side.split('id="links"')[1].split("</section>")[0]
    assert '<span class="badge">Duplicate</span>' in links_section
    assert "平板同步失败" in links_section
    post_form(
        client,
        f"/knowledge/entries/{second.entry_id}/links/{first.entry_id}/delete",
        {},
        page=f"/knowledge/entries/{second.entry_id}",
    )
    page = client.get(f"/knowledge/entries/{first.entry_id}").text
    assert '<span class="badge">Duplicate</span>' not in page


def test_customer_sign_ins_are_linked_on_the_customer_page(client: TestClient, db: Session) -> None:
    customer = save_customer(db, SYSTEM, CustomerInput(name="华星科技", tier="strategic"))
    db.commit()
    make_user(db, "zhou.min", Role.CUSTOMER)
    make_user(db, "emp.qian", Role.EMPLOYEE)
    _signed_in(client, db)  # an agent handles customers
    page = f"/customers/{customer.id}"
    linked = post_form(client, f"{page}/sign-ins", {"login": "zhou.min"}, page=page)
    assert linked.status_code == 303
    assert "<code>zhou.min</code>" in client.get(page).text
    staff = post_form(client, f"{page}/sign-ins", {"login": "emp.qian"}, page=page)
    assert staff.status_code == 422 and "not the sign-in of a customer" in staff.text
    user_id = client.get(page).text.split('name="unlink" value="')[1].split('"')[0]
    post_form(client, f"{page}/sign-ins", {"unlink": user_id}, page=page)
    assert "<code>zhou.min</code>" not in client.get(page).text

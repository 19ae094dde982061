"""Personal data: which columns hold it, and what it looks like in a value.

The one home of the privacy rules. The ingest keeps personal values out of its messages, the
alerts scrub them from every text, the publish refuses a mart that carries one and the exports
refuse a file that does: all with the columns and patterns below, so the four cannot drift
apart.
"""

from __future__ import annotations

import ipaddress
import re

from orchestration.domain.contract import EMAIL_HEADER, IP_HEADER, NAME_HEADER, PHONE_HEADER

# The contract's personal columns: in `raw` only, never downstream, never in a message.
PERSONAL_HEADERS = (IP_HEADER, NAME_HEADER, PHONE_HEADER, EMAIL_HEADER)
REDACTED_VALUE = "[redacted: personal data]"


def _snake(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


_PERSONAL_SNAKE = frozenset(_snake(h) for h in PERSONAL_HEADERS)  # ip_address, q3_name, ...
# Names a staging/mart column derived from a personal header would plausibly get.
_PERSONAL_COLUMN = re.compile(
    r"(^|_)(ip|ipv4|ipv6|ip_?addr(ess)?)($|_)"
    r"|e_?mail|phone|telephone|mobile"
    r"|(^|_)(respondent|contact|person|full|first|last|sur)_?name($|_)"
)


def is_personal_column(name: str) -> bool:
    """True for a contract personal header or a column name that looks like one (IP, email...)."""
    snake = _snake(name)
    return snake in _PERSONAL_SNAKE or bool(_PERSONAL_COLUMN.search(snake))


# --- personal values -------------------------------------------------------------------------
# Each pattern starts only where its kind can start, so it stays linear on long tokens (base64
# images, hashes). IP candidates are confirmed by `ipaddress`, so times, versions and hashes
# survive.
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%\w+)?(?![\w:.])")
# UK numbers: +44 / 0044 / (0)... / 0..., then 9-10 digits with spaces, dashes or brackets.
UK_PHONE = re.compile(
    r"(?<![\w+.])(?:(?:\+|00)44[\s\-]?(?:\(0\)[\s\-]?)?|\(?0)(?:\d[\s\-()]{0,2}){8,9}\d(?!\w|\.\d)"
)
# For SQL engines (RE2: no look-around, ASCII \d and \s): matches every value that any pattern
# above could match, and more; a hit is then confirmed in Python with `personal_data_kinds`.
# Python's \d and \s are Unicode, hence \p{Nd} and the spaces RE2's \s leaves out; a phone
# number starts with +44 or a 0 (ids and counts without one are not candidates).
_SQL_PHONE_CHARS = r"[\p{Nd}\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}()\-]"
SQL_CANDIDATE = (
    r"@|[0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f]*:"
    rf"|\+44|0{_SQL_PHONE_CHARS}{{8,}}\p{{Nd}}"
)


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def _is_ipv6(text: str) -> bool:
    if text.count(":") < 2:
        return False
    try:
        ipaddress.IPv6Address(text.split("%")[0])
    except ValueError:
        return False
    return True


def personal_data_kinds(text: str) -> set[str]:
    """The kinds of personal data found in `text` (empty when clean)."""
    kinds = set()
    if EMAIL.search(text):
        kinds.add("an email address")
    if any(_is_ipv4(m.group(0)) for m in IPV4.finditer(text)):
        kinds.add("an IPv4 address")
    if any(_is_ipv6(m.group(0)) for m in IPV6.finditer(text)):
        kinds.add("an IPv6 address")
    if UK_PHONE.search(text):
        kinds.add("a phone number")
    return kinds


def _confirmed(check, replacement: str):
    return lambda match: replacement if check(match.group(0)) else match.group(0)


def scrub(text: str) -> str:
    """`text` with every email, IPv4/IPv6 address and UK phone number replaced by a marker."""
    text = EMAIL.sub("[redacted email]", text)
    text = IPV6.sub(_confirmed(_is_ipv6, "[redacted ip]"), text)
    text = IPV4.sub(_confirmed(_is_ipv4, "[redacted ip]"), text)
    return UK_PHONE.sub("[redacted phone]", text)

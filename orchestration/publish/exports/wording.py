"""How the findings and the chart descriptions put numbers into words: plain functions, no data.

Everything that decides a word lives here, so a wording can be read and changed in one place:
how a list is joined, how an area is named in a sentence, when a share is "more than half",
and how ties and near-ties are said. `findings.py` holds the sentences themselves.

Ties and near-ties are worded, never hidden: items with the same value are one group
("five areas tied at 37 (...)"), a top or bottom list that would cut through a group takes
the whole group, and a group just outside the list is named after it ("just ahead of
physical activity and migrant health (16 each)").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)

# How a category is named inside a sentence, where the marts' own label would read badly.
# Anything not listed is lower-cased (acronyms such as OPCC excepted).
DISPLAY_NAMES = {
    "ACE (adverse child experiences)": "adverse childhood experiences (ACEs)",
    "Home office": "Home Office",
    "Home Office": "Home Office",
    "NHS": "NHS",
}


def number_word(n: int) -> str:
    """'five' for 5 (up to twenty), digits beyond."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def display_name(name: str) -> str:
    """A category label as it reads inside a sentence: 'Mental health' -> 'mental health'."""
    if name in DISPLAY_NAMES:
        return DISPLAY_NAMES[name]
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():  # an acronym: OPCC, NHS
        return name
    return name[:1].lower() + name[1:]


PLURAL_WORDS = frozenset({"people", "children", "police"})


def is_plural(name: str) -> bool:
    """'sex workers' were, 'homelessness' was: enough English for the marts' labels."""
    last = display_name(name).rstrip(")").split(" ")[-1].lower()
    if last in PLURAL_WORDS:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def join(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (no serial comma, as in the report)."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def count(value: float) -> str:
    """A count or a measure as the report prints it: 1,234; 2.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def percent(part: float, whole: float) -> str:
    """'67%': whole per cent, as the report gives shares in its text."""
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def share_of_respondents(part: int, whole: int) -> str:
    """How many of the respondents who answered, in the report's words."""
    if whole <= 0:
        return "no respondents"
    share = part / whole
    if part == whole:
        return "every respondent"
    if share >= 0.9:
        return "almost every respondent"
    if share > 0.5:
        return "more than half of respondents"
    if 2 * part == whole:
        return "half of respondents"
    if share >= 0.25:
        return "fewer than half of respondents"
    return "a minority of respondents"


def majority(part: int, whole: int) -> str:
    """'the majority', 'half', 'a minority' of a group that answered a yes/no question."""
    if 2 * part > whole:
        return "the majority"
    if 2 * part == whole:
        return "half"
    return "a minority"


# --- ranking with ties -----------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Items that share one value, in the order they were given."""

    value: float
    names: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Ranking:
    """The leading groups of a ranking, and the group just outside them."""

    groups: tuple[Group, ...]  # most (or least) first; together at least `wanted` items
    wanted: int
    next_group: Group | None  # the first group left out, if any
    near_tie: bool  # the group left out is within NEAR of the last group taken

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for group in self.groups for name in group.names)

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(group.value for group in self.groups for _ in group.names)

    @property
    def cut_through_tie(self) -> bool:
        """More items than wanted, because a tie straddled the cut."""
        return len(self.names) > self.wanted


def near(a: float, b: float) -> bool:
    """A near-tie: one apart, or within 5% of the larger value when values are large."""
    return abs(a - b) <= max(1.0, 0.05 * max(abs(a), abs(b)))


def groups_of(items: Iterable[tuple[str, float]], *, descending: bool = True) -> list[Group]:
    """Items sorted by value (stable within a value), equal values grouped."""
    ordered = sorted(items, key=lambda item: -item[1] if descending else item[1])
    groups: list[Group] = []
    for name, value in ordered:
        if groups and groups[-1].value == value:
            groups[-1] = Group(value, (*groups[-1].names, name))
        else:
            groups.append(Group(value, (name,)))
    return groups


def leading(items: Iterable[tuple[str, float]], wanted: int, *, descending: bool = True) -> Ranking:
    """The `wanted` highest (or lowest) items, with every item tied with the last one."""
    groups = groups_of(items, descending=descending)
    taken: list[Group] = []
    for group in groups:
        if sum(g.size for g in taken) >= wanted:
            break
        taken.append(group)
    rest = groups[len(taken) :]
    next_group = rest[0] if rest else None
    near_tie = bool(taken and next_group and near(taken[-1].value, next_group.value))
    return Ranking(tuple(taken), wanted, next_group, near_tie)


def _group_phrase(group: Group, noun: str) -> str:
    names = [display_name(n) for n in group.names]
    if group.size == 1:
        return names[0]
    if group.size <= 3:
        return f"{join(names)} (tied at {count(group.value)})"
    return f"{number_word(group.size)} {noun} tied at {count(group.value)} ({join(names)})"


def subject(ranking: Ranking, noun: str = "areas") -> str:
    """The items of a ranking as the subject of a sentence, ties said as ties.

    'mental health, health in custody and drugs'; 'obesity and migrant health (tied at 21)';
    'mental health, health in custody and five areas tied at 37 (...)'.
    """
    return join([_group_phrase(group, noun) for group in ranking.groups])


def verb(ranking: Ranking, singular: str, plural: str) -> str:
    names = ranking.names
    if len(names) == 1:
        return plural if is_plural(names[0]) else singular
    return plural


def values_phrase(ranking: Ranking) -> str:
    """'72, 65 and 62', or '21 each' when every item shares one value."""
    if len(ranking.groups) == 1 and ranking.groups[0].size > 1:
        return f"{count(ranking.groups[0].value)} each"
    return join([count(v) for v in ranking.values])


def named_values(groups: Sequence[Group]) -> str:
    """'mental health (72), health in custody (65) and obesity and migrant health (21 each)'."""
    parts = []
    for group in groups:
        names = join([display_name(n) for n in group.names])
        each = " each" if group.size > 1 else ""
        parts.append(f"{names} ({count(group.value)}{each})")
    if any(group.size > 1 for group in groups) and len(parts) > 1:
        return "; ".join(parts)  # 'a (18); b and c (16 each)': no 'and' inside an 'and'
    return join(parts)


def near_tie_clause(ranking: Ranking, *, descending: bool = True) -> str:
    """', just ahead of physical activity and migrant health (16 each)', or ''."""
    if not ranking.near_tie or ranking.next_group is None:
        return ""
    lead = "just ahead of" if descending else "closely followed by"
    return f", {lead} {named_values([ranking.next_group])}"

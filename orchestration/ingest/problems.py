"""A problem found in a delivered file, said so a person can find and fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from orchestration.domain.privacy import PERSONAL_HEADERS, REDACTED_VALUE

# How many problems an error message lists; the report beside a quarantined file says how
# many there were in all.
MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 0 = header row, 1 = first response; None = the file as a whole
    column: str | None
    value: str | None
    expected: str

    def __post_init__(self) -> None:
        # A value from a personal column never leaves the validator: not in a message,
        # a log line, a report or an alert.
        if self.column in PERSONAL_HEADERS and self.value is not None:
            object.__setattr__(self, "value", REDACTED_VALUE)

    def describe(self) -> str:
        where = [self.file]
        if self.row == 0:
            where.append("header row")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = "" if self.value is None else f": found {self.value!r}"
        return f"{', '.join(where)}{value}; expected {self.expected}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarise(problems: list[Problem], limit: int = MAX_LISTED_PROBLEMS) -> str:
    lines = [f"- {problem.describe()}" for problem in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"- ... and {len(problems) - limit} more (see the quarantine report)")
    return "\n".join(lines)

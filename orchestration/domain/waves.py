"""Survey waves: which wave (and so which questionnaire) an export belongs to.

The waves are a hand-kept dbt seed, `seeds/curated/survey_waves.csv` (one row per wave and
survey version: the questionnaire it asked and the window, in dates, in which it ran). dbt reads
it as a seed; the ingest runs before dbt, so it reads the same file here, with the csv module.
This module is the one reader, and says what makes the file valid; the rule an export is held to
(every response's Started date inside one wave's window) is checked set-based in DuckDB by the
ingest (ingest/wave_checks.py), with the windows this module returns.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from orchestration.domain.contract import QUESTIONNAIRES, VERSIONS

COLUMNS = ("wave", "survey_version", "questionnaire", "opens_on", "closes_on", "is_report_wave")


class WavesError(ValueError):
    """The waves seed is missing or malformed; the message names the file, row and fix."""


@dataclass(frozen=True)
class Wave:
    wave: str
    survey_version: str
    questionnaire: str
    opens_on: dt.date
    closes_on: dt.date  # inclusive
    is_report_wave: bool

    def window(self) -> str:
        return f"{self.opens_on:%d/%m/%Y}-{self.closes_on:%d/%m/%Y}"

    def describe(self) -> str:
        return f"wave {self.wave} ({self.window()})"


def _date(path: Path, line: int, column: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WavesError(
            f"{path}, line {line}: {column} {text!r} is not a date YYYY-MM-DD"
        ) from None


def read_waves(path: Path) -> tuple[Wave, ...]:
    """Every wave of the seed, checked: known versions and questionnaires, a window that opens
    before it closes, one row per (wave, version), windows of a version that never overlap, and
    one report wave. Raises WavesError naming the line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise WavesError(f"{path}: missing column(s) {missing}; expected {list(COLUMNS)}")
            rows = list(enumerate(reader, start=2))
    except OSError as error:
        raise WavesError(f"{path} cannot be read ({error.strerror})") from None
    waves: list[Wave] = []
    for line, row in rows:
        text = {c: (row.get(c) or "").strip() for c in COLUMNS}
        if text["survey_version"] not in VERSIONS:
            raise WavesError(
                f"{path}, line {line}: survey_version {text['survey_version']!r} is not one of "
                f"{', '.join(VERSIONS)}"
            )
        questionnaire = QUESTIONNAIRES.get(text["questionnaire"])
        if questionnaire is None or questionnaire.version != text["survey_version"]:
            version = text["survey_version"]
            known = [q for q, spec in QUESTIONNAIRES.items() if spec.version == version]
            raise WavesError(
                f"{path}, line {line}: questionnaire {text['questionnaire']!r} is not a "
                f"{text['survey_version']} questionnaire of orchestration/domain/contract.py "
                f"(known: {', '.join(known)})"
            )
        if not text["wave"]:
            raise WavesError(f"{path}, line {line}: the wave has no label")
        wave = Wave(
            wave=text["wave"],
            survey_version=text["survey_version"],
            questionnaire=text["questionnaire"],
            opens_on=_date(path, line, "opens_on", text["opens_on"]),
            closes_on=_date(path, line, "closes_on", text["closes_on"]),
            is_report_wave=text["is_report_wave"].lower() in ("true", "1", "yes"),
        )
        if wave.closes_on < wave.opens_on:
            raise WavesError(f"{path}, line {line}: closes_on is before opens_on")
        waves.append(wave)
    _check_together(path, waves)
    return tuple(waves)


def _check_together(path: Path, waves: list[Wave]) -> None:
    seen: set[tuple[str, str]] = set()
    for wave in waves:
        key = (wave.wave, wave.survey_version)
        if key in seen:
            raise WavesError(f"{path}: wave {wave.wave} has two {wave.survey_version} rows")
        seen.add(key)
    for version in VERSIONS:
        ordered = sorted(waves_of(tuple(waves), version), key=lambda w: w.opens_on)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.opens_on <= earlier.closes_on:
                raise WavesError(
                    f"{path}: the {version} windows of {earlier.describe()} and "
                    f"{later.describe()} overlap: an export must fit one wave only"
                )
    report = {w.wave for w in waves if w.is_report_wave}
    if len(report) > 1:
        raise WavesError(f"{path}: is_report_wave is true for {sorted(report)}; one wave only")


def waves_of(waves: tuple[Wave, ...], version: str) -> tuple[Wave, ...]:
    return tuple(w for w in waves if w.survey_version == version)

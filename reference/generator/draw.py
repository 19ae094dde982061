"""Small helpers: weighted draws without replacement, covers, the untidiness of typed answers,
and the text keys and time stamps of the extracts. Every draw takes the one random.Random."""

from __future__ import annotations

import datetime as dt
import random
import re


def norm_key(name: str) -> str:
    """Python twin of the dbt project's normalisation key (DuckDB regexp_replace)."""
    text = name.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def pick(rng: random.Random, pool, k: int, weights=None, force=()) -> list:
    """k distinct members of pool (weighted, without replacement); members of force come first."""
    chosen = [m for m in force if m in pool][:k]
    rest = [m for m in pool if m not in chosen]
    w = [weights[m] for m in rest] if weights else [1.0] * len(rest)
    while len(chosen) < k:
        total = sum(w)
        x = rng.random() * total
        for i, wi in enumerate(w):
            x -= wi
            if x <= 0 or i == len(w) - 1:
                chosen.append(rest.pop(i))
                w.pop(i)
                break
    return chosen


def cover(rng: random.Random, members: list, sizes: dict[str, int]) -> dict[str, list]:
    """Subsets of members with the given sizes whose union is exactly members."""
    uncovered = list(members)
    rng.shuffle(uncovered)
    out = {}
    for item, k in sorted(sizes.items(), key=lambda kv: -kv[1]):
        take = uncovered[:k]
        uncovered = uncovered[k:]
        others = [m for m in members if m not in take]
        take += rng.sample(others, k - len(take))
        out[item] = take
    assert not uncovered, "subset sizes cannot cover the answered set"
    return {item: out[item] for item in sizes}


def mess(rng: random.Random, text: str) -> str:
    """The small untidiness of typed answers."""
    r = rng.random()
    if r < 0.06:
        return text + " "
    if r < 0.09:
        return " " + text
    if r < 0.12 and text.endswith("."):
        return text[:-1]
    if r < 0.15 and not text.endswith("."):
        return text + "."
    return text


def join_list(rng: random.Random, parts: list[str]) -> str:
    style = rng.randrange(5)
    if len(parts) == 1:
        return parts[0]
    if style == 0:
        return "\n".join(f"- {p}" for p in parts)
    if style == 1:
        return "\n".join(f"{i}. {p}" for i, p in enumerate(parts, 1))
    if style == 2:
        return "; ".join(parts)
    tail = [p[0].lower() + p[1:] if p[:2] != p[:2].upper() else p for p in parts[1:]]
    if style == 3:
        return ", ".join([parts[0], *tail])
    return ", ".join([parts[0], *tail[:-1]]) + " and " + tail[-1]


def reached(rs: list, page: int) -> list:
    """The respondents who reached a page of the questionnaire."""
    return [r for r in rs if r.reached >= page]


def w(rs: list) -> dict[int, float]:
    return {id(r): r.weight for r in rs}


def choose(rng: random.Random, pool: list, k: int, force=()) -> list:
    """k respondents of pool, weighted by engagement, members of force first."""
    ids = pick(rng, [id(r) for r in pool], k, w(pool), force=[id(r) for r in force])
    by_id = {id(r): r for r in pool}
    chosen = [by_id[i] for i in ids]
    return [r for r in pool if r in chosen]  # keep the pool's (deterministic) order

"""Set-based checks of a delivery's rows against the contract, in one DuckDB query.

Runs over the rows just inserted (inside the load's transaction), so a million-row file is
checked by DuckDB's vectorised engine rather than a Python loop.
"""

from __future__ import annotations

import duckdb

from orchestration.domain.contract import DATETIME_FORMAT, STATUSES, VERSION_SPECS
from orchestration.ingest.problems import MAX_LISTED_PROBLEMS, Problem
from orchestration.ingest.raw_tables import responses_table
from orchestration.runtime.sql_text import quote_ident, quote_literal

DATETIME_EXPECTED = "a date and time DD/MM/YYYY HH:MM:SS"


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(quote_literal(value) for value in values)


def _checks_sql(version: str) -> str:
    fmt = quote_literal(DATETIME_FORMAT)
    blank = "coalesce(trim({c}), '') = ''"
    checks = [
        # Response ID: a positive integer ...
        """select _row_number, 'Response ID', "Response ID",
                'a positive whole number' from delivery
            where coalesce(try_cast(trim("Response ID") as bigint), 0) <= 0""",
        # ... unique within the file
        """select _row_number, 'Response ID', "Response ID",
                'an id unique within the file; it is also on row ' || first_row
            from (select _row_number, "Response ID",
                         min(_row_number) over (partition by id) as first_row,
                         count(*) over (partition by id) as copies
                  from (select *, try_cast(trim("Response ID") as bigint) as id from delivery)
                  where id > 0)
            where copies > 1 and _row_number <> first_row""",
        f"""select _row_number, 'Started', "Started", '{DATETIME_EXPECTED}' from delivery
            where try_strptime(trim("Started"), {fmt}) is null""",
        f"""select _row_number, 'Ended', "Ended", '{DATETIME_EXPECTED}, or empty' from delivery
            where not ({blank.format(c='"Ended"')})
              and try_strptime(trim("Ended"), {fmt}) is null""",
        f"""select _row_number, 'Status', "Status", 'one of {", ".join(STATUSES)}'
            from delivery where coalesce(trim("Status"), '') not in ({_in_list(STATUSES)})""",
        # Grid: a ticked cell holds its option text (the header after the colon). Every Q4
        # column of every questionnaire of the version: another questionnaire's are NULL in
        # this file's rows, and the unpivot skips NULLs.
        """select _row_number, header, cell, 'empty or exactly ''' || option || ''''
            from (select *, regexp_extract(header, ': ([^:]*)$', 1) as option
                  from (unpivot (select _row_number, columns('^Q4\\. ') from delivery)
                        on columns('^Q4\\. ') into name header value cell))
            where cell <> option""",
    ]
    for header, allowed in VERSION_SPECS[version].enumerated.items():
        checks.append(
            f"""select _row_number, {quote_literal(header)}, {quote_ident(header)},
                    'empty or one of {", ".join(allowed)}' from delivery
                where not ({blank.format(c=quote_ident(header))})
                  and trim({quote_ident(header)}) not in ({_in_list(allowed)})"""
        )
    problems = "\nunion all\n".join(checks)
    return f"""
        with delivery as (
            select * from {responses_table(version)} where _delivery_sha256 = $sha
        ),
        problems (row_number, column_name, value, expected) as ({problems})
        select row_number, column_name, value, expected, count(*) over () as total
        from problems
        order by row_number, column_name
        limit {MAX_LISTED_PROBLEMS * 4}
    """


def row_problems(
    con: duckdb.DuckDBPyConnection, version: str, sha256: str, file_name: str
) -> tuple[list[Problem], int]:
    """Problems in the delivery's rows (a capped list) and how many there are in all."""
    rows = con.execute(_checks_sql(version), {"sha": sha256}).fetchall()
    problems = [
        Problem(file_name, row, column, value, expected) for row, column, value, expected, _ in rows
    ]
    total = rows[0][4] if rows else 0
    return problems, total

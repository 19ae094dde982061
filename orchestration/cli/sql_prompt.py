"""SQL on the published warehouse, read-only: `phc sql ["select ..."]` (`make sql`).

With a query (or `-c QUERY`) it prints the result table and exits: 0 on success, 1 on a SQL
error, 2 when there is no published file yet. Without one it opens a small prompt: statements
end with `;` and may span lines; `.tables`, `.schema TABLE`, `.help`, `.quit`.

Read-only because analysts share the published file with the refresh, which replaces it
atomically: a read-only connection keeps reading the file it opened and never blocks a publish.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import duckdb

from orchestration.runtime.settings import Settings

PROMPT, CONTINUE = "phc> ", "...> "
HELP = """\
Statements end with ';' and may span several lines. Dot commands:
  .tables           the published tables (schema.table)
  .schema TABLE     the columns of TABLE (with their descriptions)
  .help             this text
  .quit / .exit     leave (or Ctrl-D)
Example: select area, future from marts.area_of_work order by future desc limit 5;"""


class MissingPublished(RuntimeError):
    pass


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.is_file():
        raise MissingPublished(
            f"no published warehouse at {path}: run `make run` first (it builds and publishes "
            "the marts)."
        )
    return duckdb.connect(str(path), read_only=True)


def show(con: duckdb.DuckDBPyConnection, sql: str, max_rows: int) -> None:
    relation = con.sql(sql)
    if relation is None:  # a statement without a result (SET, PRAGMA...)
        print("ok")
        return
    width = shutil.get_terminal_size((200, 40)).columns
    relation.show(max_rows=max_rows, max_width=max(width, 80))


def tables(con: duckdb.DuckDBPyConnection) -> None:
    show(
        con,
        "select schema_name || '.' || table_name as \"table\", estimated_size as rows, comment "
        "from duckdb_tables() where database_name = current_database() order by 1",
        1000,
    )


def schema(con: duckdb.DuckDBPyConnection, table: str) -> None:
    schema_name, _, name = table.rpartition(".")
    relation = con.sql(
        "select column_name, data_type, comment from duckdb_columns() "
        "where database_name = current_database() and table_name = $name "
        "and ($schema = '' or schema_name = $schema) order by schema_name, column_index",
        params={"name": name, "schema": schema_name},
    )
    if not relation.fetchall():
        print(f"no table {table!r}: see .tables")
        return
    relation.show(max_rows=1000)


def dot_command(con: duckdb.DuckDBPyConnection, line: str) -> bool:
    """Run a dot command; False means quit."""
    command, _, argument = line.strip().partition(" ")
    if command in (".quit", ".exit", ".q"):
        return False
    if command == ".tables":
        tables(con)
    elif command == ".schema" and argument.strip():
        schema(con, argument.strip().rstrip(";"))
    else:
        print(HELP)
    return True


def repl(con: duckdb.DuckDBPyConnection, max_rows: int) -> int:
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401 (line editing and history for input())

        print("Published warehouse, read-only. .help for help, .quit to leave.")
    buffer: list[str] = []
    failed = False
    while True:
        try:
            line = input((CONTINUE if buffer else PROMPT) if interactive else "")
        except EOFError:
            break
        except KeyboardInterrupt:  # Ctrl-C drops the statement being typed, like psql
            buffer.clear()
            print()
            continue
        if not buffer and line.strip().startswith("."):
            if not dot_command(con, line):
                break
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statement, buffer = "\n".join(buffer), []
            try:
                show(con, statement, max_rows)
            except duckdb.Error as error:
                print(f"error: {error}", file=sys.stderr)
                failed = True
    if buffer and "".join(buffer).strip():
        print("error: the last statement has no closing ';' and was not run", file=sys.stderr)
        failed = True
    return 1 if failed and not interactive else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="phc sql",
        description="Query the published warehouse (read-only). No query: interactive prompt.",
    )
    parser.add_argument("query", nargs="?", help="SQL to run and print, then exit")
    parser.add_argument("-c", "--command", dest="command", help="same as QUERY")
    parser.add_argument("--db", type=Path, help="DuckDB file (default: the published file)")
    parser.add_argument("--max-rows", type=int, default=200, help="rows to print (default 200)")
    args = parser.parse_args(argv)
    query = args.command or args.query
    path = args.db or Settings.from_env().published_path
    try:
        con = connect(path)
    except MissingPublished as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        print(f"error: cannot open {path}: {error}", file=sys.stderr)
        return 2
    with con:
        if query is None:
            return repl(con, args.max_rows)
        try:
            show(con, query, args.max_rows)
        except duckdb.Error as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    return 0

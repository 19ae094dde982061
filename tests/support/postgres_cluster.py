"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temp folder, a free port.

Nothing depends on a system service: `initdb` and `pg_ctl` from /usr/lib/postgresql/*/bin
(Debian's `postgresql` package, which .ci/run installs) start a cluster of the test's own on
127.0.0.1, as the `postgres` account when the tests run as root (PostgreSQL refuses root), with
a password, as a deployment would have. It is stopped and removed at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "phc test password"  # with spaces: the URL must quote it
DATABASE = "phc_dagster"


@dataclass(frozen=True)
class Cluster:
    url: str
    port: int
    folder: Path


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    bin_dir = postgres_bin()
    assert bin_dir is not None, "no PostgreSQL binaries under /usr/lib/postgresql"
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="phc-pg-"))
    if user:
        account = pwd.getpwnam(user)
        os.chown(folder, account.pw_uid, account.pw_gid)

    def run(*command: str, timeout: float = 120) -> None:
        done = subprocess.run(
            command, cwd=folder, user=user, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            log = folder / "server.log"
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}): {done.stdout}{done.stderr}"
                + (log.read_text()[-2000:] if log.exists() else "")
            )

    (folder / "pw").write_text(PASSWORD)
    if user:
        os.chown(folder / "pw", account.pw_uid, account.pw_gid)
    port = _free_port()
    data = folder / "data"
    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
        "--auth=scram-sha-256", f"--pwfile={folder / 'pw'}", "--no-sync")  # fmt: skip
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    )
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
        "-t", "60", "-o", options, "start")  # fmt: skip
    try:
        import psycopg2

        con = psycopg2.connect(
            host="127.0.0.1", port=port, user="postgres", password=PASSWORD, dbname="postgres"
        )
        con.autocommit = True
        with con.cursor() as cursor:
            cursor.execute(f"create database {DATABASE}")
        con.close()
        from urllib.parse import quote

        url = f"postgresql+psycopg2://postgres:{quote(PASSWORD)}@127.0.0.1:{port}/{DATABASE}"
        yield Cluster(url, port, folder)
    finally:
        with contextlib.suppress(Exception):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)

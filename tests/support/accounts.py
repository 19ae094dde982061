"""Second, unprivileged OS accounts for the permission tests, and reading files as them.

The tests run as root (CI does): `useradd --system --no-create-home` makes an analyst (in a
test analyst group) and an outsider (in no group of ours), removed at the end. What they can
read is tried in a fresh Python process started as root that drops to the account before it
touches the data folder (the account itself cannot run the virtualenv's Python: it lives under
/root), with every module it needs imported first.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pwd
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from orchestration.runtime.locks import exclusive_lock

ACCOUNTS_LOCK = Path("/tmp/phc-test-accounts.lock")
NAME = re.compile(r"^phc(?:ana|out|grp)(\d+)$")


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]


@dataclass(frozen=True)
class Accounts:
    group: str
    gid: int
    analyst: Account  # a member of `group`
    outsider: Account  # in no group of the warehouse


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)


def _remove(names: list[str], group: str | None) -> None:
    for name in names:
        with contextlib.suppress(subprocess.CalledProcessError):
            _run("userdel", name)
    if group:
        with contextlib.suppress(subprocess.CalledProcessError):
            _run("groupdel", group)


def _remove_leftovers() -> None:
    """Accounts of an earlier test session that was killed before it removed them."""
    for entry in pwd.getpwall():
        found = NAME.match(entry.pw_name)
        if found and not Path(f"/proc/{found[1]}").exists():
            _remove([entry.pw_name], None)
    with contextlib.suppress(OSError):
        for line in Path("/etc/group").read_text().splitlines():
            found = NAME.match(line.split(":")[0])
            if found and not Path(f"/proc/{found[1]}").exists():
                _remove([], line.split(":")[0])


@contextlib.contextmanager
def os_accounts():
    """An analyst group with one member, and an outsider; removed afterwards."""
    pid = os.getpid()
    group, analyst, outsider = f"phcgrp{pid}", f"phcana{pid}", f"phcout{pid}"
    with exclusive_lock(ACCOUNTS_LOCK):  # xdist workers: one useradd at a time
        _remove_leftovers()
        _run("groupadd", "--system", group)
        _run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             "--groups", group, analyst)  # fmt: skip
        _run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", outsider)
    try:
        gid = _gid(group)
        yield Accounts(group, gid, _account(analyst), _account(outsider))
    finally:
        with exclusive_lock(ACCOUNTS_LOCK):
            _remove([analyst, outsider], group)


def _gid(group: str) -> int:
    import grp

    return grp.getgrnam(group).gr_gid


def _account(name: str) -> Account:
    entry = pwd.getpwnam(name)
    groups = tuple(os.getgrouplist(name, entry.pw_gid))
    return Account(name, entry.pw_uid, entry.pw_gid, groups)


# --- trying things as an account -----------------------------------------------------------


def _try_as(account: Account, attempts: list[tuple[str, str]], reply) -> None:
    """In the child process: become `account`, then try each (kind, path)."""
    import duckdb  # imported while still root: the account cannot read /root

    duckdb.connect(":memory:").execute("select 1").fetchall()
    os.setgroups(list(account.groups))
    os.setgid(account.gid)
    os.setuid(account.uid)
    results = {}
    for kind, path in attempts:
        try:
            if kind == "read":
                with open(path, "rb") as handle:
                    handle.read(16)
            elif kind == "list":
                os.listdir(path)
            elif kind == "duckdb":
                with duckdb.connect(path, read_only=True) as con:
                    con.execute("select count(*) from marts.responses").fetchall()
            else:
                raise ValueError(kind)
            results[f"{kind} {path}"] = "ok"
        except Exception as error:  # what the account would see
            results[f"{kind} {path}"] = f"{type(error).__name__}: {error}"[:200]
    reply.send(results)


def try_as(account: Account, attempts: list[tuple[str, Path | str]]) -> dict[str, str]:
    """{"<kind> <path>": "ok" or the error} of reading, listing, opening with DuckDB."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_try_as, args=(account, [(kind, str(path)) for kind, path in attempts], send)
    )
    process.start()
    send.close()
    try:
        if not receive.poll(120):
            raise AssertionError(f"the process trying files as {account.name} did not answer")
        return receive.recv()
    finally:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()


def traversable_dir(prefix: str) -> Path:
    """A fresh folder under /tmp that every account may pass through (not list)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o711)
    return path

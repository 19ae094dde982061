"""The one place configuration is read: environment variables, with defaults for `make run`.

Dagster, dbt (through `dbt_env()`), the command line and the tests all take their paths from
`Settings.from_env()`: every file and folder the warehouse writes is a property here, so a path
is never spelled twice.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
REFERENCE_EXTRACTS_DIR = REPO_ROOT / "reference" / "extracts"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
# The survey waves (a hand-kept dbt seed): dbt reads it as a seed, the ingest reads the same file
# to assign each export to a wave before it loads (orchestration/domain/waves.py).
SURVEY_WAVES_SEED = REPO_ROOT / "seeds" / "curated" / "survey_waves.csv"
# Everything dbt reads: a change to any of these needs a new manifest (`phc manifest`) and
# makes the last publish stale (runtime/freshness.py).
DBT_INPUTS = (
    DBT_PROJECT_DIR / "models",
    DBT_PROJECT_DIR / "macros",
    DBT_PROJECT_DIR / "tests",
    DBT_PROJECT_DIR / "dbt_project.yml",
    DBT_PROJECT_DIR / "profiles.yml",
    REPO_ROOT / "seeds",
)


def files_under(paths) -> list[Path]:
    """Every file of `paths` (a file stands for itself, a folder for all below it), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


# Inside the exports folder: complete run folders, and the symlink to the newest one.
EXPORTS_RUNS = "runs"
EXPORTS_LATEST = "latest"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the setting and what to do."""


def _memory_limit(env: Mapping[str, str]) -> str:
    text = (env.get("PHC_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT).strip()
    if not _MEMORY_LIMIT.fullmatch(text):
        raise ConfigError(
            f"PHC_DUCKDB_MEMORY_LIMIT={text!r} is not an amount of memory: set it to e.g. "
            f"1GB or 512MB (unset, it is {DEFAULT_DUCKDB_MEMORY_LIMIT})."
        )
    return text


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise ConfigError(
            f"{name}={text!r} is not a number of seconds: set it to e.g. 5."
        ) from None


def _whole_seconds(env: Mapping[str, str], name: str, default: int) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(
            f"{name}={text!r} is not a whole number of seconds of at least 1: set it to e.g. "
            f"{default}, or unset it."
        )
    return int(text)


def _release_contact(env: Mapping[str, str]) -> str | None:
    text = (env.get("PHC_RELEASE_CONTACT") or "").strip()
    if not text:
        return None
    if len(text) > 200 or any(ord(c) < 32 for c in text):
        raise ConfigError(
            f"PHC_RELEASE_CONTACT={text[:60]!r}... is not one line of contact details: set it "
            "to one line of at most 200 characters (a team name, mailbox or web page), or unset "
            "it."
        )
    return text


def _analyst_group(env: Mapping[str, str]) -> str | None:
    name = (env.get("PHC_ANALYST_GROUP") or "").strip()
    if not name:
        return None
    if not _GROUP_NAME.fullmatch(name):
        raise ConfigError(
            f"PHC_ANALYST_GROUP={name!r} is not a group name: set it to the local group whose "
            "members may read published/ and exports/ (e.g. phc-analysts), or unset it (then "
            "every local account may read them)."
        )
    return name


def redact_url(url: str) -> str:
    """The URL with its password replaced, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _postgres_url(env: Mapping[str, str]) -> str | None:
    url = (env.get("PHC_DAGSTER_POSTGRES_URL") or "").strip()
    if not url:
        return None
    problem = None
    try:
        parts = urlsplit(url)
        if parts.scheme in ("postgresql", "postgres"):
            # SQLAlchemy 2.1 reads a bare postgresql:// as the psycopg 3 driver, with which
            # dagster-postgres cannot send its NOTIFY: name the driver it is tested with.
            problem = "name the driver: postgresql+psycopg2://, not postgresql://"
        elif parts.scheme != "postgresql+psycopg2":
            problem = "it does not start with postgresql+psycopg2://"
        elif not parts.hostname:
            problem = "it names no host"
        elif not parts.path.strip("/"):
            problem = "it names no database"
        else:
            parts.port  # noqa: B018 (raises ValueError on a malformed port)
    except ValueError as error:
        problem = str(error)
    if problem:
        raise ConfigError(
            f"PHC_DAGSTER_POSTGRES_URL={redact_url(url)!r} is not a PostgreSQL URL ({problem}): "
            "set it to postgresql+psycopg2://USER:PASSWORD@HOST:5432/DATABASE (a database the "
            "Dagster daemon and web server may create tables in), or unset it to keep Dagster's "
            "run history in SQLite under PHC_DATA_DIR/dagster_home."
        )
    return url


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"{name}={text!r} is not a TCP port: set it to e.g. {default}.")
    return int(text)


_GROUP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?")

# DuckDB spills to disk beyond this, so a refresh of a million respondents stays within a
# small machine's memory (DuckDB's own default is 80% of RAM). Per connection.
DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB"
_MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    landing_dir: Path
    alert_webhook_url: str | None = None
    alert_smtp_host: str | None = None
    alert_smtp_port: int = 25
    alert_smtp_from: str = "phc-warehouse@localhost"
    alert_smtp_to: tuple[str, ...] = ()
    alert_smtp_user: str | None = None
    alert_smtp_password: str | None = None
    alert_smtp_starttls: bool = False
    refresh_cron: str = "0 6 * * *"
    landing_settle_seconds: float = 5.0
    # How often the landing sensor looks at the folder, and the failure sensor at the runs.
    sensor_interval_seconds: int = 15
    timezone: str = "Europe/London"
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    # Who to contact about a release: the workbook's cover sheet and report.html name it.
    release_contact: str | None = None
    # The local group that may read published/ and exports/; None: every local account.
    analyst_group: str | None = None
    # Dagster's run history, schedules and sensor state in PostgreSQL; None: SQLite files.
    dagster_postgres_url: str | None = field(default=None, repr=False)
    dagster_port: int = 3000  # `make dev`'s web server
    # PHC_NOTIFY_ON_PUBLISH=1: a `published` notification (what changed) on every publish.
    notify_on_publish: bool = False
    survey_waves_path: Path = SURVEY_WAVES_SEED
    # Where analysts drop returned coding workbooks (PHC_CODING_DIR); None: `coding/` beside the
    # landing folder. A missing folder holds no workbooks.
    coding_dir: Path = None  # type: ignore[assignment]  # filled in by __post_init__

    def __post_init__(self) -> None:
        if self.coding_dir is None:
            object.__setattr__(self, "coding_dir", self.landing_dir.parent / "coding")

    # Everything below lives under data_dir, so one variable moves the whole warehouse.
    @property
    def warehouse_path(self) -> Path:
        """The working DuckDB file: raw, staging, marts; only the refresh writes it."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def published_path(self) -> Path:
        """What analysts read: replaced atomically after a refresh passed its blocking checks."""
        return self.published_dir / "warehouse.duckdb"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def exports_runs_dir(self) -> Path:
        return self.exports_dir / EXPORTS_RUNS

    @property
    def exports_latest(self) -> Path:
        """The symlink to the newest complete export run: what analysts open."""
        return self.exports_dir / EXPORTS_LATEST

    @property
    def alerts_dir(self) -> Path:
        return self.data_dir / "alerts"

    @property
    def alerts_log_path(self) -> Path:
        """Every alert, one JSON object per line: the record of truth."""
        return self.alerts_dir / "alerts.jsonl"

    @property
    def coding_alerted_path(self) -> Path:
        """The queued answers a `coding_needed` alert already told (hashes of their keys)."""
        return self.alerts_dir / "coding_queue_alerted.json"

    @property
    def alerts_lock_path(self) -> Path:
        return self.alerts_dir / ".alerts.lock"

    @property
    def refresh_lock_path(self) -> Path:
        """Held by the one refresh that runs in this data folder (see runtime/locks.py)."""
        return self.data_dir / ".refresh.lock"

    @property
    def published_state_path(self) -> Path:
        """The fingerprint of the inputs of the last refresh that published."""
        return self.data_dir / ".last_published.json"

    def refresh_candidate_path(self, run_id: str) -> Path:
        """The fingerprint of a running refresh's inputs, promoted if it publishes."""
        return self.data_dir / f".refresh-{run_id}.json"

    def pause_marker_path(self, point: str) -> Path:
        """Written by a fault-test pause point (runtime/faults.py) when a refresh reaches it."""
        return self.data_dir / f".paused-{point}"

    @property
    def dbt_docs_dir(self) -> Path:
        return self.data_dir / "dbt_docs"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_dir / "data_docs"

    @property
    def dbt_runs_dir(self) -> Path:
        """dbt's artifacts (run_results.json, compiled SQL) of the last few refreshes."""
        return self.data_dir / "dbt_runs"

    @property
    def logs_dir(self) -> Path:
        """The full log of each `make run` / `make rebuild` (the screen shows a summary)."""
        return self.data_dir / "logs"

    def run_log_path(self, job_name: str, run_id: str) -> Path:
        return self.logs_dir / f"{job_name}-{run_id}.log"

    @property
    def shared_dirs(self) -> tuple[Path, ...]:
        """What analysts read; everything else under data_dir is the owner's alone."""
        return (self.published_dir, self.exports_dir)

    @property
    def analyst_gid(self) -> int | None:
        """The group id of PHC_ANALYST_GROUP (None when unset)."""
        if self.analyst_group is None:
            return None
        import grp

        try:
            return grp.getgrnam(self.analyst_group).gr_gid
        except KeyError:
            raise ConfigError(
                f"PHC_ANALYST_GROUP={self.analyst_group} is not a group on this machine: create "
                f"it (groupadd {self.analyst_group}) and add the analysts' accounts to it, or "
                "unset PHC_ANALYST_GROUP (then every local account may read published/ and "
                "exports/)."
            ) from None

    @property
    def dagster_home(self) -> Path:
        """Run history for `make run` and `make dev` (DAGSTER_HOME, unless that is set)."""
        return Path(os.environ.get("DAGSTER_HOME") or self.data_dir / "dagster_home")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("PHC_DATA_DIR") or REPO_ROOT / "data").expanduser()
        landing_dir = Path(env.get("PHC_LANDING_DIR") or REFERENCE_EXTRACTS_DIR).expanduser()
        coding_text = (env.get("PHC_CODING_DIR") or "").strip()
        coding_dir = Path(coding_text).expanduser() if coding_text else None
        port_text = env.get("PHC_ALERT_SMTP_PORT") or "25"
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError(
                f"PHC_ALERT_SMTP_PORT={port_text!r} is not a port number: set it to an integer "
                "such as 25 or 587, or unset it."
            ) from None
        webhook = env.get("PHC_ALERT_WEBHOOK_URL") or None
        if webhook and not webhook.startswith(("http://", "https://")):
            raise ConfigError(
                f"PHC_ALERT_WEBHOOK_URL={webhook!r} is not an http(s) URL: set it to the "
                "webhook's full address (https://...) or unset it."
            )
        recipients = tuple(
            address.strip()
            for address in (env.get("PHC_ALERT_SMTP_TO") or "").split(",")
            if address.strip()
        )
        smtp_host = env.get("PHC_ALERT_SMTP_HOST") or None
        if smtp_host and not recipients:
            raise ConfigError(
                "PHC_ALERT_SMTP_HOST is set but PHC_ALERT_SMTP_TO is empty: give a "
                "comma-separated list of recipient addresses, or unset PHC_ALERT_SMTP_HOST."
            )
        return cls(
            data_dir=data_dir.resolve(),
            landing_dir=landing_dir.resolve(),
            coding_dir=coding_dir.resolve() if coding_dir else None,
            alert_webhook_url=webhook,
            alert_smtp_host=smtp_host,
            alert_smtp_port=port,
            alert_smtp_from=env.get("PHC_ALERT_SMTP_FROM") or "phc-warehouse@localhost",
            alert_smtp_to=recipients,
            alert_smtp_user=env.get("PHC_ALERT_SMTP_USER") or None,
            alert_smtp_password=env.get("PHC_ALERT_SMTP_PASSWORD") or None,
            alert_smtp_starttls=(env.get("PHC_ALERT_SMTP_STARTTLS") or "").lower()
            in ("1", "true", "yes"),
            refresh_cron=env.get("PHC_REFRESH_CRON") or "0 6 * * *",
            landing_settle_seconds=_number(env, "PHC_LANDING_SETTLE_SECONDS", 5.0),
            sensor_interval_seconds=_whole_seconds(env, "PHC_SENSOR_INTERVAL_SECONDS", 15),
            timezone=env.get("PHC_TIMEZONE") or "Europe/London",
            duckdb_memory_limit=_memory_limit(env),
            release_contact=_release_contact(env),
            analyst_group=_analyst_group(env),
            dagster_postgres_url=_postgres_url(env),
            dagster_port=_port(env, "PHC_DAGSTER_PORT", 3000),
            notify_on_publish=(env.get("PHC_NOTIFY_ON_PUBLISH") or "").lower()
            in ("1", "true", "yes"),
        )

    def check_ready(self) -> None:
        """Fail before any work with a message naming the setting, if a folder is unusable."""
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise ConfigError(
                f"PHC_DATA_DIR={self.data_dir} is a file, not a folder: point PHC_DATA_DIR at a "
                "folder the warehouse may write (it is created if missing), or unset it."
            )
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / f".write-probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise ConfigError(
                f"PHC_DATA_DIR={self.data_dir} cannot be written ({error.strerror}): point "
                "PHC_DATA_DIR at a folder this user may write, or fix its permissions."
            ) from None
        gid = self.analyst_gid
        if gid is not None and os.geteuid() != 0 and gid not in (os.getegid(), *os.getgroups()):
            import getpass

            user = getpass.getuser()
            raise ConfigError(
                f"PHC_ANALYST_GROUP={self.analyst_group}: the account running the warehouse "
                f"({user}) is not a member of that group, so it cannot give it the published "
                f"file: add it (usermod -aG {self.analyst_group} {user}, then log in again or "
                "restart the services), or unset PHC_ANALYST_GROUP."
            )
        if not self.landing_dir.is_dir():
            raise ConfigError(
                f"PHC_LANDING_DIR={self.landing_dir} is not a folder: create it, or point "
                "PHC_LANDING_DIR at the folder where survey exports are delivered (unset, it "
                "is the shipped reference extracts)."
            )

    @property
    def dbt_dir(self) -> Path:
        """The folder dbt runs in: the warehouse path in its profile is relative to it."""
        return self.warehouse_path.parent

    def duckdb_config(self) -> dict[str, str]:
        """`config=` for every DuckDB connection the refresh opens (dbt's is in profiles.yml)."""
        return {"memory_limit": self.duckdb_memory_limit}

    def dbt_env(self) -> dict[str, str]:
        """Environment for dbt, which runs in the data folder (`dbt_dir`): the warehouse file's
        name, and no telemetry.

        The name, not the full path: dbt keeps its parse only while the profile is unchanged,
        and the profile holds this path. Relative to the data folder it is the same for every
        data folder, so a refresh in a new or copied folder starts from the last parse (a full
        parse costs ~3.5 s of CPU) and `make manifest`'s parse serves every first refresh."""
        return {
            **os.environ,
            "PHC_WAREHOUSE_PATH": self.warehouse_path.name,
            "PHC_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
        }

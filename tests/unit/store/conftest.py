"""`postgres_url`: a PostgreSQL database the store's tests may wipe.

Where it comes from, first match wins:

1. ``STEWARD_TEST_POSTGRES_URL``, used as given (never point it at data that matters);
2. a throwaway cluster made with the installed server binaries (``initdb``, ``pg_ctl`` from
   ``/usr/lib/postgresql/<major>/bin`` or ``PATH``) in a temporary directory, listening on
   127.0.0.1 on a free port, with its unix socket inside that directory, trusted local logins
   and no fsync. It lives for the test session and is stopped and deleted afterwards;
3. otherwise the tests skip and say what to install.

PostgreSQL refuses to run as root, so under root (as in CI) the cluster runs as the
``postgres`` system user, or ``nobody`` when there is none. Every server command has a time
limit, so a server that will not start fails the tests instead of hanging them.
"""

from __future__ import annotations

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

import pytest

ENVIRONMENT_VARIABLE = "STEWARD_TEST_POSTGRES_URL"
SUPERUSER = "steward"
START_TIMEOUT_SECONDS = 30
_COMMAND_TIMEOUT_SECONDS = START_TIMEOUT_SECONDS + 10
_UNPRIVILEGED_USERS = ("postgres", "nobody")


@dataclass(frozen=True, slots=True)
class ServerBinaries:
    """The two server programs a throwaway cluster needs."""

    initdb: Path
    pg_ctl: Path


@dataclass(frozen=True, slots=True)
class Cluster:
    """A throwaway cluster: its directory, port and the account it runs under (None: this one)."""

    root: Path
    port: int
    account: pwd.struct_passwd | None

    @property
    def data(self) -> Path:
        """The data directory ``initdb`` fills."""
        return self.root / "data"

    @property
    def log(self) -> Path:
        """The server's log file."""
        return self.root / "server.log"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the cluster's ``postgres`` database."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"


def find_server_binaries() -> ServerBinaries | None:
    """The newest installed major version's ``initdb`` and ``pg_ctl``, else those on PATH."""
    for bin_dir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major, reverse=True):
        initdb, pg_ctl = Path(bin_dir, "initdb"), Path(bin_dir, "pg_ctl")
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return ServerBinaries(initdb, pg_ctl)
    initdb_path, pg_ctl_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb_path and pg_ctl_path:
        return ServerBinaries(Path(initdb_path), Path(pg_ctl_path))
    return None


def _major(bin_dir: str) -> int:
    version = Path(bin_dir).parent.name
    return int(version) if version.isdigit() else -1


def unprivileged_account() -> pwd.struct_passwd | None:
    """The account to run the server as under root (None when not root); KeyError if none exists."""
    if os.geteuid() != 0:
        return None
    for name in _UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise KeyError(f"no unprivileged account among {', '.join(_UNPRIVILEGED_USERS)}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(cluster: Cluster, command: list[str]) -> None:
    """Run a server command as the cluster's account; raise with its output when it fails."""
    account = cluster.account
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=_COMMAND_TIMEOUT_SECONDS,
        check=False,
        cwd=cluster.root,
        user=None if account is None else account.pw_uid,
        group=None if account is None else account.pw_gid,
        extra_groups=None if account is None else [],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"},
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{Path(command[0]).name} exited {completed.returncode}:\n"
            f"{completed.stdout}{completed.stderr}{_log_tail(cluster)}"
        )


def _log_tail(cluster: Cluster) -> str:
    try:
        return "\n".join(cluster.log.read_text(errors="replace").splitlines()[-20:])
    except OSError:
        return ""


def start(binaries: ServerBinaries, cluster: Cluster) -> None:
    """Create the cluster's data directory and start the server; wait at most 30 s for it."""
    if cluster.account is not None:
        os.chown(cluster.root, cluster.account.pw_uid, cluster.account.pw_gid)
    _run(
        cluster,
        [str(binaries.initdb), "--pgdata", str(cluster.data), "--username", SUPERUSER,
         "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync"],
    )  # fmt: skip
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={cluster.port} "
        f"-c unix_socket_directories={cluster.root} -c fsync=off -c full_page_writes=off"
    )
    _run(
        cluster,
        [str(binaries.pg_ctl), "start", "--pgdata", str(cluster.data), "--log", str(cluster.log),
         "--wait", "--timeout", str(START_TIMEOUT_SECONDS), "--options", options],
    )  # fmt: skip


def stop(binaries: ServerBinaries, cluster: Cluster) -> None:
    """Stop the server at once (its data is thrown away) and wait at most 30 s for it."""
    _run(
        cluster,
        [str(binaries.pg_ctl), "stop", "--pgdata", str(cluster.data), "--mode", "immediate",
         "--wait", "--timeout", str(START_TIMEOUT_SECONDS)],
    )  # fmt: skip


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose database the tests may wipe (see the module docstring)."""
    given = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if given:
        yield given
        return
    binaries = find_server_binaries()
    if binaries is None:
        pytest.skip(
            f"no PostgreSQL server: install it (Debian: apt-get install postgresql) "
            f"or set {ENVIRONMENT_VARIABLE}"
        )
    try:
        account = unprivileged_account()
    except KeyError as error:
        pytest.skip(f"running as root and {error.args[0]}: PostgreSQL refuses to run as root")
    with tempfile.TemporaryDirectory(prefix="steward-postgres-") as root:
        cluster = Cluster(Path(root), free_port(), account)
        try:
            start(binaries, cluster)
            yield cluster.url
        finally:
            if (cluster.data / "postmaster.pid").exists():
                stop(binaries, cluster)

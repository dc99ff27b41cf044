"""Alembic migrations of the store's schema, shipped with the package and run by `Store.open`.

There is no ``alembic.ini``: `config` builds the configuration in code, pointing Alembic at this
folder, so an installed Steward migrates its database without any file of the user's.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

#: The folder holding ``env.py``, ``script.py.mako`` and ``versions/``.
SCRIPT_LOCATION = Path(__file__).resolve().parent

#: The newest revision this Steward knows.
HEAD = "head"


def config(url: str | None = None) -> Config:
    """An Alembic configuration for these migrations; ``url`` is used only without a connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(connection: Connection, revision: str = HEAD) -> None:
    """Bring the database behind ``connection`` to ``revision``; nothing happens if it is there."""
    cfg = config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)

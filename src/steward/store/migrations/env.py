"""Alembic's entry point for the store's migrations.

`steward.store.migrations.upgrade` runs it with an open connection in ``config.attributes``; run
from the ``alembic`` command line instead, it connects to the ``sqlalchemy.url`` option. Offline
(``--sql``) mode writes the DDL for that URL's dialect without connecting.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from steward.store.tables import metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        # SQLite alters tables by copying them; batch mode lets later revisions do so portably.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url", ""))
    try:
        with engine.connect() as owned:
            _configure(owned)
    finally:
        engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()

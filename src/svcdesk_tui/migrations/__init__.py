"""Schema migrations (Alembic): every schema change, for SQLite and PostgreSQL alike."""

"""Flagboard's store: a DuckDB file, its schema, named SQL read models and the :class:`Store` class.

Imports :mod:`scoring`; never imports :mod:`dashboard` or streamlit.
"""
from queries.store import Store, StoreBusyError

__all__ = ["Store", "StoreBusyError"]

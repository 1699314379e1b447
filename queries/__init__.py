"""Flagboard's store and read models: :mod:`queries.store` (the DuckDB file and its one write door) and one
module per read model concept (league, unit, trends, selection, payout, phases, publication, audit, data
views, rubric), each with its named SQL in a ``.sql`` file beside it.

Imports :mod:`scoring`; never imports :mod:`documents`, :mod:`dashboard` or streamlit.
"""

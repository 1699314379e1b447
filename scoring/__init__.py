"""Flagboard's scoring domain: pure Python + pandas, no database, no UI.

Data flows file → :mod:`scoring.reader` → :mod:`scoring.validate` → :mod:`scoring.engine` →
:mod:`scoring.ranking`. Nothing here imports ``queries``, ``dashboard`` or ``streamlit``.
"""

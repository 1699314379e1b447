"""Flagboard's Streamlit dashboard: thin pages over :mod:`queries` read models (no SQL, no scoring here)."""

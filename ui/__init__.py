"""Streamlit-side helpers shared by dashboard.py and pages/ (the engine lives in analytics/)."""

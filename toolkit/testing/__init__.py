"""pytest plugin and helpers for testing PySpark transforms."""

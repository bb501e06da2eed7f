"""Serving: publish the gold marts from the lake to the dashboard's serving store (DuckDB / PostgreSQL)."""

"""Operational tables: what ran, when, how long, with what result (not KAMIS data)."""

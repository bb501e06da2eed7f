"""Superset-shaped dataset and chart specs: the model, their validation and the YAML loader."""

"""Silver layer: typed, de-duplicated, conformed rows per source, dimensions and quarantine."""

"""Raw layer: one row per KAMIS API call, the body verbatim (cert key and id removed)."""

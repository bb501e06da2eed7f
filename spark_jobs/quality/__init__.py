"""Data-quality checks shared by every job (write-audit-publish)."""

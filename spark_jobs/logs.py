"""Logging set-up with a filter that masks the KAMIS cert key and id wherever they appear."""

from __future__ import annotations

import logging
import os
import sys

SECRET_VARS = ("KAMIS_CERT_KEY", "KAMIS_CERT_ID")
MASK = "***"


def secrets() -> list[str]:
    """Return the secret values currently set (longest first, so substrings mask cleanly)."""
    vals = [os.environ.get(v, "") for v in SECRET_VARS]
    return sorted({v for v in vals if len(v) >= 3}, key=len, reverse=True)


def mask(text: str) -> str:
    """Replace every secret value in ``text`` with ``***``."""
    for s in secrets():
        text = text.replace(s, MASK)
    return text


class SecretFilter(logging.Filter):
    """Masks secrets in every record's rendered message (and drops args once rendered)."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        msg = record.getMessage()
        masked = mask(msg)
        if masked != msg or record.args:
            record.msg, record.args = masked, None
        return True


def setup_logging(level: str | int | None = None) -> None:
    """Configure the root logger once: concise format, secrets masked."""
    root = logging.getLogger()
    if getattr(root, "_jangbogi", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    handler.addFilter(SecretFilter())
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("JANGBOGI_LOG_LEVEL", "INFO"))
    for noisy in ("py4j", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    root._jangbogi = True  # type: ignore[attr-defined]

"""``jangbogi kamis parse --action ACTION FILE``: print a saved body's normalised rows as JSON lines.

Exit codes: 0 rows printed (stdout, one JSON object per row); 3 a KAMIS error body
(``kamis error <code>: <meaning>`` on stderr); 4 not a KAMIS JSON/XML body (one-line reason);
2 unreadable file or unknown action.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from spark_jobs.kamis.outcomes import RESULT_CODES, Outcome
from spark_jobs.kamis.parsing import load_document, parse_document, supported_actions

EXIT_OK, EXIT_USAGE, EXIT_KAMIS_ERROR, EXIT_NOT_KAMIS = 0, 2, 3, 4


def _unwrap(doc: Any) -> Any:
    """Return the response inside a collector's ``{"all_data": …}`` wrapper (else ``doc``)."""
    if isinstance(doc, dict) and "all_data" in doc and "data" not in doc and "condition" not in doc:
        return doc["all_data"]
    return doc


def run(action: str, file: Path, stdout: TextIO, stderr: TextIO) -> int:
    """Parse ``file`` as a body of ``action`` and print its rows; return the exit code."""
    if action not in supported_actions():
        print(
            f"unknown action {action!r}; supported: {', '.join(supported_actions())}", file=stderr
        )
        return EXIT_USAGE
    try:
        body = Path(file).read_bytes()
    except OSError as exc:
        print(f"cannot read {file}: {exc.strerror or exc}", file=stderr)
        return EXIT_USAGE
    doc, failure = load_document(body)
    if failure is not None:
        print(failure.reason.replace("\n", " "), file=stderr)
        return EXIT_NOT_KAMIS
    result = parse_document(action, _unwrap(doc))
    if result.outcome is Outcome.NOT_KAMIS:
        print(result.reason.replace("\n", " "), file=stderr)
        return EXIT_NOT_KAMIS
    if (
        result.outcome is not Outcome.OK
        and result.result_cd in RESULT_CODES
        and result.result_cd != "000"
    ):
        print(f"kamis error {result.result_cd}: {RESULT_CODES[result.result_cd][1]}", file=stderr)
        return EXIT_KAMIS_ERROR
    if result.outcome is not Outcome.OK and result.reason:  # 000 without a price for the day
        print(f"{result.outcome.value}: {result.reason}", file=stderr)
    for row in result.rows:
        stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    for index, reason, _raw in result.row_errors:
        print(f"row {index} skipped: {reason}", file=stderr)
    return EXIT_OK

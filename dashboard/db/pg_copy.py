"""Read a PostgreSQL result through ``COPY … TO STDOUT`` (CSV) parsed by Arrow, not row by row.

psycopg2 builds a Python object for every value it fetches: 14,400 rows × 16 columns (the custom
basket's ``retail_price_latest``) take ~45 ms to fetch, where the server sends the same rows as CSV
in ~15 ms and Arrow's CSV reader parses them in a few. The frame is the one ``fetchall`` would give
after :func:`dashboard.db.base.frame_from_rows`: same columns, dtypes and values, but for one
difference: a date column holding only NULLs stays ``datetime64`` (NaT), as DuckDB returns it,
where row by row it is a column of None.

Only results whose columns all have a type listed in ``ARROW_TYPES`` take this path (text, dates,
integers, floats, numeric, booleans); a timestamp, an array or any other type returns ``None`` and
the caller fetches as before. ``FORCE_QUOTE *`` quotes every value that is not NULL, so an empty
string (quoted) and a NULL (unquoted, empty) stay apart.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
from pyarrow import csv

from dashboard.db.base import frame_from_rows, normalize_frame

# PostgreSQL type OID → the Arrow type its CSV text is parsed as.
ARROW_TYPES: dict[int, pa.DataType] = {
    16: pa.bool_(),  # boolean: t / f
    19: pa.string(),  # name
    20: pa.int64(),  # int8
    21: pa.int64(),  # int2
    23: pa.int64(),  # int4
    25: pa.string(),  # text
    700: pa.float64(),  # float4 (printed with the shortest exact digits, as psycopg2 reads it)
    701: pa.float64(),  # float8
    1042: pa.string(),  # char(n)
    1043: pa.string(),  # varchar
    1082: pa.date32(),  # date (DateStyle ISO)
    1700: pa.float64(),  # numeric (psycopg2's Decimal becomes float64 in frame_from_rows too)
}
NUMERIC_OIDS = frozenset({20, 21, 23, 700, 701, 1700})

_CONVERT = dict(
    strings_can_be_null=True,
    quoted_strings_can_be_null=False,
    null_values=[""],
    true_values=["t"],
    false_values=["f"],
)


# A result's column names and type OIDs.
Shape = tuple[tuple[str, ...], tuple[int, ...]]


def describe(cur, sql: str, params: object) -> Shape:
    """Return the result's column names and type OIDs, without its rows (planned, not run)."""
    cur.execute(f"SELECT * FROM ({sql}) AS jangbogi_q LIMIT 0", params)
    return tuple(d.name for d in cur.description), tuple(d.type_code for d in cur.description)


def copy_frame(cur, sql: str, params: object, shape: Shape | None = None) -> pd.DataFrame | None:
    """Run ``sql`` with ``params`` through COPY and return its rows, or None when it cannot.

    Args:
        cur: An open psycopg2 cursor.
        sql: A single SELECT (``%s`` / ``%(name)s`` placeholders, as for ``cursor.execute``).
        params: Its parameters, bound by psycopg2 exactly as ``cursor.execute`` binds them.
        shape: The result's :func:`describe`, when the caller has it (one round trip fewer);
            it must be current: a stale one is detected only when the rows do not parse.

    Returns:
        The result frame, or None when a column's type (or a repeated column name) needs the
        row-by-row path.

    Raises:
        pyarrow.ArrowInvalid: The rows do not parse as ``shape`` says (a stale ``shape``).
    """
    cols, oids = shape or describe(cur, sql, params)
    if len(set(cols)) != len(cols) or any(o not in ARROW_TYPES for o in oids):
        return None
    numeric = {c for c, o in zip(cols, oids, strict=True) if o in NUMERIC_OIDS}
    statement = cur.mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)", params)
    buf = io.BytesIO()
    cur.copy_expert(statement, buf)
    data = buf.getvalue()
    if not data:
        return frame_from_rows(list(cols), [], numeric)
    # Column names of our own, so that the reader never takes a name for something else.
    names = [f"c{i}" for i in range(len(cols))]
    table = csv.read_csv(
        io.BytesIO(data),
        read_options=csv.ReadOptions(column_names=names),
        parse_options=csv.ParseOptions(newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types={n: ARROW_TYPES[o] for n, o in zip(names, oids, strict=True)},
            **_CONVERT,
        ),
    )
    df = table.rename_columns(list(cols)).to_pandas(date_as_object=False)
    return normalize_frame(df)

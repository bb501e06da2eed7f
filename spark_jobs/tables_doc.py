"""Render the table registry as Markdown (docs/TABLES.md): grain, partitions, columns, formulas.

python -m spark_jobs.tables_doc > docs/TABLES.md
"""

from __future__ import annotations

from spark_jobs.registry import all_tables
from spark_jobs.sources import SOURCES
from spark_jobs.table_spec import split_ddl

HEADER = """# Tables

Generated from the table registry (`spark_jobs/{raw,silver,gold}/tables.py`) by
`python -m spark_jobs.tables_doc > docs/TABLES.md`; a test keeps it in step. Do not edit by hand.
"""


SOURCES_HEADER = """
## KAMIS sources

From the source registry (`spark_jobs/sources.py`): what each source asks and which tables it feeds.

| source | KAMIS actions | 이름 | raw table | silver tables |
|---|---|---|---|---|"""


def render() -> str:
    """Return the Markdown for every registered table."""
    out = [HEADER, SOURCES_HEADER]
    for s in SOURCES:
        silver = ", ".join(f"`kamis_silver.{t}`" for t in s.silver)
        out.append(
            f"| `{s.key}` | {', '.join(s.actions)} | {s.label_ko} | `kamis_raw.{s.key}` | {silver} |"
        )
    for spec in all_tables().values():
        out.append(f"\n## `{spec.full_name}`\n\n{spec.description}\n")
        facts = [
            f"grain: `{', '.join(spec.grain)}`" if spec.grain else "grain: none (append-only)",
            f"partitioned by: `{', '.join(spec.partition_by)}`"
            if spec.partition_by
            else "not partitioned",
        ]
        if spec.date_column:
            facts.append(f"incremental by: `{spec.date_column}`")
        out.append("- " + "\n- ".join(facts) + "\n")
        if spec.checks:
            out.append(
                "- checks: " + "; ".join(f"`{k}`: `{v}`" for k, v in spec.checks.items()) + "\n"
            )
        out.append("\n| column | type | meaning |\n|---|---|---|")
        for col in split_ddl(spec.schema):
            name, _, rest = col.partition(" ")
            doc = spec.column_docs.get(name, "").replace("|", "\\|")
            out.append(f"| `{name}` | {rest.strip()} | {doc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")

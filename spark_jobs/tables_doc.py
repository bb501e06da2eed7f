"""Render the table registry as Markdown (docs/TABLES.md): grain, partitions, columns, formulas.

python -m spark_jobs.tables_doc > docs/TABLES.md
"""

from __future__ import annotations

from spark_jobs.registry import _split_ddl, all_tables

HEADER = """# Tables

Generated from the table registry (`spark_jobs/{raw,silver,gold}/tables.py`) by
`python -m spark_jobs.tables_doc > docs/TABLES.md`; a test keeps it in step. Do not edit by hand.
"""


def render() -> str:
    """Return the Markdown for every registered table."""
    out = [HEADER]
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
        for col in _split_ddl(spec.schema):
            name, _, rest = col.partition(" ")
            doc = spec.column_docs.get(name, "").replace("|", "\\|")
            out.append(f"| `{name}` | {rest.strip()} | {doc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")

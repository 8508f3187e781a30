"""The export formats: one entry each; `export --format`, the app's export dialog and
`exporting.export` all come from this table.

Cheap to import: the writers live in `exporting`, loaded when a file is written, so the
command line offers the choices without loading them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportFormat:
    """An export format: its name, the file extension it suggests, its writer.

    `writer` names a function of `readinglist.exporting`, called as `writer(papers)`,
    or with `keyed` as `writer(papers, keys)` (it names entries by their cite keys).
    """

    name: str
    extension: str
    writer: str
    keyed: bool = False


EXPORT_TABLE: tuple[ExportFormat, ...] = (
    ExportFormat("json", "json", "to_json"),
    ExportFormat("bibtex", "bib", "to_bibtex", keyed=True),
    ExportFormat("csl-json", "json", "to_csl_json", keyed=True),
    ExportFormat("csv", "csv", "to_csv"),
    ExportFormat("markdown", "md", "to_markdown"),
    ExportFormat("ris", "ris", "to_ris"),
)
FORMATS = tuple(f.name for f in EXPORT_TABLE)
BY_NAME = {f.name: f for f in EXPORT_TABLE}

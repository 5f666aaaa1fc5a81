"""Tables as files a spreadsheet opens: CSV (UTF-8 with a BOM, so the Chinese reads right) and XLSX with one
sheet per table. Money stays Decimal until here: written as numbers, rounded by the caller when shown."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

Table = list[list[object]]


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(sheets: dict[str, Table]) -> bytes:
    from openpyxl import Workbook  # imported when a file is asked for: it is not needed to start

    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in table:
            sheet.append([float(value) if isinstance(value, Decimal) else _cell(value) for value in row])
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = max(10, min(40, max(len(str(c.value or "")) for c in column) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_csv_zip(sheets: dict[str, Table]) -> bytes:
    """One CSV per table, in a zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for title, table in sheets.items():
            archive.writestr(f"{title}.csv", as_csv(table))
    return out.getvalue()


def _cell(value: object) -> object:
    """What openpyxl takes: dates without a time zone, lists as text."""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)  # type: ignore[attr-defined]
    if isinstance(value, (list, tuple, dict)):
        return str(value)
    return value

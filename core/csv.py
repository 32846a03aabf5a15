"""One CSV writer for every export. Spreadsheet programs run a cell that starts with =, +, -, @, a tab
or a carriage return as a formula (OWASP "CSV injection"), so such cells are written with a leading
apostrophe: the value is shown as typed and never executed."""

import csv
import io
from collections.abc import Iterable
from itertools import chain

from django.http import StreamingHttpResponse

from casework.constants import AuditAction

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Iterable, rows: Iterable[Iterable]):
    """The CSV text, a line at a time, every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in chain([header], rows):
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def csv_response(request, *, filename: str, header: Iterable, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A streamed CSV download, recorded in the access audit as an export."""
    request.audit_action = AuditAction.EXPORT
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

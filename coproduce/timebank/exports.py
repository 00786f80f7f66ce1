"""A statement as CSV (core.exports) or PDF (reportlab), from the rules' Statement; no database."""

import io
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from coproduce.core.exports import csv_writer
from coproduce.timebank.rules import Statement, minutes_to_hours


def _hours(minutes: int) -> str:
    return f"{minutes_to_hours(minutes):.2f}"


def statement_csv(statement: Statement, *, holder: str, zone) -> str:
    """One row per entry with the running balance; hours to 0.01 and exact minutes."""
    out = io.StringIO()
    # core.exports makes every cell safe (no formula) and starts with a byte-order mark.
    writer = csv_writer(out)
    writer.writerow([_("Statement"), holder, statement.account.key])
    writer.writerow([_("Period"), statement.start, statement.end])
    writer.writerow([_("Opening balance (hours)"), _hours(statement.opening)])
    writer.writerow(
        [
            _("When"),
            _("Kind"),
            _("Hours"),
            _("Minutes"),
            _("Balance (hours)"),
            _("With"),
            _("Reference"),
            _("Memo"),
            _("Posting"),
        ]
    )
    for line in statement.lines:
        writer.writerow(
            [
                line.at,  # in the platform's zone, with its offset (core.exports.local_time)
                line.kind.value,
                _hours(line.minutes),
                line.minutes,
                _hours(line.balance),
                " ".join(f"{a.kind.value}:{a.key}" for a in line.counterparties),
                line.reference,
                line.memo,
                line.posting_key,
            ]
        )
    writer.writerow([_("Closing balance (hours)"), _hours(statement.closing)])
    return out.getvalue()


def _stamp(moment: datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def statement_pdf(statement: Statement, *, holder: str, zone) -> bytes:
    """The statement as an A4 PDF; Chinese names print with reportlab's built-in CID font."""
    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm)
    story = [
        Paragraph(_("Voluntary Bank statement"), styles["Title"]),
        Paragraph(f"{holder} · {statement.account.key}", styles["Normal"]),
        Paragraph(
            f"{_('Period')}: {_stamp(statement.start, zone)} – {_stamp(statement.end, zone)}",
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [[_("When"), _("Kind"), _("Hours"), _("Balance (hours)"), _("Memo")]]
    rows.append(["", _("Opening balance (hours)"), "", _hours(statement.opening), ""])
    for line in statement.lines:
        rows.append(
            [
                _stamp(line.at, zone),
                line.kind.value,
                _hours(line.minutes),
                _hours(line.balance),
                line.memo[:40],
            ]
        )
    rows.append(["", _("Closing balance (hours)"), "", _hours(statement.closing), ""])
    table = Table(rows, repeatRows=1, colWidths=[32 * mm, 28 * mm, 22 * mm, 28 * mm, 70 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f4ee")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9dee6")),
                ("ALIGN", (2, 0), (3, -1), "RIGHT"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()

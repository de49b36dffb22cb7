"""Output files, each written atomically: CSVs, feedback pages and the class summary."""
from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

from ._common import _fmt_points


def _atomic_write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # normal permissions, as open() would give, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def csv_safe(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading ``'``.

    This follows the OWASP guidance on CSV injection; plain numbers (``-3.5``) are left as they are.

    >>> print(csv_safe("=SUM(A1:A9)"), csv_safe("-2+3"), csv_safe("@cmd"), csv_safe("-3.5"), csv_safe("s042"))
    '=SUM(A1:A9) '-2+3 '@cmd -3.5 s042
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once, at import, before any worker thread exists


def _csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in header])
    writer.writerows([csv_safe(c) for c in row] for row in rows)
    return buf.getvalue()


def _safe_name(student_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", student_id).strip("._") or "student"
    if safe != student_id:
        safe += "-" + hashlib.sha256(student_id.encode("utf-8")).hexdigest()[:8]
    return safe[:100]


_PAGE_CSS = ("body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
             "@media (max-width:40em){body{margin:1em auto;padding:0 0.5em}table,tbody,tr,th,td{display:block;width:auto}"
             "tr.head{position:absolute;left:-9999px}tr{border-bottom:1px solid #ddd;padding:6px 0}td,th{border:none;"
             "padding:2px 0}td::before{content:attr(data-label) ': ';font-weight:600;color:#222}caption{display:block}}"
             "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px 8px;"
             "text-align:left;vertical-align:top}th{font-weight:600}td,th{overflow-wrap:break-word}caption{text-align:left;font-weight:600;padding:4px 0}.correct{color:#1b7f3b}.not-yet{color:#a61b1b}"
             ".not-answered{color:#555}.note{background:#fff6e0;border-left:4px solid #c98a00;padding:6px 10px}")


def feedback_html(row: dict, spec, points: dict[str, float]) -> str:
    """One student's feedback page: per question the points and the check's message, never an expected value.

    The page is built for WCAG 2.1 AA: a language, a title, a ``<main>`` landmark, headings in order (h1, h2), a
    table with a caption and column and row headers, and status colours with at least 4.5:1 contrast (the status
    is also written out, so colour never carries it alone).
    """
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(spec.title)}: feedback "
             f"for {esc(row['student_id'])}</title><style>{_PAGE_CSS}</style></head><body><main>",
             f"<h1>{esc(spec.title)}</h1>",
             f"<p>Student: <strong>{esc(row['student_id'])}</strong>"
             + (f" ({esc(row['name'])})" if row.get("name") else "") + "</p>",
             f"<p>Score: <strong>{_fmt_points(row['total'])} of {_fmt_points(row['max'])} points</strong>. "
             f"Status: {esc(row['status'])}.</p>"]
    if row.get("reason"):
        parts.append(f"<p class='note'>{esc(row['reason'])}</p>")
    if row.get("questions"):
        # explicit roles keep the table's semantics when a narrow screen stacks its cells (display:block)
        parts.append("<h2>Your answers, question by question</h2><table role='table'><caption>Points and feedback "
                     "for each question</caption><tr class='head' role='row'><th scope='col' role='columnheader'>"
                     "Question</th><th scope='col' role='columnheader'>Points</th><th scope='col' "
                     "role='columnheader'>Result</th><th scope='col' role='columnheader'>Feedback</th></tr>")
        for q in row["questions"]:
            css = q["status"].replace(" ", "-")
            earned = points[q["qid"]] if q["status"] == "correct" else 0.0
            parts.append(f"<tr role='row'><th scope='row' role='rowheader'>{esc(q['qid'])}: {esc(q['title'])}</th>"
                         f"<td role='cell' data-label='Points'>{_fmt_points(earned)} / {_fmt_points(points[q['qid']])}"
                         f"</td><td role='cell' data-label='Result' class='{css}'>{esc(q['status'])}</td>"
                         f"<td role='cell' data-label='Feedback'>{esc(q['message'])}</td></tr>")
        parts.append("</table>")
    parts.append("<p><small>Graded by mhsm grade from your notebook's answers. The feedback for each question is "
                 "the same message the practice check gives.</small></p></main></body></html>\n")
    return "".join(parts)


def _summary(rows: list[dict], spec, points) -> tuple[list[str], list[list]]:
    header = ["qid", "title", "points", "students_graded", "correct", "share_correct", "not_yet", "not_answered",
              "top_misconceptions", "top_message"]
    table = []
    for q in spec.questions:
        results = [r for row in rows if row.get("questions") for r in row["questions"] if r["qid"] == q.qid]
        n = len(results)
        correct = sum(r["status"] == "correct" for r in results)
        wrong = [r for r in results if r["status"] == "not yet"]
        keys = Counter(r["misconception"] or "wrong" for r in wrong)
        top = "; ".join(f"{k}: {c}" for k, c in keys.most_common(3))
        message = ""
        if keys:
            key = keys.most_common(1)[0][0]
            messages = Counter(r["message"] for r in wrong if (r["misconception"] or "wrong") == key)
            if len(messages) == 1:  # a fixed misconception message, the same for every student
                message = next(iter(messages))
        table.append([q.qid, q.title, _fmt_points(points[q.qid]), n, correct,
                      f"{correct / n:.3f}" if n else "", len(wrong),
                      sum(r["status"] == "not answered" for r in results), top, message])
    return header, table


def _summary_chart(table: list[list], title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 0.45 * len(table) + 1.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [f"{r[0]}: {r[1]}" for r in table][::-1]
    shares = [float(r[5]) if r[5] != "" else 0.0 for r in table][::-1]
    ax.barh(labels, shares, color="#2a6f97")
    for y, r in enumerate(table[::-1]):
        top = r[8].split(";")[0].split(":")[0] if r[8] else ""
        if top:
            ax.text(min(float(r[5] or 0), 1.0) + 0.01, y, top, va="center", fontsize=8, color="#a61b1b")
    ax.set_xlim(0, 1.3)
    ax.set_xlabel("Share of graded students correct (red: most frequent mistake)")
    ax.set_title(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()

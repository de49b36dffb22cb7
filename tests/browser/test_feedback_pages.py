"""The grader's feedback pages, checked in headless Chromium: axe-core finds no WCAG 2.1 A/AA violation and no
best-practice problem with landmarks or headings, and the page reflows at 320 CSS pixels (WCAG 1.4.10)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mhsm_lessons.grading.outputs import feedback_html
from mhsm_lessons.labs import LABS

from .conftest import ARTIFACTS

SPEC = LABS["01_budgeting_lab"]
POINTS = {q: 1.0 for q in SPEC.qids}
ROWS = {
    "graded": {"student_id": "s042", "name": "Ana Diaz", "total": 11.0, "max": 13.0, "status": "graded", "reason": "",
               "questions": [{"qid": q.qid, "title": q.title, "status": "correct" if i else "not yet",
                              "message": ("Your answer is text ('$1,200'), but this question asks for a single "
                                          "number (dollars). Remove the quotes (and any $, % or commas): write "
                                          "1200 rather than '$1,200'.") if not i else "Correct.",
                              "misconception": None} for i, q in enumerate(SPEC.questions)]},
    "crashed": {"student_id": "s011", "name": "", "total": 0.0, "max": 13.0, "status": "crashed",
                "reason": "The Python kernel stopped while running cell 14 (the answer cell of q6). Run your notebook "
                          "top to bottom, fix the cell, and hand it in again.", "questions": []},
}


def axe_page_violations(page):
    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return result


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_feedback_page_has_no_axe_violation_and_reflows_at_320px(page, kind):
    page.set_content(feedback_html(ROWS[kind], SPEC, POINTS))
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == f"{SPEC.title}: feedback for {ROWS[kind]['student_id']}"
    assert page.locator("main h1").count() == 1
    assert axe_page_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"feedback_{kind}_320px.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

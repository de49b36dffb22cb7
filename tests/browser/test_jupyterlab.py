"""What a student sees in JupyterLab, checked in headless Chromium: the start page, Run All on an untouched
exercise and on the solution, a wrong and a right answer typed into a cell, an explorer slider moved by keyboard.

Every page must show no error output, no dollar amount typeset as LaTeX (MathJax's ``mjx-container``), no raw
widget repr, and no WCAG 2.1 A/AA violation that axe-core finds in the course's own output and Markdown
(JupyterLab's chrome is not the course's). Screenshots are saved under ``test-artifacts/browser/``.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from mhsm_lessons import list_labs, start_lab

from .conftest import ARTIFACTS
from .explorers import check_explorers_by_keyboard, check_explorers_reflow, explorer_cells

ROOT = Path(__file__).resolve().parents[2]
RAW_REPRS = ("VBox(children", "IntSlider(", "FloatSlider(", "np.float64(", "Ellipsis")


def open_notebook(page, server, path):
    page.goto(f"{server}/lab/tree/{path}?reset")  # a fresh workspace: only this notebook open
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown", timeout=60_000)
    wait_kernel_idle(page)


def kernel_status(page) -> str:
    """'Idle', 'Busy', 'Initializing', ... as the status bar's 'Python 3 (ipykernel) | Idle' says it."""
    text = page.locator(".jp-StatusBar-Widget").first.inner_text()
    match = re.search(r"\(ipykernel\) \| (\w+)", text)
    return match.group(1) if match else text


def wait_kernel_idle(page, timeout=90):
    """The status bar reads 'Python 3 (ipykernel) | Idle' once the kernel has started and finished its work."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if kernel_status(page) == "Idle":
                return
        except Exception:  # noqa: BLE001 - the status bar is still being built
            pass
        time.sleep(0.3)
    raise AssertionError(f"the kernel did not become idle: {kernel_status(page)!r}")


def run_all(page):
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    wait_idle(page)


def wait_idle(page, timeout=120):
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        pending = page.locator(".jp-InputPrompt", has_text="[*]").count()
        if not pending and kernel_status(page) == "Idle":
            time.sleep(0.5)
            if not page.locator(".jp-InputPrompt", has_text="[*]").count():
                return
        time.sleep(0.3)
    raise AssertionError("the notebook did not finish running")


def assert_clean(page, where):
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    texts = [errors.nth(i).inner_text() for i in range(errors.count())]
    assert not [t for t in texts if "Error" in t or "Traceback" in t], (where, texts[:2])
    math = page.locator("mjx-container, .MathJax, .MathJax_Display")
    context = [math.nth(i).evaluate("e => (e.closest('.jp-OutputArea-output, .jp-RenderedMarkdown, .widget-html')"
                                    " || e.parentElement).innerText.slice(0, 300)") for i in range(math.count())]
    assert not context, (f"{where}: text typeset as LaTeX", context)
    body = page.locator(".jp-Notebook").inner_text()
    assert not [r for r in RAW_REPRS if r in body], (where, [r for r in RAW_REPRS if r in body])
    violations = axe_violations(page)
    assert violations == [], (where, violations)


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page):
    """WCAG 2.1 A/AA violations (axe-core) inside the course's own content: outputs and Markdown, not JupyterLab."""
    from pathlib import Path

    import axe_playwright_python

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    result = page.evaluate(
        """async (tags) => {
             const r = await axe.run({include: [['.jp-Notebook .jp-OutputArea-output'],
                                                ['.jp-Notebook .jp-RenderedMarkdown']]},
                                     {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, help: v.help,
                                            nodes: v.nodes.slice(0, 3).map(n => {
                                              const el = document.querySelector(n.target[0]);
                                              return (el ? el.innerText : n.html).slice(0, 120); })}));
           }""", AXE_TAGS)
    return result


def shot(page, name, locator=None):
    path = ARTIFACTS / f"{name}.png"
    (locator or page).screenshot(path=str(path))
    return path


def code_cell(page, text):
    """The first code cell whose source contains ``text``, pinned (it stays the same cell after an edit)."""
    cells = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=text))
    assert cells.count() >= 1, text
    return cells.first.element_handle()


def replace_and_run(page, cell, source):
    cell.scroll_into_view_if_needed()
    cell.query_selector(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)
    page.keyboard.press("Shift+Enter")  # run it; focus moves to the next cell (the check)
    wait_idle(page)
    page.keyboard.press("Shift+Enter")  # run the check
    wait_idle(page)


def check_output_after(page, cell_text):
    check = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=cell_text)).first
    return check.locator(".jp-OutputArea-output").first


def test_start_page_opens_and_renders_its_checks(page, server):
    open_notebook(page, server, "notebooks/00_start_here.ipynb")
    assert "MHSM Lessons: start here" in page.locator(".jp-MarkdownCell").first.inner_text()
    run_all(page)
    assert page.get_by_text("q1: not yet", exact=False).first.is_visible()
    feedback = page.locator(".jp-OutputArea-output", has_text="rather than").first
    assert "'$180,000'" in feedback.inner_text() and "\\$" not in feedback.inner_text()
    assert_clean(page, "start page")
    shot(page, "start_page")


@pytest.mark.parametrize("lesson", sorted(p.stem for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb")))
def test_lesson_runs_all_cleanly(page, server, lesson):
    open_notebook(page, server, f"notebooks/{lesson}.ipynb")
    run_all(page)
    assert page.locator(".jp-OutputArea-output figure img[alt]").count() >= 3
    assert_clean(page, f"lesson {lesson}")
    check_explorers(page, f"notebooks/{lesson}.ipynb")


def check_explorers(page, path):
    """Keyboard walk and 320 px reflow of every explorer the notebook shows (tests/browser/explorers.py)."""
    expected = explorer_cells(path)
    if expected:
        check_explorers_by_keyboard(page, path, expected)
        assert_clean(page, f"{path} after moving every slider")
        check_explorers_reflow(page, path)


@pytest.mark.parametrize("lab_id", list_labs())
def test_untouched_exercise_runs_all_and_says_not_answered(page, server, lab_id):
    open_notebook(page, server, f"exercises/{lab_id}.ipynb")
    run_all(page)
    outputs = page.locator(".jp-OutputArea-output", has_text="not answered")
    assert outputs.count() >= len(start_lab(lab_id).spec.questions)
    assert_clean(page, f"exercise {lab_id}")
    shot(page, f"exercise_{lab_id}_run_all")


@pytest.mark.parametrize("lab_id", list_labs())
def test_solution_runs_all_and_every_check_is_correct(page, server, lab_id):
    open_notebook(page, server, f"solutions/{lab_id}.ipynb")
    run_all(page)
    n = len(start_lab(lab_id).spec.questions)
    assert page.locator(".jp-OutputArea-output", has_text=": correct (").count() >= n
    assert page.locator(".jp-OutputArea-output", has_text=re.compile(r"q\d+[a-z]?: not yet \(")).count() == 0
    assert_clean(page, f"solution {lab_id}")
    figure = page.locator(".jp-OutputArea-output figure").first
    assert figure.locator("img").get_attribute("alt") and figure.locator("figcaption").inner_text()
    shot(page, f"solution_{lab_id}_chart", figure)
    check_explorers(page, f"solutions/{lab_id}.ipynb")


def test_wrong_then_right_answer_and_an_explorer_slider(page, server):
    open_notebook(page, server, "exercises/01_budgeting_lab.ipynb")
    run_all(page)
    answer = code_cell(page, "rn_flexible_budget = ...")
    replace_and_run(page, answer, 'rn_flexible_budget = "$1,200"')
    result = check_output_after(page, 'lab.check("q1", rn_flexible_budget)')
    text = result.inner_text()
    assert "q1: not yet" in text and "'$1,200'" in text and "\\$" not in text, text
    assert_clean(page, "wrong answer")
    shot(page, "check_wrong_answer", result)
    right = start_lab("01_budgeting_lab").expected("q1")
    replace_and_run(page, answer, f"rn_flexible_budget = {right!r}")
    result = check_output_after(page, 'lab.check("q1", rn_flexible_budget)')
    assert "q1: correct" in result.inner_text()
    shot(page, "check_right_answer", result)

    explorer = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text="variance_explorer(")).first
    explorer.scroll_into_view_if_needed()
    table = explorer.locator(".widget-html-content").last
    before = table.inner_text()
    # every slider's handle is named by its visible label (WCAG 4.1.2); results sit in a polite live region
    sliders = explorer.locator(".widget-slider")
    assert sliders.count() == 3
    for i in range(3):
        label = sliders.nth(i).locator(".widget-label").inner_text().strip()
        assert label and sliders.nth(i).locator("[role='slider']").get_attribute("aria-label") == label
    assert explorer.locator(".mhsm-results").last.get_attribute("aria-live") == "polite"
    handle = explorer.locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[table.element_handle(), before],
                           timeout=15_000)
    after = table.inner_text()
    assert after != before and "Volume variance" in after
    assert_clean(page, "explorer")
    shot(page, "explorer_after_slider", explorer)

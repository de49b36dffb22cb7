"""Keyboard and reflow checks of the course's explorers, run on a notebook after Run All (the lesson and solution
tests of test_jupyterlab.py call them, so no notebook is run twice).

Keyboard (WCAG 2.1 2.1.1 Keyboard, 2.1.2 No Keyboard Trap, 2.4.3 Focus Order, 2.4.7 Focus Visible, 4.1.2 Name,
Role, Value, 4.1.3 Status Messages, 2.5.3 Label in Name): focus is put on an explorer's first control, Shift+Tab
leaves it backwards and Tab comes back; from there Tab alone must visit every control in reading order, each
with a visible focus ring and an accessible name (role and name as Chromium computes them for assistive
technology, read over the DevTools protocol) equal to its visible label, then leave the explorer. Every slider
then moves with End (the explorer's polite live region must change its text), Home, ArrowRight and ArrowLeft
(and not past its ends), and is left at its maximum.

Non-text contrast (1.4.11): every slider's handle and track are at least 3:1 against the white page.

Reflow (1.4.10): in JupyterLab's Simple Interface with the left sidebar closed, at a 320 CSS px wide viewport,
no explorer needs horizontal scrolling and every control, label and result lies inside the output area.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

from .conftest import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]
#: The functions that build an explorer (every one returns viz.explorer.Explorer).
EXPLORER_FUNCTIONS = ("variance_explorer", "break_even_explorer", "hrrp_penalty_simulator",
                      "denial_prevention_explorer", "signal_or_noise_explorer", "plan_builder")
CONTROLS = "[role='slider'], .widget-readout, input, select, textarea, button"
NAMED_ROLES = {"slider", "textbox", "spinbutton", "combobox", "listbox", "button", "toggleButton", "ComboBoxSelect"}


def explorer_cells(path: str) -> int:
    """How many code cells of the notebook (relative to the repository) display an explorer."""
    pattern = re.compile(r"\b(" + "|".join(EXPLORER_FUNCTIONS) + r")\(")
    cells = json.loads((ROOT / path).read_text())["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code" and pattern.search("".join(c["source"])))


def _focused(page) -> dict:
    """What has the keyboard focus: its place, the label a sighted user sees for it, its focus ring."""
    return page.evaluate("""() => {
      const e = document.activeElement;
      const ex = e.closest('.mhsm-explorer');
      const all = ex ? [...ex.querySelectorAll(%r)].filter(c => c.getClientRects().length) : [];
      let label = '';
      if (e.tagName === 'BUTTON') { label = e.innerText.trim(); }
      else {
        const box = e.closest('.widget-inline-hbox');
        const l = box && box.querySelector(':scope > .widget-label');
        label = l ? l.textContent.trim() : '';
        if (e.classList.contains('widget-readout')) { label = label + ', typed value'; }
      }
      const s = getComputedStyle(e);
      const group = e.closest('.widget-toggle-buttons');
      return {explorer: ex ? [...document.querySelectorAll('.mhsm-explorer')].indexOf(ex) : -1,
              index: all.indexOf(e), count: all.length, label: label, tag: e.tagName,
              ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
              pressed: e.getAttribute('aria-pressed'),
              group: group ? [group.getAttribute('role'), group.getAttribute('aria-label')] : null};
    }""" % CONTROLS)


def _ax(cdp) -> tuple[str, str]:
    """Chromium's computed role and accessible name of the focused element (what a screen reader is given)."""
    obj = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})["result"]["objectId"]
    backend = cdp.send("DOM.describeNode", {"objectId": obj})["node"]["backendNodeId"]
    node = cdp.send("Accessibility.getPartialAXTree", {"backendNodeId": backend, "fetchRelatives": False})["nodes"][0]
    return node.get("role", {}).get("value", ""), node.get("name", {}).get("value", "")


def _live_text(explorer) -> str:
    return explorer.evaluate("e => [...e.querySelectorAll('.mhsm-results')].map(r => r.innerText).join('\\n')")


def check_explorers_by_keyboard(page, where: str, expected: int) -> None:
    explorers = page.locator(".jp-OutputArea-output .mhsm-explorer")
    assert explorers.count() == expected, (where, "explorers shown", explorers.count(), "expected", expected)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("Accessibility.enable")
    for k in range(expected):
        explorer = explorers.nth(k)
        regions = explorer.locator(".mhsm-results")
        assert regions.count() >= 1, (where, k, "no results region")
        for i in range(regions.count()):
            assert (regions.nth(i).get_attribute("aria-live"), regions.nth(i).get_attribute("role")) == (
                "polite", "status"), (where, k, "results are not a polite live region")
        explorer.locator(CONTROLS).first.focus()
        time.sleep(0.3)  # JupyterLab settles which cell is active
        page.keyboard.press("Shift+Tab")
        back = _focused(page)
        assert back["explorer"] != k, (where, k, "Shift+Tab from the first control stays in the explorer")
        time.sleep(0.3)
        page.keyboard.press("Tab")
        entered = _focused(page)
        assert entered["explorer"] == k and entered["index"] == 0, (where, k, "Tab does not come back", entered, back)
        seen = []
        while True:
            now = _focused(page)
            if now["explorer"] != k:
                break
            role, name = _ax(cdp)
            assert now["index"] == len(seen), (where, k, "focus order skips or repeats", seen, now)
            assert now["label"] and name == now["label"], (where, k, "accessible name", name, "visible", now["label"])
            assert role in NAMED_ROLES, (where, k, name, "role", role)
            assert now["ring"], (where, k, name, "no visible focus ring")
            if now["pressed"] is not None or now["group"]:
                assert now["pressed"] in ("true", "false") and now["group"][0] == "group" and now["group"][1], (
                    where, k, name, "toggle button without a state or a named group", now)
            seen.append((role, name))
            assert len(seen) <= now["count"], (where, k, "focus trapped in the explorer", seen)
            page.keyboard.press("Tab")
        assert len(seen) == explorer.evaluate(f"e => [...e.querySelectorAll({CONTROLS!r})]"
                                              ".filter(c => c.getClientRects().length).length"), (where, k, seen)
        _move_every_slider(page, explorer, where, k)
        explorer.screenshot(path=str(ARTIFACTS / f"explorer_{where.replace(' ', '_').replace('/', '_')}_{k}.png"))


def _value(handle) -> float:
    """The value a screen reader announces (noUiSlider rounds aria-valuenow to one decimal; valuetext is exact)."""
    for _ in range(20):  # the explorer's script rounds noUiSlider's value text on the next animation frame
        said = handle.get_attribute("aria-valuetext")
        if "." not in said or len(said.split(".")[-1]) <= 4:
            return float(said)
        time.sleep(0.05)
    raise AssertionError(("value text with more than 4 decimals", said))


def _wait_for_change(page, explorer, before: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = _live_text(explorer)
        if text != before:
            time.sleep(0.3)  # let a queue of updates settle
            return _live_text(explorer)
        time.sleep(0.2)
    return _live_text(explorer)


CONTRAST = """e => { const rgb = getComputedStyle(e).backgroundColor.match(/[0-9.]+/g).map(Number);
  const lin = c => { c = c / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
  return 1.05 / (l + 0.05); }"""


def _move_every_slider(page, explorer, where, k) -> None:
    handles = explorer.locator("[role='slider']")
    for part in (".noUi-handle", ".noUi-connects"):  # 1.4.11: handle and track at least 3:1 against white
        for i in range(explorer.locator(part).count()):
            ratio = explorer.locator(part).nth(i).evaluate(CONTRAST)
            assert ratio >= 3.0, (where, k, part, "contrast against white", round(ratio, 2))
    for i in range(handles.count()):
        handle = handles.nth(i)
        name = handle.get_attribute("aria-label")
        low, high = float(handle.get_attribute("aria-valuemin")), float(handle.get_attribute("aria-valuemax"))
        before = _live_text(explorer)
        handle.focus()
        page.keyboard.press("End")
        top = _value(handle)
        # noUiSlider gives aria-valuemin/max to one decimal: the ends are checked to that, and by a step that stays
        assert abs(top - high) <= 0.05, (where, k, name, "End", top, high)
        page.keyboard.press("ArrowRight")
        assert _value(handle) == top, (where, k, name, "ArrowRight at the end", _value(handle), top)
        after = _wait_for_change(page, explorer, before)
        assert after != before, (where, k, name, "the live region did not change after the slider moved")
        page.keyboard.press("Home")
        bottom = _value(handle)
        assert abs(bottom - low) <= 0.05 and bottom < top, (where, k, name, "Home", bottom, low)
        page.keyboard.press("ArrowLeft")
        assert _value(handle) == bottom, (where, k, name, "ArrowLeft at the start", _value(handle), bottom)
        page.keyboard.press("ArrowRight")
        assert bottom < _value(handle) < top, (where, k, name, "ArrowRight", _value(handle))
        page.keyboard.press("ArrowLeft")
        assert _value(handle) == bottom, (where, k, name, "ArrowLeft", _value(handle))
        page.keyboard.press("End")  # left at its maximum, so that it keeps mattering for the next slider
        _wait_for_change(page, explorer, after, timeout=3)


REFLOW_MEASURE = """ex => {
  const area = ex.closest('.jp-OutputArea-output').getBoundingClientRect();
  const outside = [];
  ex.querySelectorAll('.widget-label, [role=slider], .noUi-target, .widget-readout, input, select, button, '
                      + '.widget-html-content, table, img').forEach(el => {
    const r = el.getBoundingClientRect();
    if (!r.width) return;
    if (r.left < area.left - 0.5 || r.right > area.right + 0.5)
      outside.push([el.tagName, (el.innerText || el.getAttribute('aria-label') || '').slice(0, 40),
                    Math.round(r.left), Math.round(r.right)]);
  });
  return {scroll: ex.scrollWidth, client: ex.clientWidth, area: [Math.round(area.left), Math.round(area.right)],
          outside: outside};
}"""


def check_explorers_reflow(page, where: str) -> None:
    """At 320 CSS px (Simple Interface, left sidebar closed) every explorer fits its output area."""
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Shift+D")  # View > Simple Interface
    page.wait_for_function("() => document.querySelector('#main').dataset.shellMode === 'single-document'")
    if page.locator("#jp-left-stack").is_visible():
        page.keyboard.press("Control+B")  # close the left sidebar
    page.set_viewport_size({"width": 320, "height": 2000})
    time.sleep(0.5)
    explorers = page.locator(".jp-OutputArea-output .mhsm-explorer")
    for k in range(explorers.count()):
        explorer = explorers.nth(k)
        explorer.scroll_into_view_if_needed()
        m = explorer.evaluate(REFLOW_MEASURE)
        assert m["area"][1] - m["area"][0] <= 320, (where, k, "the output area is not narrow", m)
        assert m["scroll"] <= m["client"] and not m["outside"], (where, k, "does not reflow at 320 px", m)
        explorer.screenshot(path=str(ARTIFACTS / f"explorer_320px_{where.replace(' ', '_').replace('/', '_')}_{k}.png"))

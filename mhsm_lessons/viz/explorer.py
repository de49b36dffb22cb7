"""The course's explorers (ipywidgets), accessible by one convention: every explorer returns an :class:`Explorer`.

An Explorer is a ``VBox`` that makes its controls accessible in three ways:

* **In Python, when it is built** (so it holds even where the notebook's scripts do not run): slider handles in
  Okabe-Ito blue, 5.2:1 against white (WCAG 2.1 success criterion 1.4.11, Non-text Contrast, asks 3:1); and a
  layout that reflows at 320 CSS px (1.4.10, Reflow): every control is at most as wide as the output area
  (``min(<its width>, 100%)``), its label is at most as wide too, and a label that does not fit beside its control
  wraps above it (``flex-flow: row wrap``) instead of pushing the control off-screen.
* **In the browser, by a small script** displayed with it (:data:`SLIDER_NAMES_JS`; JupyterLab runs it for a cell
  just run): a style sheet lets long labels and results tables wrap inside a narrow output area, draws slider
  tracks in #767676 (4.5:1; ipywidgets' #bdbdbd is 1.9:1, 1.4.11) and gives every control a 2 px focus ring
  (2.4.7, Focus Visible: the slider handle's own is faint); every slider
  handle gets its visible label as its accessible name (and a value text of at most four decimals), every
  editable slider readout
  a name too (4.1.2, Name, Role, Value); a group of toggle buttons becomes a named group whose buttons say whether
  they are pressed (``aria-pressed``); and each results widget (``live=``, by default the last child) becomes a
  polite live region, so a screen reader announces the new results after a slider moves (4.1.3, Status
  Messages).
* Before it is live (a notebook opened without running it) it reads as a sentence, not as a widget repr.
"""
from __future__ import annotations

import ipywidgets as widgets

from .style import FAVORABLE_COLOR

__all__ = ["SLIDER_NAMES_JS", "Explorer", "RESULTS_CLASS", "EXPLORER_CLASS"]

EXPLORER_CLASS = "mhsm-explorer"
RESULTS_CLASS = "mhsm-results"

SLIDER_NAMES_JS = """
(function () {
  function labelOf(box) {
    var label = box.querySelector(':scope > .widget-label');
    return label ? label.textContent.trim() : '';
  }
  function name(root) {
    root.querySelectorAll('.widget-slider').forEach(function (box) {
      var text = labelOf(box);
      if (!text) { return; }
      box.querySelectorAll('[role="slider"]').forEach(function (handle) {
        if (handle.getAttribute('aria-label') !== text) { handle.setAttribute('aria-label', text); }
        // noUiSlider announces every digit (0.8150000000000001, 6.30834403081): say at most 4 decimals
        var said = handle.getAttribute('aria-valuetext'), value = parseFloat(said);
        var spoken = String(Math.round(value * 10000) / 10000);
        if (said && /^-?[0-9.]+(e-?[0-9]+)?$/.test(said) && spoken !== said) {
          handle.setAttribute('aria-valuetext', spoken);
        }
      });
      box.querySelectorAll('.widget-readout').forEach(function (readout) {
        if (readout.getAttribute('aria-label') !== text + ', typed value') {
          readout.setAttribute('role', 'textbox');
          readout.setAttribute('aria-label', text + ', typed value');
        }
      });
    });
    root.querySelectorAll('.widget-toggle-buttons').forEach(function (box) {
      var text = labelOf(box);
      if (text && box.getAttribute('aria-label') !== text) {
        box.setAttribute('role', 'group'); box.setAttribute('aria-label', text);
      }
      box.querySelectorAll('button').forEach(function (button) {
        var pressed = button.classList.contains('mod-active') ? 'true' : 'false';
        if (button.getAttribute('aria-pressed') !== pressed) { button.setAttribute('aria-pressed', pressed); }
      });
    });
    root.querySelectorAll('.mhsm-results, [data-mhsm-results]').forEach(function (el) {
      var host = el.classList.contains('mhsm-results') ? el : (el.closest('.widget-html-content') || el.parentElement);
      if (host && host.getAttribute('aria-live') !== 'polite') {
        host.setAttribute('aria-live', 'polite'); host.setAttribute('role', 'status');
      }
    });
  }
  if (!document.getElementById('mhsm-explorer-css')) {
    var css = document.createElement('style');
    css.id = 'mhsm-explorer-css';
    css.textContent = '.mhsm-explorer .widget-inline-hbox { height: auto; row-gap: 8px; }'
      + ' .mhsm-explorer .widget-hbox { flex-wrap: wrap; max-width: 100%; }'
      + ' .mhsm-explorer .jupyter-button { width: auto; max-width: calc(100% - 4px); white-space: normal;'
      + ' height: auto; min-height: var(--jp-widgets-inline-height, 28px); }'
      + ' .mhsm-explorer .widget-label { white-space: normal; text-overflow: clip; height: auto; line-height: 1.3;'
      + ' max-width: calc(100% - 8px); overflow-wrap: break-word; }'
      + ' .mhsm-explorer .widget-html-content { line-height: 1.4; max-width: 100%; overflow-wrap: break-word; }'
      + ' .mhsm-explorer .mhsm-results table { max-width: 100%; }'
      + ' .mhsm-explorer .mhsm-results th, .mhsm-explorer .mhsm-results td { padding: 2px 6px; line-height: 1.3; }'
      + ' .mhsm-explorer .noUi-connects { background: #767676; }'
      + ' .mhsm-explorer .noUi-handle:focus-visible, .mhsm-explorer input:focus-visible,'
      + ' .mhsm-explorer select:focus-visible, .mhsm-explorer button:focus-visible,'
      + ' .mhsm-explorer .widget-readout:focus-visible { outline: 2px solid var(--jp-brand-color1, #1976d2)'
      + ' !important; outline-offset: 2px; }';
    document.head.appendChild(css);
  }
  name(document);
  if (!window.__mhsmSliderNames) {
    var queued = false;  // at most once a frame: JupyterLab changes classes often
    window.__mhsmSliderNames = new MutationObserver(function () {
      if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; name(document); }); }
    });
    window.__mhsmSliderNames.observe(document.body, {childList: true, subtree: true, attributes: true,
                                                     attributeFilter: ['class', 'aria-valuetext']});
  }
})();
"""


_FULL = "100% - 4px"


def _capped(width: str | None) -> str | None:
    """'620px' -> 'min(620px, 100% - 4px)': never wider than the output area, margins included (ipywidgets puts
    2 px either side of a control); a width already relative is kept."""
    if isinstance(width, str) and width.endswith("px"):
        return f"min({width}, {_FULL})"
    return width


def _descendants(children):
    for child in children:
        yield child
        yield from _descendants(getattr(child, "children", ()))


class Explorer(widgets.VBox):
    """An explorer's box of controls and results, laid out and named accessibly (see the module docstring).

    Parameters
    ----------
    children : list of widgets
        The controls, notes and results, top to bottom.
    live : list of widgets, optional
        The widgets whose changes a screen reader should announce (polite live regions); by default the last
        child, the results.
    """

    def __init__(self, children=(), live=None, **kwargs):
        children = list(children)
        super().__init__(children, **kwargs)
        self.add_class(EXPLORER_CLASS)
        self.layout.max_width = "100%"
        for widget in (children[-1:] if live is None else live):
            widget.add_class(RESULTS_CLASS)
        for widget in _descendants(children):
            style, layout = getattr(widget, "style", None), getattr(widget, "layout", None)
            if isinstance(widget, (widgets.IntSlider, widgets.FloatSlider)) and not style.handle_color:
                style.handle_color = FAVORABLE_COLOR
            if style is not None and hasattr(style, "description_width"):
                style.description_width = _capped(style.description_width)
            if layout is not None and not isinstance(widget, widgets.Box):
                layout.width = _capped(layout.width)
                layout.max_width = f"calc({_FULL})"
                if getattr(widget, "description", ""):
                    layout.flex_flow = "row wrap"

    def __repr__(self) -> str:
        return "Interactive explorer: run this cell in JupyterLab to use its sliders."

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        # empty text/plain: where the script does not run (an untrusted notebook) nothing at all is shown
        display({"application/javascript": SLIDER_NAMES_JS, "text/plain": ""}, raw=True)

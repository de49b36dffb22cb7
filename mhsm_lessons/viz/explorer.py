"""The course's explorers (ipywidgets), accessible by one convention: every explorer returns an :class:`Explorer`.

An Explorer is a ``VBox`` that, displayed in JupyterLab, also sends a small script giving every slider handle its
visible label as its accessible name (WCAG 2.1 success criterion 4.1.2, Name, Role, Value) and making a results
table marked ``data-mhsm-results`` a polite live region (4.1.3, Status Messages). Before it is live (a notebook
opened without running it) it reads as a sentence, not as a widget repr.
"""
from __future__ import annotations

import ipywidgets as widgets

__all__ = ["SLIDER_NAMES_JS", "Explorer"]

SLIDER_NAMES_JS = """
(function () {
  function name(root) {
    root.querySelectorAll('.widget-slider').forEach(function (box) {
      var label = box.querySelector('.widget-label');
      var text = label ? label.textContent.trim() : '';
      box.querySelectorAll('[role="slider"]').forEach(function (handle) {
        if (text && handle.getAttribute('aria-label') !== text) { handle.setAttribute('aria-label', text); }
      });
    });
    root.querySelectorAll('[data-mhsm-results]').forEach(function (table) {
      var host = table.closest('.widget-html-content') || table.parentElement;
      if (host && host.getAttribute('aria-live') !== 'polite') {
        host.setAttribute('aria-live', 'polite'); host.setAttribute('role', 'status');
      }
    });
  }
  name(document);
  if (!window.__mhsmSliderNames) {
    window.__mhsmSliderNames = new MutationObserver(function () { name(document); });
    window.__mhsmSliderNames.observe(document.body, {childList: true, subtree: true});
  }
})();
"""


class Explorer(widgets.VBox):
    """An explorer's box of controls and results; before it is live it reads as a sentence, not a widget repr.

    Displayed in IPython it also sends :data:`SLIDER_NAMES_JS`, which gives every slider handle its visible
    label as its accessible name.
    """

    def __repr__(self) -> str:
        return "Interactive explorer: run this cell in JupyterLab to use its sliders."

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        # empty text/plain: where the script does not run (an untrusted notebook) nothing at all is shown
        display({"application/javascript": SLIDER_NAMES_JS, "text/plain": ""}, raw=True)



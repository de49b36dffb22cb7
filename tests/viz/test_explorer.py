"""The explorer convention (viz/explorer.py) applied to every explorer of the course: handle contrast, a layout
that reflows at 320 px, named live results. The browser layer (tests/browser/explorers.py) checks the result in
JupyterLab: keyboard walk, accessible names, live region, 320 px reflow."""
from __future__ import annotations

import ipywidgets as widgets
import pytest

from mhsm_lessons import load_dataset
from mhsm_lessons.viz import budgeting, careers, quality, revenue_cycle, spc
from mhsm_lessons.viz.explorer import EXPLORER_CLASS, RESULTS_CLASS, SLIDER_NAMES_JS, Explorer
from mhsm_lessons.viz.style import FAVORABLE_COLOR



def _relative_luminance(hex_colour: str) -> float:
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(hex_colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


EXPLORERS = {
    "variance_explorer": lambda: budgeting.variance_explorer(771, 4.83, 48.82, 779, 4.9085, 49.43),
    "break_even_explorer": lambda: budgeting.break_even_explorer(15_123_456.78, 2525.74, 433.53, 9000),
    "hrrp_penalty_simulator": lambda: quality.hrrp_penalty_simulator(
        {"HF": 1_200_000, "AMI": 800_000}, {"HF": 1.1, "AMI": 0.95}, {"HF": 1.0, "AMI": 1.0}, 6e7, 2.1e7),
    "denial_prevention_explorer": lambda: revenue_cycle.denial_prevention_explorer(
        revenue_cycle.denial_prevention_baseline(load_dataset("rc_claims"))),
    "signal_or_noise_explorer": lambda: spc.signal_or_noise_explorer(),
    "plan_builder": lambda: careers.plan_builder(load_dataset("bls_mhsm_outlook"),
                                                 load_dataset("bls_mhsm_pay_by_setting"),
                                                 load_dataset("mhsm_career_ladder"), load_dataset("mhsm_credentials")),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_follows_the_convention(name):
    box = EXPLORERS[name]()
    assert isinstance(box, Explorer) and EXPLORER_CLASS in box._dom_classes
    assert any(RESULTS_CLASS in w._dom_classes for w in _all(box) if isinstance(w, widgets.HTML))
    for w in _all(box):
        if isinstance(w, (widgets.IntSlider, widgets.FloatSlider)):
            # 1.4.11: the handle is at least 3:1 against the white page
            colour = w.style.handle_color
            assert (1.05 / (_relative_luminance(colour) + 0.05)) >= 3.0, (name, w.description, colour)
        if getattr(w, "description", "") and not isinstance(w, (widgets.Button, widgets.Box)):
            # 1.4.10: never wider than the output area; a label that does not fit wraps above its control
            assert w.layout.max_width == "calc(100% - 4px)" and w.layout.flex_flow == "row wrap", (name, w.description)
            assert w.layout.width is None or "px" not in w.layout.width or w.layout.width.startswith("min("), (
                name, w.description, w.layout.width)
            width = w.style.description_width
            assert not width or "px" not in width or width.startswith("min("), (name, w.description, width)


def test_handle_colour_is_the_palettes_blue_and_passes_non_text_contrast():
    assert 1.05 / (_relative_luminance(FAVORABLE_COLOR) + 0.05) == pytest.approx(5.19, abs=0.01)  # "5.2:1"
    assert 1.05 / (_relative_luminance("#767676") + 0.05) >= 4.5  # the track the script draws
    assert 1.05 / (_relative_luminance("#BDBDBD") + 0.05) < 3.0  # ipywidgets' own track, which it replaces


def test_explicit_live_regions_and_default_last_child():
    a, b = widgets.HTML("a"), widgets.HTML("b")
    box = Explorer([widgets.IntSlider(description="n", layout={"width": "500px"}), a, b])
    assert RESULTS_CLASS in b._dom_classes and RESULTS_CLASS not in a._dom_classes
    assert box.children[0].layout.width == "min(500px, 100% - 4px)"
    box = Explorer([widgets.IntSlider(description="n"), a, b], live=[a])
    assert RESULTS_CLASS in a._dom_classes


def test_the_script_names_handles_readouts_toggle_groups_and_live_regions_and_adds_focus_rings():
    for piece in ("aria-label", "', typed value'", "aria-pressed", "'role', 'group'", "aria-live", "'polite'",
                  ".mhsm-results", "focus-visible", "white-space: normal", "flex-wrap: wrap",
                  ".noUi-connects { background: #767676; }"):
        assert piece in SLIDER_NAMES_JS, piece

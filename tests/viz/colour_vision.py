"""Colour-vision simulation and colour difference for the chart tests (no extra dependency).

* Simulated dichromacy: Machado GM, Oliveira MM, Fernandes LAF. "A physiologically-based model for simulation of
  color vision deficiency." IEEE TVCG 2009;15(6):1291-1298, severity 1.0, applied to linear sRGB (the matrices
  are the paper's published severity-1.0 tables, the ones the ``colorspacious`` package uses).
* Colour difference: CIEDE2000 (CIE 142-2001), implemented after Sharma G, Wu W, Dalal EN. "The CIEDE2000
  color-difference formula: implementation notes, supplementary test data, and mathematical observations."
  Color Res Appl 2005;30(1):21-30; tests/viz/test_colour_vision.py checks it against that paper's test pairs.
* sRGB to CIELAB: IEC 61966-2-1 transfer function and matrix, D65 white.
"""
from __future__ import annotations

import math

from matplotlib.colors import to_rgb

#: Machado et al. (2009), severity 1.0, rows act on linear (R, G, B).
CVD_MATRICES = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
SIMULATIONS = tuple(CVD_MATRICES)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab_from_linear(rgb) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear-sRGB triple (clipped to the gamut first, as a display would)."""
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(colour, simulation: str | None = None) -> tuple[float, float, float]:
    """CIELAB of a matplotlib colour (hex, name or RGB(A) tuple) as seen with normal vision or a dichromacy."""
    rgb = [_linear(c) for c in to_rgb(colour)]
    if simulation:
        rgb = [sum(m * c for m, c in zip(row, rgb)) for row in CVD_MATRICES[simulation]]
    return lab_from_linear(rgb)


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dLp, dCp = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dHp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp) / 2)
    Lp_bar, Cp_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_bar = (h1p + h2p + 360) / 2
    else:
        hp_bar = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30)) + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6)) - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    rc = 2 * math.sqrt(Cp_bar ** 7 / (Cp_bar ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (Lp_bar - 50) ** 2 / math.sqrt(20 + (Lp_bar - 50) ** 2)
    sc = 1 + 0.045 * Cp_bar
    sh = 1 + 0.015 * Cp_bar * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dCp / sc) * (dHp / sh))


def delta_e(colour1, colour2, simulation: str | None = None) -> float:
    """CIEDE2000 difference of two matplotlib colours as seen with normal vision or a simulated dichromacy."""
    return ciede2000(seen(colour1, simulation), seen(colour2, simulation))

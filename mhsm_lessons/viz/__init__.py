"""Charts (matplotlib) and explorers (ipywidgets), one module per topic: ``budgeting``, ``spc``, ...

Nothing here is imported by ``import mhsm_lessons``: a student pays for matplotlib and ipywidgets only when
drawing a chart or opening an explorer (``from mhsm_lessons.viz.budgeting import plot_variance_report``).
"""

"""The demo city's grids (网格): every demo village gets plausible coordinates inside Panzhou,
its households positions around it, grids of about 150 households with drawn boundaries, a grid
worker per grid (the demo login ``grid`` works the first grid of the demo village), a
purchased-services contract per village with its township (a year from the start of the
previous quarter), the previous quarter's allocation and spending, visits since then, the
previous quarter's assessment confirmed (which allocated this quarter's money by the rule) and
this quarter's open, computed, waiting for the township to confirm.

Rows are bulk-written in one transaction, each village's draw depends only on its code, and a
second run finds the grids and adds nothing.
"""

from zhenxing.grid.demo.builder import demo_grid_load

__all__ = ["demo_grid_load"]

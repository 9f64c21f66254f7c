"""``python -m ui.explorer``: the graph explorer alone, on one example."""

import sys

from ui.explorer.graph_view import _demo

sys.exit(_demo())

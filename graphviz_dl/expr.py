"""The expression language's public names; it lives in :mod:`graphviz_dl.language`.

``from graphviz_dl.expr import parse, ExpressionError`` keeps working.
"""

from .language import *
from .language import __all__  # noqa: F401

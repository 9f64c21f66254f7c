"""``python -m benchmarks.reliability``: the same as ``graphviz-dl bench reliability``."""

import sys

from benchmarks.reliability.cli import main

sys.exit(main())

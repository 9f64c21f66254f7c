"""``python -m ui.optimizer_lab``: the optimizer lab alone."""

import sys

from ui.optimizer_lab.runner import main

sys.exit(main())

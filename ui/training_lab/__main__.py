"""``python -m ui.training_lab``: the training lab alone."""

import sys

from ui.training_lab.lab import main

sys.exit(main())

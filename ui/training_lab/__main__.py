"""``python -m ui.training_lab``: the training lab alone."""

import sys

from ui.training_lab.standalone import main

sys.exit(main())

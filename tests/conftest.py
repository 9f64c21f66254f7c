"""Shared test set-up: Qt must never look for a display (CI has none)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

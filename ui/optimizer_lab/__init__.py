"""The optimizer lab: surface view, racer list, loss plot."""

"""The graph explorer: graph view, step panel, program editor, gallery, inspector."""

"""The training lab: network diagram, boundary view, curves, timeline."""

"""Shared pieces of the labs: background jobs, settings, standalone runners."""

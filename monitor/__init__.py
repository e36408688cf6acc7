"""Quartiersmonitor: poverty monitoring for the Perspektivquartiere of a city."""

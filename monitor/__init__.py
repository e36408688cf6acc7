"""Quartiersmonitor Neunkirchen: poverty monitoring for the Perspektivquartier."""

"""Listening to the calls: recordings, evaluation forms, the weekly sample, evaluations,
disputes, calibration and the quality measures (no Textual, no Typer)."""

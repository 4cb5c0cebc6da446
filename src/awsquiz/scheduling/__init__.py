"""Scheduling: the FSRS library behind a small interface of plain values."""

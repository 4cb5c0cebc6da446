"""Session logic, pure: the study queue, review rounds, exams, grading and the stats report.

Nothing here reads a file, opens the store or draws on a terminal; the clock and randomness
are passed in, and a terminal is reached only through the `Terminal` protocol.
"""

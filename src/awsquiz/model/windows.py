"""The windows of time a `stats` report looks through, in the learner's local days."""

RETENTION_DAYS = 30  # true retention: the answers of the last 30 days
FORECAST_DAYS = 14  # the cards due on each of the next 14 days
HEATMAP_WEEKS = 16  # the reviews of each day of the last 16 weeks

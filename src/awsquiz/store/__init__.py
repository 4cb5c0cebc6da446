"""Storage: the review logs, the progress they add up to, and the caches and files beside them.

Nothing is re-exported here: a command imports only the modules it needs.
"""

"""Decks: YAML files to deck and card objects, checked with file:line:col problems, found in
the deck folders and cached, so that YAML is parsed only when a file changes.

Nothing is re-exported here: the parser (and yaml) load only when a file must be parsed.
"""

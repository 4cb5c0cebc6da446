"""awsquiz: a terminal flashcard and quiz trainer for AWS security and compliance."""

__version__ = "0.1.0"

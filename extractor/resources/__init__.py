"""Data files of eventfacts (lexicons); see de/README.md."""

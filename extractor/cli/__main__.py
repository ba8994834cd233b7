"""`python -m extractor.cli …` runs the `eventfacts` command."""

from extractor.cli import main

main()

"""What the command modules share: the stderr console, the --model help, the one-line error exit."""

from __future__ import annotations

import sys
from typing import BinaryIO, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

# Messages, progress and summaries; stdout carries only the commands' results.
err = Console(stderr=True, soft_wrap=True, highlight=False)

MODEL_HELP = (
    "spaCy pipeline to use: 'auto' (de_core_news_lg, _md or _sm if installed, else the embedded "
    "default), 'default' (the embedded default: our trained NER + rules, no download needed), "
    "'rules' (rules and lexicons only), an installed package name, or a directory saved with nlp.to_disk()."
)


def stdin_for(inputs: list[str]) -> BinaryIO | None:
    """Standard input's bytes for '-', or None when no input is '-'; a closed stdin ('<&-') is a usage error."""
    if "-" not in inputs:
        return None
    if sys.stdin is None:
        fail("standard input is closed; '-' has nothing to read")
    return sys.stdin.buffer


def fail(message: str, code: int = 2) -> NoReturn:
    """Print 'error: MESSAGE' (escaped: it holds user-given paths and ids) and exit with `code`."""
    err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)

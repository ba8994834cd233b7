"""The `eventfacts` command line: a thin layer over the library API.

Stdout carries JSON Lines (or a command's result) only; messages, progress and the summary go
to stderr. Each command group is a module of this package with a `register(app)` function;
`COMMAND_MODULES` lists them, so a new command is one module and one name there.
"""

from __future__ import annotations

import importlib

import typer

from extractor import __version__

app = typer.Typer(
    name="eventfacts",
    help="Extract persons, roles, organisations, places, quantities, dates and the event frame "
    "from German event reports, as one JSON record per document.",
    no_args_is_help=True,
    add_completion=False,
)

# extractor/cli/<name>.py, each with register(app); in the order `eventfacts --help` lists them.
COMMAND_MODULES = ("extract", "batch", "info", "corpus", "evaluate")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eventfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """eventfacts: facts from German event reports."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    app()

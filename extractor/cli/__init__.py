"""The `eventfacts` command line: a thin layer over the library API.

Stdout carries JSON Lines (or a command's result) only; messages, progress and the summary go
to stderr. Each command group is a module of this package with a `register(app)` function;
`COMMAND_MODULES` lists them, so a new command is one module and one name there.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys

import typer
from typer.core import TyperGroup

from extractor import __version__

# Exit code when the reader of our standard output went away (`eventfacts extract big.txt | head -1`):
# 128 + SIGPIPE, what a shell reports for any program ended by a broken pipe. Not 1, which means
# "documents failed".
EXIT_BROKEN_PIPE = 141
# Errors of a full or failing output device: one line and exit 2 instead of a traceback.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS})


class _Commands(TyperGroup):
    """Runs every command with the same last line of defence for its standard output."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as exc:
            if exc.errno not in _WRITE_ERRNOS:
                raise
            _silence_stdout()
            from extractor.cli.common import fail

            fail(f"cannot write {exc.filename or 'the output'}: {exc.strerror}")


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's final flush of what is still buffered
    cannot fail again ("Exception ignored … BrokenPipeError"); as the Python docs on SIGPIPE advise."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test runner's buffer)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


app = typer.Typer(
    cls=_Commands,
    name="eventfacts",
    help="Extract persons, roles, organisations, places, quantities, dates and the event frame "
    "from German event reports, as one JSON record per document.",
    no_args_is_help=True,
    add_completion=False,
)

# extractor/cli/<name>.py, each with register(app); in the order `eventfacts --help` lists them.
COMMAND_MODULES = ("extract", "batch", "index", "info", "corpus", "evaluate")


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

"""`eventfacts schema` and `eventfacts info`: what the records look like and which pipeline loads."""

from __future__ import annotations

import json

import typer

from extractor import __version__
from extractor.cli.common import MODEL_HELP, fail


def schema() -> None:
    """Print the JSON Schema of the EventReport record."""
    from models import EventReport

    typer.echo(json.dumps(EventReport.model_json_schema(), indent=2, ensure_ascii=False))


def info(model: str = typer.Option("auto", "--model", "-m", help=MODEL_HELP)) -> None:
    """Say which spaCy pipeline would be loaded, why, and whether it has a statistical NER."""
    from extractor.errors import ModelLoadError
    from extractor.pipeline import load_pipeline

    try:
        _, details = load_pipeline(model)
    except ModelLoadError as exc:
        fail(str(exc))
    typer.echo(f"eventfacts {__version__}")
    typer.echo(f"base pipeline: {details.base}")
    typer.echo(f"why: {details.reason}")
    if not details.has_ner:
        ner = "rules and lexicons only (no statistical NER)"
    elif details.base == "default":
        ner = "the embedded eventfacts NER (extractor/default_model), combined with rules and lexicons"
    else:
        ner = f"the NER of {details.base}, combined with rules and lexicons"
    typer.echo(f"persons/organisations/places: {ner}")
    typer.echo("components: " + ", ".join(details.components))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
    app.command("info")(info)

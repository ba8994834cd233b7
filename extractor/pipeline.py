"""Building the spaCy pipeline: an installed German model when there is one, else our default.

`--model auto` prefers de_core_news_lg, then _md, then _sm, then the embedded default: German with
our tokenizer and our trained NER (`extractor/default_model/`) plus the eventfacts components. Our components
are appended after the sourced ones, and only they are initialised, so trained components of an
installed model keep their weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

import extractor.components.dates  # noqa: F401 - registers factories
import extractor.components.event  # noqa: F401
import extractor.components.layout  # noqa: F401
import extractor.components.lexicon_flags  # noqa: F401 - the trained NER reads its lexeme flags
import extractor.components.locations  # noqa: F401
import extractor.components.orgs  # noqa: F401
import extractor.components.persons  # noqa: F401
import extractor.components.quantities  # noqa: F401
import extractor.components.roles  # noqa: F401
import extractor.ner_embed  # noqa: F401 - registers the NER's embedding architecture
from extractor.errors import E001, ModelLoadError
from extractor.tokenizer import adjust_tokenizer

PREFERRED_MODELS = ("de_core_news_lg", "de_core_news_md", "de_core_news_sm")
DEFAULT_NAME = "default"
RULES_NAME = "rules"  # the embedded default without its trained NER: rules and lexicons only
# Order matters: dates and quantities claim numbers first; organisations before locations
# ("IHK Berlin"), roles and persons after both (affiliations); the event frame reads everything.
COMPONENTS = (
    "eventfacts_layout",
    "eventfacts_dates",
    "eventfacts_quantities",
    "eventfacts_orgs",
    "eventfacts_locations",
    "eventfacts_roles",
    "eventfacts_persons",
    "eventfacts_event",
)


@dataclass(frozen=True)
class PipelineInfo:
    """What `load_pipeline` chose, for `eventfacts info` and the logs."""

    requested: str
    base: str
    reason: str
    has_ner: bool
    components: tuple[str, ...]


def resolve_model(model: str) -> tuple[str, str]:
    """Which base to use for `model`: (name or path, why)."""
    if model == "auto":
        for name in PREFERRED_MODELS:
            if spacy.util.is_package(name):
                return name, f"'auto': {name} is installed"
        return DEFAULT_NAME, "'auto': no de_core_news_* package is installed, using the embedded default"
    if model == DEFAULT_NAME:
        return DEFAULT_NAME, "requested the embedded default"
    if model == RULES_NAME:
        return RULES_NAME, "requested rules only (blank German, no statistical NER)"
    return model, f"requested {model!r}"


def load_pipeline(model: str = "auto") -> tuple[Language, PipelineInfo]:
    """Load the base pipeline and add the eventfacts components.

    model (str): 'auto', 'default', an installed package name or a pipeline directory.
    RETURNS (tuple[Language, PipelineInfo]): the pipeline and how it was chosen.
    """
    base, reason = resolve_model(model)
    if base in (DEFAULT_NAME, RULES_NAME):
        nlp = _embedded_default(with_ner=base == DEFAULT_NAME)
    else:
        nlp = _load_installed(base)
    has_ner = "ner" in nlp.pipe_names and any(
        label in nlp.get_pipe("ner").labels for label in ("PER", "ORG", "LOC")
    )
    adjust_tokenizer(nlp)
    if nlp.has_pipe("parser") is False and nlp.has_pipe("senter") is False and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    for name in COMPONENTS:
        if name in nlp.pipe_names:
            continue
        config = {"use_ner": has_ner} if name in {"eventfacts_orgs", "eventfacts_locations", "eventfacts_persons"} else {}
        pipe = nlp.add_pipe(name, config=config)
        pipe.initialize(lambda: [], nlp=nlp)
    info = PipelineInfo(
        requested=model, base=base, reason=reason, has_ner=has_ner, components=tuple(nlp.pipe_names)
    )
    return nlp, info


def _embedded_default(*, with_ner: bool = True) -> Language:
    # The trained NER ships as package data (scripts/train_ner.py); a checkout without it falls back
    # to blank German so the rule components still run.
    model_dir = Path(__file__).resolve().parent / "default_model"
    # No lemmatizer: no component reads lemmas, and the lookup table cost ~10 s and ~100 MB per process.
    return spacy.load(model_dir) if with_ner and (model_dir / "config.cfg").is_file() else spacy.blank("de")


def _load_installed(name: str) -> Language:
    if not spacy.util.is_package(name) and not Path(name).exists():
        raise ModelLoadError(E001.format(name=name, reason="no installed package or directory of that name"))
    try:
        return spacy.load(name)
    except Exception as exc:  # spaCy raises OSError, ValueError, KeyError... for broken pipelines
        raise ModelLoadError(E001.format(name=name, reason=str(exc).splitlines()[0])) from exc

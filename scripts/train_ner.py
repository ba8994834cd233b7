"""Train the statistical German NER of the embedded default and ship it to extractor/default_model/.

    python scripts/train_ner.py [--data ../shared/data/ner] [--out build/ner] [--max-minutes 45] [--seed 0]

Steps: (1) convert the CC BY / CC0 NER sets and corpus/annotated/train.jsonl to .spacy DocBins under
OUT/data (GermEval 2014 dev is cut once, seeded, into report / tune / train parts; the report part is
written to OUT/germeval_report.conll.gz and never trained on), (2) train extractor/ner/config.cfg with
spaCy, (3) copy model-best's `ner` into blank German + the adjusted tokenizer and save it to
extractor/default_model/ with meta.json and NOTICE. `--no-ship` trains only; `--ship-from DIR` only ships.
`--piece-vectors` builds the subword piece table first (scripts/build_piece_table.py, needs the extra
`pieces`) and trains with `eventfacts.LexiconPieceEmbed.v1`; the table then travels inside the NER.
"""

from __future__ import annotations

import os

# Threads must be capped before numpy loads; the machine is shared.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402

from extractor.components.lexicon_flags import name_candidate_getter  # noqa: E402 - also registers the factory
import extractor.ner_embed  # noqa: E402,F401 - registers the embedding architecture
from extractor import ner_training as nt  # noqa: E402
from extractor.tokenizer import adjust_tokenizer  # noqa: E402

CONFIG = ROOT / "extractor" / "ner" / "config.cfg"
SHIP_DIR = ROOT / "extractor" / "default_model"
# Measured on the build machine (width 96, depth 4, 1 CPU thread, ~470k training words, a second
# training run beside it): about 230 updates per minute, evaluation included. The tune-part F1 was best
# at step 3,500 and fell afterwards (see extractor/default_model/README.md), so MAX_STEPS caps the run
# there; model-best is what ships. A smaller --max-minutes budget lowers the step count
# deterministically (not by a clock), so a run is reproducible from its arguments.
STEPS_PER_MINUTE = 230
MAX_STEPS = 3500

# name -> (licence, attribution); the attribution texts are the ones each dataset README requires.
ATTRIBUTION = {
    "germeval2014": ("CC BY 4.0", "GermEval 2014 NER data (NoSta-D): D. Benikova, C. Biemann, M. Reznicek. \"NoSta-D Named "
                     "Entity Annotation for German: Guidelines and Dataset.\" Proceedings of LREC 2014, Reykjavik, "
                     "Iceland. Licensed under CC BY 4.0. Changes: converted to two-column IOB2, outer annotation level "
                     "only, OTH mapped to MISC, -deriv/-part removed; only part of the dev split used for training."),
    "smartdata": ("CC BY 4.0", "DFKI SmartData Corpus. Martin Schiersch, Veselina Mironova, Maximilian Schmitt, Philippe "
                  "Thomas, Aleksandra Gabryszak, Leonhard Hennig. \"A German Corpus for Fine-Grained Named Entity "
                  "Recognition and Relation Extraction of Traffic and Industry Events.\" Proceedings of LREC 2018. "
                  "https://github.com/DFKI-NLP/smartdata-corpus - licensed CC BY 4.0. Changes: label set mapped to "
                  "PER/ORG/LOC (ROLE, dates, numbers removed), format converted, train split re-tokenised from v1."),
    "mobie": ("CC BY 4.0", "MobIE corpus, DFKI. Leonhard Hennig, Phuc Tran Truong, Aleksandra Gabryszak. \"MobIE: A "
              "German Dataset for Named Entity Recognition, Entity Linking and Relation Extraction in the Mobility "
              "Domain.\" Proceedings of KONVENS 2021. https://github.com/DFKI-NLP/MobIE - licensed CC BY 4.0. "
              "Changes: label set mapped to PER/ORG/LOC, format converted."),
    "legal_ler": ("CC BY 4.0", "German LER dataset. Elena Leitner, Georg Rehm, Julián Moreno-Schneider. \"A Dataset of "
                  "German Legal Documents for Named Entity Recognition.\" Proceedings of LREC 2020; and \"Fine-grained "
                  "Named Entity Recognition in Legal Documents.\" SEMANTiCS 2019. "
                  "https://github.com/elenanereiss/Legal-Entity-Recognition - licensed CC BY 4.0. Changes: "
                  "fine-grained labels mapped to PER/ORG/LOC/MISC, legal-norm labels removed, format converted, "
                  "dev split subsampled."),
    "europeana_newspapers_de": ("CC0 1.0", "Europeana Newspapers NER corpora, "
                                "https://github.com/EuropeanaNewspapers/ner-corpora/, Europeana Newspapers Project, "
                                "2012-2015, http://www.europeana-newspapers.eu/. C. Neudecker. \"An Open Corpus for "
                                "Named Entity Recognition in Historic Newspapers.\" LREC 2016. (CC0: attribution "
                                "requested, not required.)"),
    "neiss_sturm": ("CC BY 4.0", "NER dataset built from: Schrade, Torsten: „Startseite“, in: DER STURM. Digitale "
                    "Quellenedition zur Geschichte der internationalen Avantgarde, erarbeitet und herausgegeben von "
                    "Marjam Trautmann und Torsten Schrade. Mainz, Akademie der Wissenschaften und der Literatur, "
                    "Version 1 vom 16. Jul. 2018. Dataset: Zöllner, J.; Sperfeld, K.; Wick, C.; Labahn, R. "
                    "\"Optimizing Small BERTs Trained for German NER.\" Information 2021, 12, 443. "
                    "https://doi.org/10.3390/info12110443 - https://github.com/NEISSproject/NERDatasets - licensed "
                    "CC BY 4.0. Changes: labels mapped, format converted."),
    "eventfacts-corpus": ("same as the eventfacts project", "eventfacts annotated corpus, corpus/annotated/train.jsonl "
                          "(fictional press releases written by the eventfacts authors)."),
}


def prepare(args: argparse.Namespace) -> dict:
    """Write OUT/data/{train,dev}.spacy and the GermEval report CoNLL; RETURNS a summary for meta.json."""
    data: Path = args.data
    out: Path = args.out
    nlp = spacy.blank("de")
    adjust_tokenizer(nlp)
    germeval = nt.read_sentences(data / "germeval2014" / "dev.conll.gz")
    report, tune, train_ids = nt.germeval_split(germeval)
    nt.write_conll(out / "germeval_report.conll.gz", (germeval[i] for i in report))
    nt.write_conll(out / "germeval_tune.conll.gz", (germeval[i] for i in tune))
    (out / "germeval_split.json").write_text(json.dumps(
        {"seed": nt.GERMEVAL_SEED, "file": "germeval2014/dev.conll.gz (0-based sentence index in file order)",
         "report": report, "tune": tune, "train": train_ids}), encoding="utf8")

    parts: list[tuple[str, str, list[tuple[list[str], list[str]]], int]] = [
        ("germeval2014", "dev (train part)", [germeval[i] for i in train_ids], args.germeval_repeat),
        ("smartdata", "train", nt.read_sentences(data / "smartdata" / "train.conll.gz"), args.smartdata_repeat),
        ("mobie", "train", nt.read_sentences(data / "mobie" / "train.conll.gz"), 1),
        ("europeana_newspapers_de", "train",
         nt.read_sentences(data / "europeana_newspapers_de" / "train.conll.gz"), args.historic_repeat),
        ("neiss_sturm", "train", nt.read_sentences(data / "neiss_sturm" / "train.conll.gz"), args.historic_repeat),
        *[(name, "dev", nt.read_sentences(data / name / "dev.conll.gz"), repeat)
          for name, repeat in (("smartdata", args.smartdata_repeat), ("mobie", 1),
                               ("europeana_newspapers_de", args.historic_repeat), ("neiss_sturm", args.historic_repeat))
          if args.with_dev_splits],
        ("legal_ler", "dev (all sentences with entities + as many without)",
         nt.subsample_mostly_o(nt.read_sentences(data / "legal_ler" / "dev.conll.gz"), 1.0, args.seed), 1),
    ]
    is_candidate = name_candidate_getter()
    train_docs = []
    summary: dict = {"sources": [], "germeval_split": {"seed": nt.GERMEVAL_SEED, "report": len(report),
                                                        "tune": len(tune), "train": len(train_ids)}}
    for name, split, sentences, repeat in parts:
        if repeat <= 0:
            continue
        docs = list(nt.sentences_to_docs(nlp, sentences))
        # GermEval is the only set annotated with all four labels in the reporting scheme.
        masked = sum(nt.mask_name_candidates(d, is_candidate) for d in docs) \
            if args.mask_unlabelled and name != "germeval2014" else 0
        train_docs.extend(docs * repeat)
        summary["sources"].append({"name": name, "split": split, "sentences": len(docs), "repeat": repeat,
                                   "masked_tokens": masked, "licence": ATTRIBUTION[name][0]})
    if args.corpus_repeat > 0:
        docs, lost = nt.corpus_docs(nlp, ROOT / "corpus" / "annotated" / "train.jsonl")
        masked = sum(nt.mask_name_candidates(d, is_candidate) for d in docs) if args.mask_unlabelled else 0
        train_docs.extend(docs * args.corpus_repeat)
        summary["sources"].append({"name": "eventfacts-corpus", "split": "train.jsonl (paragraphs)",
                                   "sentences": len(docs), "repeat": args.corpus_repeat, "unaligned_spans": lost,
                                   "masked_tokens": masked,
                                   "licence": ATTRIBUTION["eventfacts-corpus"][0]})
    random.Random(args.seed).shuffle(train_docs)
    # Model selection (model-best) uses the GermEval tune part only, never the report part.
    dev_docs = list(nt.sentences_to_docs(nlp, (germeval[i] for i in tune)))
    nt.save_docbin(train_docs, out / "data" / "train.spacy")
    nt.save_docbin(dev_docs, out / "data" / "dev.spacy")
    summary["train_docs"] = len(train_docs)
    summary["train_words"] = sum(len(d) for d in train_docs)
    (out / "data" / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf8")
    return summary


def _size_overrides(args: argparse.Namespace) -> dict:
    return {
        "components.ner.model.tok2vec.embed.width": args.width,
        "components.ner.model.tok2vec.encode.depth": args.depth,
        "components.ner.model.tok2vec.embed.rows": [args.embed_size] + [args.embed_size // 2] * 3,
        "components.ner.model.hidden_width": args.hidden_width,
    }


def pretrain(args: argparse.Namespace) -> Path:
    """`spacy pretrain` a copy of the NER's tok2vec on the training text; RETURNS the weights file.

    The NER owns its tok2vec, and its `tok2vec` reference ends in the parser's projection layer, which
    spaCy's pretraining objective cannot sit on. So the same architecture is pretrained as a stand-alone
    `tok2vec` component (characters objective, config section [pretraining]) and its weights are copied
    into the NER's inner tok2vec before training (see `train`).
    """
    from spacy.tokens import DocBin
    from spacy.training.pretrain import pretrain as spacy_pretrain

    raw = args.out / "data" / "raw.jsonl"
    docs = DocBin().from_disk(args.out / "data" / "train.spacy").get_docs(spacy.blank("de").vocab)
    texts = sorted({doc.text for doc in docs})  # the training sets' text, each sentence once
    raw.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf8")
    config = spacy.util.load_config(CONFIG, overrides={"paths.raw_text": str(raw), "system.seed": args.seed,
                                                       "pretraining.max_epochs": args.pretrain_epochs,
                                                       **_size_overrides(args)}, interpolate=True)
    config["nlp"]["pipeline"] = ["eventfacts_lexicon_flags", "tok2vec"]
    config["components"]["tok2vec"] = {"factory": "tok2vec", "model": config["components"]["ner"]["model"]["tok2vec"]}
    del config["components"]["ner"]
    config["pretraining"].update({"component": "tok2vec", "layer": ""})
    out = args.out / "pretrain"
    out.mkdir(parents=True, exist_ok=True)
    spacy_pretrain(config, out, use_gpu=-1, silent=False)
    return out / f"model{args.pretrain_epochs - 1}.bin"


def use_piece_vectors(config, pieces: Path, vector_dropout: float) -> None:
    """Swap the NER's embedding for LexiconHashEmbed.v1 + piece vectors (same sizes otherwise)."""
    embed = config["components"]["ner"]["model"]["tok2vec"]["embed"]
    embed.update({"@architectures": "eventfacts.LexiconPieceEmbed.v1", "pieces": str(pieces),
                  "vector_dropout": vector_dropout})


def train(args: argparse.Namespace, init_tok2vec: Path | None = None) -> Path:
    """Run spaCy training (as `spacy train` does); RETURNS the model-best directory."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    max_steps = args.max_steps or min(MAX_STEPS, int(args.max_minutes * STEPS_PER_MINUTE * 0.8))
    overrides = {
        "paths.train": str(args.out / "data" / "train.spacy"),
        "paths.dev": str(args.out / "data" / "dev.spacy"),
        "system.seed": args.seed,
        "training.max_steps": max_steps,
        **_size_overrides(args),
    }
    config = spacy.util.load_config(CONFIG, overrides=overrides, interpolate=False)
    if args.piece_vectors:
        use_piece_vectors(config, args.out / "pieces", args.vector_dropout)
    nlp = init_nlp(config, use_gpu=-1)
    if init_tok2vec is not None:  # the pretrained inner tok2vec, before the parser's projection
        nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].from_bytes(init_tok2vec.read_bytes())
    output = args.out / "model"
    output.mkdir(parents=True, exist_ok=True)
    train_loop(nlp, output, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
    return output / "model-best"


def ner_scores(nlp: spacy.language.Language, conll: Path) -> dict:
    """NER-only P/R/F (spaCy scorer, strict spans) of `nlp` on a CoNLL file."""
    blank = spacy.blank("de")
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in nt.sentences_to_docs(blank, nt.read_sentences(conll))]
    scores = nlp.evaluate(examples)
    return {"ents_p": round(scores["ents_p"], 4), "ents_r": round(scores["ents_r"], 4), "ents_f": round(scores["ents_f"], 4),
            "per_type": {k: {m: round(v, 4) for m, v in d.items()} for k, d in scores["ents_per_type"].items()}}


def _uses_pieces(nlp: spacy.language.Language) -> bool:
    return any(node.name == "piece_vectors" for node in nlp.get_pipe("ner").model.walk())


def _piece_facts(out: Path) -> dict:
    """pieces.json of scripts/build_piece_table.py (PCA, storage), with the current provenance text."""
    from build_piece_table import PROVENANCE

    facts = json.loads((out / "pieces" / "pieces.json").read_text(encoding="utf8"))
    facts["attribution"] = PROVENANCE.format(version=facts["package_version"], dims=facts["dims"],
                                             fitted=facts["pca_fitted_on_pieces"])
    return facts


def pipeline_scores(conll: Path, model: Path | str = "default") -> dict:
    """Strict P/R/F of the full `--model default` pipeline (scripts/evaluate_ner.py logic) on a CoNLL file."""
    import importlib.util

    from extractor.evaluation import score_iob2
    from extractor.pipeline import load_pipeline

    spec = importlib.util.spec_from_file_location("evaluate_ner", ROOT / "scripts" / "evaluate_ner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    nlp, _ = load_pipeline(str(model))
    data = nt.read_sentences(conll)
    result = score_iob2([t for _, t in data], list(module.run(nlp, (w for w, _ in data), 256)))
    return {"precision": round(result["precision"], 4), "recall": round(result["recall"], 4),
            "f1": round(result["f1"], 4),
            "per_label": {k: {m: round(v, 4) if isinstance(v, float) else v for m, v in d.items()}
                          for k, d in result["per_label"].items()}}


def _trim_strings(model_dir: Path) -> None:
    """Keep only the strings of blank German + the NER labels in vocab/strings.json.

    The training vocabulary (~145k strings) is not needed: the hash-embedding NER hashes token features at
    run time. Dropping it halves `spacy.load` time and leaves the predictions unchanged (checked on the
    GermEval reporting part).
    """
    import srsly

    blank = spacy.blank("de")
    adjust_tokenizer(blank)
    srsly.write_json(model_dir / "vocab" / "strings.json", sorted({*blank.vocab.strings, *nt.LABELS}))


def ship(model_dir: Path, out: Path, summary: dict, ship_dir: Path = SHIP_DIR) -> None:
    """Blank German + adjusted tokenizer + the trained `ner` -> `ship_dir` (meta, NOTICE)."""
    trained = spacy.load(model_dir)
    nlp = spacy.blank("de")
    adjust_tokenizer(nlp)
    for name in trained.pipe_names:
        if name == "ner":
            nlp.add_pipe("ner", source=trained)
        else:  # eventfacts_lexicon_flags: built fresh, so it registers the flags on this pipeline's vocab
            nlp.add_pipe(trained.get_pipe_meta(name).factory, name=name)
    report = ner_scores(nlp, out / "germeval_report.conll.gz")
    pieces = _piece_facts(out) if _uses_pieces(nlp) else None
    nlp.meta.update({
        "name": "eventfacts_default_ner", "version": "0.1.0",
        "description": "Embedded default of eventfacts: blank German, adjusted tokenizer and a small CNN NER "
                       "(PER/ORG/LOC/MISC) trained from scratch on openly licensed German NER data.",
        "license": "MIT (eventfacts); weights trained on CC BY 4.0 and CC0 1.0 data, attributions in NOTICE",
        "sources": [{"name": s["name"], "licence": s["licence"], "split": s["split"], "sentences": s["sentences"],
                     "repeat": s["repeat"], "attribution": ATTRIBUTION[s["name"]][1]} for s in summary["sources"]],
        "training": {"germeval_split": summary["germeval_split"], "train_docs": summary["train_docs"],
                     "train_words": summary["train_words"], "config": "extractor/ner/config.cfg",
                     "trained_from": str(model_dir)},
        "performance": {"germeval_report_ner_only": report},
    })
    if pieces is not None:
        nlp.meta["sources"].append({"name": "subword vectors", "licence": "Apache-2.0", **pieces})
        nlp.meta["license"] += "; subword vectors from Google's USE-multilingual v3 (Apache-2.0), see NOTICE"
    # README.md (the variant log) is written by hand: keep it across re-shipping.
    readme = ship_dir / "README.md"
    if not readme.is_file() and (SHIP_DIR / "README.md").is_file():
        readme = SHIP_DIR / "README.md"
    kept = readme.read_text(encoding="utf8") if readme.is_file() else None
    readme = ship_dir / "README.md"
    if ship_dir.exists():
        shutil.rmtree(ship_dir)
    nlp.to_disk(ship_dir)
    _trim_strings(ship_dir)
    if pieces is not None:  # the table travels in ner/model: the build directory is not needed to load
        config = spacy.util.load_config(ship_dir / "config.cfg")
        config["components"]["ner"]["model"]["tok2vec"]["embed"]["pieces"] = None
        config.to_disk(ship_dir / "config.cfg")
    if kept is not None:
        readme.write_text(kept, encoding="utf8")
    # Full-pipeline score (rules + NER, as scripts/evaluate_ner.py computes it) with the shipped model.
    full = pipeline_scores(out / "germeval_report.conll.gz", ship_dir)
    meta_path = ship_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf8"))
    meta["performance"]["germeval_report_full_pipeline"] = full
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf8")
    notice = ["eventfacts default NER model - data attributions", "",
              "The statistical NER in this directory was trained by the eventfacts authors on the data sets",
              "below. CC BY 4.0 requires the following attribution; CC0 attribution is given as requested.", ""]
    for s in summary["sources"]:
        notice += [f"* {s['name']} ({s['licence']}):", f"  {ATTRIBUTION[s['name']][1]}", ""]
    if pieces is not None:
        notice += ["The NER's embedding also contains pretrained subword vectors (Apache-2.0):",
                   f"  {pieces['attribution']}",
                   "  Apache-2.0 licence text: https://www.apache.org/licenses/LICENSE-2.0", ""]
    notice.append("CC BY 4.0 licence text: https://creativecommons.org/licenses/by/4.0/")
    (ship_dir / "NOTICE").write_text("\n".join(notice) + "\n", encoding="utf8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ner")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "ner")
    parser.add_argument("--max-minutes", type=float, default=45.0, help="time budget that sets training.max_steps")
    parser.add_argument("--max-steps", type=int, default=0, help="override the steps derived from --max-minutes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--embed-size", type=int, default=4000)
    parser.add_argument("--hidden-width", type=int, default=64, help="the NER's state layer (speed vs accuracy)")
    parser.add_argument("--germeval-repeat", type=int, default=3, help="upsampling of the GermEval train part")
    parser.add_argument("--smartdata-repeat", type=int, default=1)
    parser.add_argument("--historic-repeat", type=int, default=1, help="Europeana + NEISS letters (0 drops them)")
    parser.add_argument("--corpus-repeat", type=int, default=4, help="corpus/annotated/train.jsonl (0 drops it)")
    parser.add_argument("--with-dev-splits", action="store_true",
                        help="also train on the dev splits of SmartData, MobIE, Europeana and NEISS (their test "
                             "splits stay for reporting)")
    parser.add_argument("--mask-unlabelled", action="store_true",
                        help="outside GermEval, leave name-like O tokens unannotated (sets lack MISC or ORG)")
    parser.add_argument("--pretrain-epochs", type=int, default=0,
                        help="spacy pretrain the tok2vec on the training text for N epochs first (0: no)")
    parser.add_argument("--piece-vectors", action="store_true",
                        help="add pretrained subword vectors to the embedding (builds OUT/pieces first)")
    parser.add_argument("--piece-dims", type=int, default=128, help="dimensions of the projected piece table")
    parser.add_argument("--vector-dropout", type=float, default=0.0,
                        help="with --piece-vectors: share of word vectors dropped in training")
    parser.add_argument("--no-ship", action="store_true", help="train only, do not write extractor/default_model/")
    parser.add_argument("--ship-dir", type=Path, default=SHIP_DIR, help="where to ship (default: the embedded model)")
    parser.add_argument("--ship-from", type=Path, default=None, help="ship this trained model dir, no training")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    if args.ship_from is not None:
        summary = json.loads((args.out / "data" / "summary.json").read_text(encoding="utf8"))
        ship(args.ship_from, args.out, summary, args.ship_dir)
        return 0
    summary = prepare(args)
    print(f"prepared {summary['train_docs']} docs / {summary['train_words']} words in {time.perf_counter() - began:.0f} s")
    if args.piece_vectors:
        from build_piece_table import build as build_pieces

        facts = build_pieces(args.out / "data" / "train.spacy", args.out / "pieces", args.piece_dims)
        print(f"piece table: {facts['pieces']} x {facts['dims']}, PCA on {facts['pca_fitted_on_pieces']} pieces")
    init_tok2vec = pretrain(args) if args.pretrain_epochs > 0 else None
    best = train(args, init_tok2vec)
    print(f"trained in {(time.perf_counter() - began) / 60:.1f} min")
    if not args.no_ship:
        ship(best, args.out, summary, args.ship_dir)
        print(f"shipped {best} -> {args.ship_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

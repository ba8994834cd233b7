"""Evaluation of eventfacts against gold: tolerant fact matching and record-level scoring of real reports.

The span- and record-level scoring of the annotated corpus lives in `extractor.evaluate`;
`matching` holds the reader-tolerant equality of facts, `real_records` scores records against the
record-level gold of real reports (`corpus/real/gold`, written to ANNOTATION.md).
"""

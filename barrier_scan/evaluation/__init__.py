"""How good the detector is, and training the classifier (``barrier-scan evaluate`` / ``train``).

- ``data.py`` — labelled sentences in the LABELS.md format, their sources and fingerprints;
- ``metrics.py`` — the one scorer (per-label P/R/F1, thresholds);
- ``evaluate.py`` — rules, model and combined on a labelled file;
- ``train.py`` — cross-validated training of the classifier; ``card.py`` — its model card.
"""

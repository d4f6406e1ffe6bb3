"""Stage 3, detect: rules and the trained classifier over one segmented document.

- ``detector.Detector`` — rules + classifier + document facts, configured once per process; its
  ``run`` is the one way anything (a file, a pasted snippet, a rule's own example, a labelled
  sentence) is checked.
- ``rules/`` — the rule engine (the rule *data* lives in the top-level ``rules/`` folder).
- ``model/`` — the sentence classifier, its features and safe persistence.
- ``facts.py`` and ``quantities.py`` — contract value, term, lots, regime, dates; money,
  durations, percentages.

Imports are lazy (PEP 562) so that ``barrier-scan --version`` and ``rules`` never load spaCy or
scikit-learn.
"""
from __future__ import annotations

__all__ = ["Detector", "Detection", "load_detector"]


def __getattr__(name):
    if name in __all__:
        from . import detector

        return getattr(detector, name)
    raise AttributeError(name)

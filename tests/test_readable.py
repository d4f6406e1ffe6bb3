"""Which lines can be findings at all (detector.heading_like / readable)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, title", [
    ("3.1 Sessions", True),
    ("What we want to achieve", True),
    ("6. CONTINUOUS IMPROVEMENT 4", True),  # a contents line and its page number
    ("Purpose 3", True),
    ("Deliver 40 sessions", False),
    ("Lot 2 worth £40,000", False),
    ("The provider must run 12 sessions", False),
])
def test_heading_like_lines_are_never_findings(text, title):
    """(detector.heading_like) headings, titles and contents lines are not judged as sentences."""
    from barrier_scan.detect.detector import heading_like

    assert heading_like(text) is title

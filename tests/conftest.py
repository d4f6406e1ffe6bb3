"""Suite-wide test settings.

LibreOffice conversion of legacy .doc/.odt/.rtf files (barrier_scan/extract/convert.py) is off
for the suite: elsewhere a legacy fixture stands for "a file barrier-scan cannot read", and each
conversion costs seconds. tests/test_convert.py turns it back on for the tests that exercise it.
The variable is in the environment, so CLI runs in subprocesses see it too.
"""
from __future__ import annotations

import os

os.environ.setdefault("BARRIER_SCAN_SOFFICE", "")

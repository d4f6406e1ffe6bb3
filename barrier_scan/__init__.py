"""barrier-scan: find, with evidence, where tenders shut out small arts and cultural providers."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import analyse, iter_files, scan_file, scan_paths, scan_text  # noqa: E402
from .config import Config  # noqa: E402
from .findings import SCHEMA_VERSION, DocumentResult, Evidence, Finding  # noqa: E402

__all__ = ["scan_file", "scan_text", "scan_paths", "iter_files", "analyse", "Config", "Finding",
           "Evidence", "DocumentResult", "SCHEMA_VERSION", "__version__"]

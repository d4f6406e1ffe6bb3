"""barrier-scan: find, with evidence, where tenders shut out small arts and cultural providers.

The pipeline, one stage a module or package: ``extract`` -> ``segment`` -> ``detect`` ->
``score`` -> ``report``; ``pipeline`` runs it for one file or string; the commands that use it
(``batch``, ``annotate``, ``baseline``, ``compare``, ``serve``) sit beside ``cli``.

The public API is imported lazily (PEP 562) so that ``import barrier_scan`` and
``barrier-scan --version`` stay instant::

    import barrier_scan
    result = barrier_scan.scan_file("spec.docx")
"""
from __future__ import annotations

from .version import __version__

_API = {
    "scan_file": "pipeline", "scan_text": "pipeline", "analyse": "pipeline",
    "iter_files": "pipeline", "scan_paths": "batch", "Config": "config",
    "Finding": "findings", "Evidence": "findings", "DocumentResult": "findings",
    "SCHEMA_VERSION": "findings",
}
__all__ = [*_API, "__version__"]


def __getattr__(name):
    if name in _API:
        import importlib

        module = importlib.import_module(f".{_API[name]}", __name__)
        return getattr(module, "scan_batch" if name == "scan_paths" else name)
    raise AttributeError(f"module 'barrier_scan' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)

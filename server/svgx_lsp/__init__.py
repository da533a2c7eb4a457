"""The SVGX language server: pygls handlers that call the analysis core and convert its
results to LSP types at the edge (server.md §2)."""

__all__ = ["__version__"]

from svgx_pipeline import __version__

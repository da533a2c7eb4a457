"""svgx: validation of SVGX building-system drawings, profiles, schemas and symbols.

The analysis core. Nothing here imports a protocol library: the language server
(``svgx_lsp``) and the CLI convert at their edges.
"""

__version__ = "0.1.0"

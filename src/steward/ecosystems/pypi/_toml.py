"""The TOML parser: ``tomli``'s compiled build when installed (about 3x faster), else ``tomllib``.

Both have the same API and error messages; Steward depends on ``tomli`` for speed only.
"""

from __future__ import annotations

try:
    import tomli as tomllib
except ImportError:  # pragma: no cover - tomli is a declared dependency
    import tomllib  # type: ignore[no-redef]

__all__ = ["tomllib"]

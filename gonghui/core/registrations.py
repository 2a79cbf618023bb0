"""What core registers itself: the import-preview workflow (modules register theirs)."""

from gonghui.core import imports  # noqa: F401

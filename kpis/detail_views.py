"""Kept only for pages/overview.py's import of catalog_indicator_options (now in kpis.view_choices); remove once it imports from there."""

from .view_choices import catalog_indicator_options

__all__ = ["catalog_indicator_options"]

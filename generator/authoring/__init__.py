"""Tools for contributors and maintainers: `catalogue add`, imports, entry files written
the way a person would.
"""

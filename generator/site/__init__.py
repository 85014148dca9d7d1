"""Stage 5, write: the rendered pages in the theme's shell, written into the site, with
sitemaps and the search index, and published whole.
"""

"""Stage 4, render: the catalogue as pages (HTML bodies for the theme) and as the files
readers download (citations, feeds, whole-catalogue exports).
"""

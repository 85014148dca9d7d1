"""Stages 1 and 2, read and validate: entry files and the vocabulary and authors files,
parsed strictly, checked against the model, every problem collected with its file and line.
"""

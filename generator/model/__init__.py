"""The catalogue's types: an entry, a paper, the tag vocabulary, problems, and text
written safely into each output language. Every stage may import this package.
"""

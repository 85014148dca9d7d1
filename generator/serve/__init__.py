"""What only `catalogue serve` keeps between rebuilds, and its background work."""

"""Stage 3, enrich: from valid papers to the catalogue readers browse (indexes by tag,
author, year and venue; citation keys; related papers).
"""

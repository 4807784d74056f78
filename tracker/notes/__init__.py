"""Notes on the figures: why a month jumped, written beside the figures it explains."""

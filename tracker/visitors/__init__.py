"""Monthly foreign-visitor figures: entry grid, overview, history, bulk import and export."""

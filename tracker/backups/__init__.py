"""Backups of the whole database, taken while the app runs, and their restore: `tracker backup`, `tracker restore`."""

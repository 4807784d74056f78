"""Imports as background jobs: queued by the upload page and the API, run by `tracker worker` (Huey)."""

"""The audit: every recorded change and every log-in attempt, for admins to read, filter and download."""

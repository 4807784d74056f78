"""Reminders and alerts, shaped like a feature with tasks: `queries` (whom to remind of what), `services` (the
daily run: queue, then send), `messages` (one template per language), `tasks` (the job library's daily task),
`views` (the outbox, each account's choice) and the `tracker reminders` commands (registered by `views`' blueprint).
"""

"""The monthly reporting cycle, in one place: who must report what by when, each unit's month from missing to
approved, the locks approval puts on figures, and the rates and late lists that pages and the API read.

`deadlines` (pure date arithmetic), `states` (pure rules of the cycle), `units` (who reports), `services`
(transitions and the admins' rules), `locks` (what every write path asks), `queries` (states, rates, queues),
`counts` (the rollup counts of who sent figures).
"""

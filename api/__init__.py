"""Plaudit's API: the Starlette app, the GraphQL schema, authentication and the `plaudit` CLI.

One package per feature (`types`, `queries`, `mutations`, `loaders`), the edge guards in
`guards/`, the command line in `cli/`. Resolvers stay thin: they call `domain/` services and
turn results into GraphQL types. May import `domain`, `gamification` and `workers`.
"""

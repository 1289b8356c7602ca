"""The API's edge guards: what a request must pass before (and while) any resolver runs.

Each module is one guard: body and WebSocket frame size (`body_limit`, `frame_limit`), CORS
(`cors`), rate limits counted in Redis (`rate_limits`), query depth and alias counts measured
through fragments (`depth_limit`, `alias_limit`, over `operation_rules`), string arguments
(`input_guard`), no field suggestions for unknown names (`suggestions`), who may open a
WebSocket and what a refused one is told (`websocket_access`), and the one shape of a refused
request (`refusals`). Guards import nothing of the API above them (only its leaves: `auth`,
`errors`).
"""

"""The body limit, for WebSocket frames.

`BodyLimitMiddleware` bounds HTTP bodies only; uvicorn itself accepts frames up to 16 MiB. A
frame over PLAUDIT_MAX_BODY_BYTES closes the socket with 4413 (after HTTP's 413), and the app
sees the client leave: it never reads the frame.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CLOSE_TOO_LARGE = 4413


class FrameLimitMiddleware:
    def __init__(self, app: ASGIApp, max_frame_bytes: int) -> None:
        self.app = app
        self.max_frame_bytes = max_frame_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        closed = False

        async def limited_receive() -> Message:
            nonlocal closed
            if closed:
                return {"type": "websocket.disconnect", "code": CLOSE_TOO_LARGE}
            message = await receive()
            if message["type"] == "websocket.receive" and self._too_large(message):
                closed = True
                reason = f"frame over the limit of {self.max_frame_bytes} bytes"
                await send({"type": "websocket.close", "code": CLOSE_TOO_LARGE, "reason": reason})
                return {"type": "websocket.disconnect", "code": CLOSE_TOO_LARGE}
            return message

        async def guarded_send(message: Message) -> None:
            if not closed:  # nothing goes out after the close frame
                await send(message)

        await self.app(scope, limited_receive, guarded_send)

    def _too_large(self, message: Message) -> bool:
        text = message.get("text")
        size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
        return size > self.max_frame_bytes

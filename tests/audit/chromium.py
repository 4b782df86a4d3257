"""A minimal DevTools-protocol driver for Debian's headless Chromium, over `--remote-debugging-pipe` (file
descriptors 3 and 4, NUL-separated JSON): no websocket library and no downloaded browser. It opens a page,
collects every console message, log entry, exception and network request, measures elements and takes
screenshots of them."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class PageReport:
    errors: list[str] = field(default_factory=list)  # console errors, log errors, uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL the page asked for


class Chromium:
    def __init__(self, width: int = 1100, height: int = 900) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        self._profile = tempfile.mkdtemp(prefix="veil-chromium-")

        def fds() -> None:
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._process = subprocess.Popen(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                f"--user-data-dir={self._profile}", "--no-first-run", "--no-default-browser-check",
                f"--window-size={width},{height}", "about:blank",
            ],
            pass_fds=(3, 4), preexec_fn=fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._session: str | None = None
        self.page = PageReport()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.call("Browser.close", session=False)
            self._process.wait(timeout=10)
        except Exception:
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            shutil.rmtree(self._profile, ignore_errors=True)

    def _send(self, method: str, params: dict[str, Any], session: bool) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session and self._session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise EOFError("Chromium exited")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        self._observe(message)
        return message

    def _observe(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.page.errors.append(json.dumps(params.get("args"))[:300])
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.page.errors.append(params["entry"].get("text", "")[:300])
        elif method == "Runtime.exceptionThrown":
            self.page.errors.append(json.dumps(params.get("exceptionDetails"))[:300])
        elif method == "Network.requestWillBeSent":
            self.page.requests.append(params["request"]["url"])

    def call(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> dict[str, Any]:
        wanted = self._send(method, params or {}, session)
        deadline = time.monotonic() + 30
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def open(self, path: Path) -> None:
        """Load a local file and wait for its load event, watching console, log and network."""
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
        self._session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable")
        self.call("Page.navigate", {"url": path.resolve().as_uri()})
        deadline = time.monotonic() + 30
        while True:
            if self._receive(deadline).get("method") == "Page.loadEventFired":
                return

    def boxes(self, selector: str) -> list[dict[str, float]]:
        """The page-coordinate boxes of the elements matching `selector`."""
        expression = (
            f"JSON.stringify([...document.querySelectorAll({json.dumps(selector)})].map(e => {{"
            "const b = e.getBoundingClientRect();"
            "return {x: b.x + scrollX, y: b.y + scrollY, width: b.width, height: b.height}; }))"
        )
        found = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        boxes: list[dict[str, float]] = json.loads(found["result"]["value"])
        return boxes

    def screenshot(self, box: dict[str, float]) -> bytes:
        """A PNG of one page region (beyond the window too)."""
        clip = {**box, "scale": 1}
        shot = self.call(
            "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
        )
        return base64.b64decode(shot["data"])

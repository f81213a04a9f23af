"""The local web server behind the sandbox: one loopback process for every embedded app.

The bank portal and the accounting app register themselves as blueprints; the index lists the
world's files so a person can see what the robots read.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template_string, send_from_directory
from werkzeug.serving import make_server

INDEX = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox</title></head>
<body><h1>Receivables sandbox</h1><p>World: seed {{ spec.seed }}, as of {{ spec.as_of }}</p>
<ul>{% for app in apps %}<li><a href="{{ app.url }}">{{ app.title }}</a></li>{% endfor %}</ul>
<h2>Files</h2><ul>{% for f in files %}<li><a href="/files/{{ f }}">{{ f }}</a></li>{% endfor %}</ul>
</body></html>"""


def create_app(world: Path) -> Flask:
    import json

    app = Flask("receivables-sandbox")
    app.config["WORLD"] = world
    app.config["APPS"] = []

    @app.get("/")
    def index() -> str:
        manifest = json.loads((world / "manifest.json").read_text())
        return render_template_string(
            INDEX, spec=manifest["spec"], files=sorted(manifest["files"]), apps=app.config["APPS"]
        )

    @app.get("/files/<path:name>")
    def files(name: str) -> Any:
        if not (world / name).is_file():
            abort(404)
        return send_from_directory(world, name, as_attachment=True)

    return app


class SandboxServer:
    """Serve the sandbox on loopback in a background thread (tests and the demo start it)."""

    def __init__(self, world: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per robot request
        self.app = create_app(world)
        self._server = make_server(host, port, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SandboxServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

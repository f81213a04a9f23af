"""SMS part counting and the HTTP gateway against a local fake SMSAPI."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from receivables.channels.outbox import Outgoing, PermanentError
from receivables.channels.sms import HttpSmsGateway, count_parts


@pytest.mark.parametrize("text,encoding,parts", [
    ("a" * 160, "GSM-7", 1), ("a" * 161, "GSM-7", 2), ("a" * 306, "GSM-7", 2), ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1), ("€" * 81, "GSM-7", 2),  # escape + char
    ("Zapłać" + "a" * 64, "UCS-2", 1), ("ą" * 71, "UCS-2", 2), ("ą" * 134, "UCS-2", 2), ("ą" * 135, "UCS-2", 3),
    ("Grüße Müller", "GSM-7", 1),  # ü, ß, Ü are in GSM 03.38; Polish ł, ą, ę are not
])
def test_gsm7_and_ucs2_part_counting(text, encoding, parts):
    got = count_parts(text)
    assert (got.encoding, got.parts) == (encoding, parts)


def _msg(to: str) -> Outgoing:
    return Outgoing(1, "reminder:K1:x:2026-03-10:sms", "sms", to, None, "Przypomnienie: 100 zł", None, (),
                    "<abc@nordwind.example>", "pl", 1)


def test_http_gateway_posts_with_token_and_idempotency_key():
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            fields = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            got.append((self.headers["Authorization"], fields))
            reply = {"error": 13, "message": "No correct phone numbers"} if fields["to"] == ["bad"] else \
                {"count": 1, "list": [{"id": "1", "status": "QUEUE"}]}
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        gateway = HttpSmsGateway(f"http://127.0.0.1:{server.server_port}/sms.do", "tok", "Nordwind")
        gateway.send(_msg("+48600100200"))
        auth, fields = got[0]
        assert auth == "Bearer tok" and fields["message"] == ["Przypomnienie: 100 zł"]
        assert fields["idx"] == ["abc@nordwind.example"] and fields["check_idx"] == ["1"]
        with pytest.raises(PermanentError, match="13"):
            gateway.send(_msg("bad"))
    finally:
        server.shutdown()

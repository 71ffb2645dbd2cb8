"""A tiny local OTLP/HTTP collector for the observability benchmark, in a process of its own:
accepts `POST /v1/traces` (protobuf), counts export requests, spans and server (request) spans; `GET /count` answers them as JSON.

Usage: python bench/_otlp_receiver.py PORT
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

_lock = threading.Lock()
_counts = {"requests": 0, "spans": 0, "server_spans": 0, "bytes": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path != "/v1/traces":
            self._answer(404, b"")
            return
        message = ExportTraceServiceRequest()
        message.ParseFromString(body)
        spans = [span for rs in message.resource_spans for scope in rs.scope_spans for span in scope.spans]
        with _lock:
            _counts["requests"] += 1
            _counts["spans"] += len(spans)
            _counts["server_spans"] += sum(1 for span in spans if span.kind == span.SPAN_KIND_SERVER)
            _counts["bytes"] += len(body)
        self._answer(200, b"", "application/x-protobuf")

    def do_GET(self) -> None:
        with _lock:
            payload = json.dumps(_counts).encode()
        self._answer(200, payload, "application/json")

    def _answer(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()

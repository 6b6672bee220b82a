#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a registry, for the push engine's tests.

Listens on 127.0.0.1 only and forwards every request to --upstream, keeping the Host header so
the registry's Location headers point back at the proxy. It logs one line per request (method,
path, status, whether an Authorization header came: never its value) and can inject faults:

  --fail-rate R        fail this share of /v2/ requests (seeded by --seed) with one of --faults:
                       500, 429 (with Retry-After: --retry-after), drop (close without answering),
                       drop-after (forward, then close without answering), slow (answer after
                       --slow-seconds)
  --fail-first N       fail the first N /v2/ requests instead, cycling through --faults
  --max-body N         answer 413 to PUT/PATCH bodies larger than N bytes
  --fail-digest D      answer 400 to every PUT that completes the upload of blob D
  --redirect-blob-heads HOST:PORT   answer 307 to blob HEADs, to the same path on HOST:PORT
  --respond STATUS     answer every request with STATUS instead of forwarding
"""

import argparse
import http.client
import http.server
import json
import random
import socket
import sys
import threading
import time
import urllib.parse

import lifetime

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
               "proxy-authorization", "proxy-authenticate"}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", default="")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--fail-rate", type=float, default=0.0)
    p.add_argument("--faults", default="500,429,drop,drop-after,slow")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--retry-after", default="1")
    p.add_argument("--slow-seconds", type=float, default=1.5)
    p.add_argument("--max-body", type=int, default=-1)
    p.add_argument("--fail-digest", default="")
    p.add_argument("--redirect-blob-heads", default="")
    p.add_argument("--respond", type=int, default=0)
    p.add_argument("--max-seconds", type=float, default=600)
    args = p.parse_args()
    lifetime.stop_with_parent(args.max_seconds)

    rng = random.Random(args.seed)
    rng_lock = threading.Lock()
    log_lock = threading.Lock()
    log = open(args.log, "a", buffering=1)
    faults = [f for f in args.faults.split(",") if f]
    failed_first = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def record(self, status, fault):
            auth = 1 if self.headers.get("Authorization") else 0
            with log_lock:
                log.write(f"{self.command} {self.path} {status} auth={auth} fault={fault}\n")

        def read_body(self):
            n = int(self.headers.get("Content-Length") or 0)
            chunks = []
            while n > 0:
                c = self.rfile.read(min(n, 1 << 20))
                if not c:
                    break
                chunks.append(c)
                n -= len(c)
            return b"".join(chunks)

        def answer(self, status, headers=(), body=b""):
            # A HEAD answer keeps the length the registry gave; others carry what we send.
            keep_length = self.command == "HEAD" and any(
                k.lower() == "content-length" for k, _ in headers)
            self.send_response(status)
            for k, v in headers:
                if k.lower() != "content-length" or keep_length:
                    self.send_header(k, v)
            if not keep_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def error(self, status, code, extra=()):
            body = json.dumps({"errors": [{"code": code, "message": "injected by the proxy"}]})
            self.answer(status, [("Content-Type", "application/json"), *extra], body.encode())

        def drop(self):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def forward(self, body):
            conn = http.client.HTTPConnection(args.upstream, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            headers.pop("Expect", None)
            headers["Content-Length"] = str(len(body))
            if self.command in ("GET", "HEAD", "DELETE") and not body:
                headers.pop("Content-Length")
            conn.request(self.command, self.path, body=body or None, headers=headers)
            r = conn.getresponse()
            data = r.read()
            out = [(k, v) for k, v in r.getheaders() if k.lower() not in HOP_HEADERS]
            conn.close()
            return r.status, out, data

        def pick_fault(self):
            if not self.path.startswith("/v2/") or not faults:
                return None
            with rng_lock:
                if failed_first[0] < args.fail_first:
                    failed_first[0] += 1
                    return faults[(failed_first[0] - 1) % len(faults)]
                if args.fail_rate <= 0:
                    return None
                if rng.random() >= args.fail_rate:
                    return None
                return rng.choice(faults)

        def handle_one(self):
            body = self.read_body()
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            if args.respond:
                self.record(args.respond, "respond")
                return self.answer(args.respond)
            if (args.redirect_blob_heads and self.command == "HEAD" and "/blobs/" in self.path):
                self.record(307, "redirect")
                return self.answer(307, [("Location",
                                          f"http://{args.redirect_blob_heads}{self.path}")])
            if (args.max_body >= 0 and self.command in ("PUT", "PATCH")
                    and len(body) > args.max_body):
                self.record(413, "too-large")
                return self.error(413, "SIZE_INVALID")
            if (args.fail_digest and self.command == "PUT"
                    and args.fail_digest in query.get("digest", [])):
                self.record(400, "fail-digest")
                return self.error(400, "BLOB_UPLOAD_INVALID")
            fault = self.pick_fault()
            if fault == "500":
                self.record(500, fault)
                return self.error(500, "UNKNOWN")
            if fault == "429":
                self.record(429, fault)
                return self.error(429, "TOOMANYREQUESTS", [("Retry-After", args.retry_after)])
            if fault == "drop":
                self.record(0, fault)
                return self.drop()
            if fault == "slow":
                time.sleep(args.slow_seconds)
            status, headers, data = self.forward(body)
            if fault == "drop-after":
                self.record(0, fault)
                return self.drop()
            self.record(status, fault or "none")
            self.answer(status, headers, data)

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    lifetime.write_port(args.port_file, server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

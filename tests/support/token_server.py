#!/usr/bin/env python3
"""A Bearer token server for the push engine's tests, standing in for Docker Hub's auth service
(the registry token spec: https://distribution.github.io/distribution/spec/auth/token/).

Listens on 127.0.0.1 only. GET /token?service=S&scope=... with Basic credentials (or none, for
an anonymous token that grants nothing), or POST /token with an OAuth2 refresh_token grant,
answers {"token", "access_token", "expires_in"} with an RS256 JWT that docker-registry 2.8
accepts: the signing certificate travels in the x5c header and must be the registry's
rootcertbundle. Signing uses the `openssl` command (Python's stdlib has no RSA).

  --users FILE            lines "user:password"
  --refresh-tokens FILE   lines "refresh-token:user" (identity tokens)
  --tokens-log FILE       every token issued, one a line, so tests can look for leaks
  --first-token-pull-only the first token for each scope grants pull only (tests renewal on 401)
"""

import argparse
import base64
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

import lifetime


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def cert_der_b64(path):
    lines = open(path).read().splitlines()
    body = "".join(l for l in lines if l and not l.startswith("-----"))
    return base64.b64encode(base64.b64decode(body)).decode()


def read_pairs(path):
    out = {}
    if path:
        for line in open(path).read().splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                out[k] = v
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--users", default="")
    p.add_argument("--refresh-tokens", default="")
    p.add_argument("--tokens-log", default=os.devnull)
    p.add_argument("--log", default=os.devnull)
    p.add_argument("--port-file", required=True)
    p.add_argument("--first-token-pull-only", action="store_true")
    p.add_argument("--max-seconds", type=float, default=600)
    args = p.parse_args()
    lifetime.stop_with_parent(args.max_seconds)

    users = read_pairs(args.users)
    refresh = read_pairs(args.refresh_tokens)
    x5c = cert_der_b64(args.cert)
    lock = threading.Lock()
    seen_scopes = set()
    counter = [0]
    tokens_log = open(args.tokens_log, "a", buffering=1)
    log = open(args.log, "a", buffering=1)

    def sign(user, scopes):
        now = int(time.time())
        access = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) < 3 or parts[0] != "repository" or user is None:
                continue
            name, actions = ":".join(parts[1:-1]), parts[-1].split(",")
            key = (user, scope)
            with lock:
                first = key not in seen_scopes
                seen_scopes.add(key)
                counter[0] += 1
                jti = f"t{counter[0]}-{now}"
            if args.first_token_pull_only and first:
                actions = [a for a in actions if a == "pull"]
            access.append({"type": "repository", "name": name, "actions": actions})
        if not access:
            with lock:
                counter[0] += 1
                jti = f"t{counter[0]}-{now}"
        header = {"typ": "JWT", "alg": "RS256", "x5c": [x5c]}
        claims = {"iss": args.issuer, "sub": user or "", "aud": args.service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": jti, "access": access}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode()))
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", args.key],
                             input=signing_input.encode(), capture_output=True, check=True).stdout
        token = signing_input + "." + b64url(sig)
        tokens_log.write(token + "\n")
        return token

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, obj):
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def grant(self, user, service, scopes):
            if service != args.service:
                log.write(f"{self.command} bad-service\n")
                return self.reply(400, {"errors": [{"code": "UNSUPPORTED", "message": "service"}]})
            log.write(f"{self.command} user={'yes' if user else 'anonymous'} "
                      f"scopes={' '.join(scopes)}\n")
            token = sign(user, scopes)
            self.reply(200, {"token": token, "access_token": token, "expires_in": 300})

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(url.query)
            user = None
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                try:
                    name, password = base64.b64decode(auth[6:]).decode().split(":", 1)
                except Exception:
                    name, password = "", None
                if users.get(name) != password:
                    log.write("GET refused\n")
                    return self.reply(401, {"errors": [{"code": "UNAUTHORIZED",
                                                        "message": "bad credentials"}]})
                user = name
            self.grant(user, q.get("service", [""])[0], q.get("scope", []))

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(n).decode())
            grant = form.get("grant_type", [""])[0]
            user = None
            if grant == "refresh_token":
                user = refresh.get(form.get("refresh_token", [""])[0])
            elif grant == "password":
                name = form.get("username", [""])[0]
                if users.get(name) == form.get("password", [None])[0]:
                    user = name
            if user is None:
                log.write("POST refused\n")
                return self.reply(401, {"errors": [{"code": "UNAUTHORIZED",
                                                    "message": "bad credentials"}]})
            scopes = " ".join(form.get("scope", [])).split()
            self.grant(user, form.get("service", [""])[0], scopes)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    lifetime.write_port(args.port_file, server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""mockoauth.py - a mock OAuth2 authorization server for the tests.

HTTPS on 127.0.0.1 (a port of the system's choice, written to
DIR/port), with the test CA's certificate; Python 3 standard library
only.  Endpoints:

  POST /token      grant_type refresh_token, authorization_code (PKCE
                   S256 checked) or urn:ietf:params:oauth:grant-type:
                   device_code (RFC 6749 5, RFC 7636 4.6, RFC 8628 3.4)
  POST /device     the device authorization request (RFC 8628 3.1)
  GET  /authorize  the user consents at once: 302 to redirect_uri with
                   code and state (RFC 6749 4.1.2)
  POST /activate   the user enters user_code (the test acting as user)

Tokens are predictable for the tests: access tokens atN-SEED, refresh
tokens rtN-SEED (N counts from 1).  With --rotate every refresh issues a
new refresh token; old ones stay valid (as providers allow a grace
period).  The file DIR/mode, read at each /token request, changes the
answer: "invalid_grant", "500", "slow SECONDS", or "ok".  Every request
is logged to DIR/requests ("POST /token refresh_token").
"""
import argparse
import base64
import hashlib
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
STATE = {"at": 0, "rt": 0, "refresh": set(), "codes": {}, "devices": {}}


def new_access():
    STATE["at"] += 1
    return "at%d-%s" % (STATE["at"], ARGS.seed)


def new_refresh():
    STATE["rt"] += 1
    rt = "rt%d-%s" % (STATE["rt"], ARGS.seed)
    STATE["refresh"].add(rt)
    return rt


def mode():
    try:
        with open(os.path.join(ARGS.dir, "mode")) as f:
            return f.read().split()
    except OSError:
        return ["ok"]


def log(line):
    with LOCK, open(os.path.join(ARGS.dir, "requests"), "a") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, obj, headers=()):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def form(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n).decode()
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}

    def client_ok(self, f):
        if f.get("client_id") != ARGS.client_id:
            return False
        return ARGS.client_secret is None or \
            f.get("client_secret") == ARGS.client_secret

    def tokens(self, refresh=True):
        out = {"access_token": new_access(), "token_type": "Bearer",
               "expires_in": ARGS.expires_in}
        if refresh:
            out["refresh_token"] = new_refresh()
        return out

    def do_POST(self):
        path = self.path.split("?")[0]
        f = self.form()
        log("POST %s %s" % (path, f.get("grant_type", "")))
        if path == "/device":
            return self.device(f)
        if path == "/activate":
            with LOCK:
                for d in STATE["devices"].values():
                    if d["user_code"] == f.get("user_code"):
                        d["ok"] = True
                        return self.send(200, {"ok": True})
            return self.send(404, {"error": "no such code"})
        if path != "/token":
            return self.send(404, {"error": "not_found"})
        m = mode()
        if m[0] == "slow":
            time.sleep(float(m[1]))
        if m[0] == "500":
            return self.send(503, {"error": "temporarily_unavailable"})
        if not self.client_ok(f):
            return self.send(401, {"error": "invalid_client"})
        with LOCK:
            return self.token(f, m)

    def token(self, f, m):
        g = f.get("grant_type")
        if g == "refresh_token":
            if m[0] == "invalid_grant" or \
                    f.get("refresh_token") not in STATE["refresh"]:
                return self.send(400, {"error": "invalid_grant"})
            return self.send(200, self.tokens(ARGS.rotate))
        if g == "authorization_code":
            c = STATE["codes"].pop(f.get("code", ""), None)
            v = f.get("code_verifier", "").encode()
            s = base64.urlsafe_b64encode(hashlib.sha256(v).digest())
            if c is None or c["redirect"] != f.get("redirect_uri") or \
                    s.rstrip(b"=").decode() != c["challenge"]:
                return self.send(400, {"error": "invalid_grant"})
            return self.send(200, self.tokens())
        if g == "urn:ietf:params:oauth:grant-type:device_code":
            d = STATE["devices"].get(f.get("device_code", ""))
            if d is None:
                return self.send(400, {"error": "expired_token"})
            if not d["ok"]:
                return self.send(400, {"error": "authorization_pending"})
            del STATE["devices"][f["device_code"]]
            return self.send(200, self.tokens())
        return self.send(400, {"error": "unsupported_grant_type"})

    def device(self, f):
        if not self.client_ok(f):
            return self.send(401, {"error": "invalid_client"})
        with LOCK:
            n = len(STATE["devices"]) + 1
            code = "dc%d-%s" % (n, ARGS.seed)
            user = "USER-%04d" % n
            STATE["devices"][code] = {"user_code": user, "ok": False}
        port = self.server.server_address[1]
        self.send(200, {"device_code": code, "user_code": user,
                        "verification_uri":
                        "https://127.0.0.1:%d/activate" % port,
                        "expires_in": 60, "interval": 1})

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        log("GET %s" % u.path)
        if u.path != "/authorize" or q.get("client_id") != ARGS.client_id \
                or q.get("code_challenge_method") != "S256" \
                or q.get("response_type") != "code":
            return self.send(400, {"error": "invalid_request"})
        redirect = q.get("redirect_uri", "")
        if not redirect.startswith("http://127.0.0.1:"):
            return self.send(400, {"error": "invalid_request"})
        with LOCK:
            code = "code%d-%s" % (len(STATE["codes"]) + 1, ARGS.seed)
            STATE["codes"][code] = {"challenge": q.get("code_challenge"),
                                    "redirect": redirect}
        loc = redirect + "?" + urllib.parse.urlencode(
            {"code": code, "state": q.get("state", "")})
        self.send(302, {}, [("Location", loc)])


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--seed", default="s")
    p.add_argument("--client-id", default="client-1")
    p.add_argument("--client-secret")
    p.add_argument("--expires-in", type=int, default=3600)
    p.add_argument("--rotate", action="store_true")
    ARGS = p.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = os.path.join(ARGS.dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, os.path.join(ARGS.dir, "port"))
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

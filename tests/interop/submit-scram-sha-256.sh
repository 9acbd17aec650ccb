#!/bin/sh
# submit-scram-sha-256.sh - submission on STARTTLS with AUTH SCRAM-SHA-256.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"
it_auth_scenario starttls scram-sha-256

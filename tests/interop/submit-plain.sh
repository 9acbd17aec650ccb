#!/bin/sh
# submit-plain.sh - submission on STARTTLS with AUTH PLAIN.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"
it_auth_scenario starttls plain

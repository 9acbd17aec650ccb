#!/bin/sh
# submit-cram-md5.sh - submission on STARTTLS with AUTH CRAM-MD5.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"
it_auth_scenario starttls cram-md5

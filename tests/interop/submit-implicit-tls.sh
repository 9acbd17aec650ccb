#!/bin/sh
# submit-implicit-tls.sh - submission on implicit TLS (Postfix listener with
# smtpd_tls_wrappermode=yes) with AUTH PLAIN.
# Runs against a private Postfix + Dovecot on loopback: see lib.sh and
# doc/interop.md.
. "$(dirname "$0")/lib.sh"
it_auth_scenario tls plain

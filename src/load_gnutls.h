/*
 * load_gnutls.h - GnuTLS, opened on demand (load.h).  Include it after any
 * other header of GnuTLS: from here on, each function of the list is a
 * call through the table that load_gnutls() fills.
 */
#ifndef SMTPSEND_LOAD_GNUTLS_H
#define SMTPSEND_LOAD_GNUTLS_H

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include "err.h"
#include "i18n.h"

/* the functions used, in table order */
#define LOAD_GNUTLS_FUNCS(X) \
	X(gnutls_alert_send) \
	X(gnutls_alpn_get_selected_protocol) \
	X(gnutls_base64_encode2) \
	X(gnutls_bye) \
	X(gnutls_certificate_allocate_credentials) \
	X(gnutls_certificate_free_credentials) \
	X(gnutls_certificate_get_peers) \
	X(gnutls_certificate_set_pin_function) \
	X(gnutls_certificate_set_x509_crl_mem) \
	X(gnutls_certificate_set_x509_key_file) \
	X(gnutls_certificate_set_x509_key_mem) \
	X(gnutls_certificate_set_x509_system_trust) \
	X(gnutls_certificate_set_x509_trust_file) \
	X(gnutls_certificate_set_x509_trust_mem) \
	X(gnutls_certificate_verification_status_print) \
	X(gnutls_certificate_verify_peers3) \
	X(gnutls_ciphersuite_get) \
	X(gnutls_credentials_set) \
	X(gnutls_deinit) \
	X(gnutls_dh_set_prime_bits) \
	X(gnutls_error_is_fatal) \
	X(gnutls_fingerprint) \
	X(gnutls_free) \
	X(gnutls_global_init) \
	X(gnutls_handshake) \
	X(gnutls_handshake_set_timeout) \
	X(gnutls_hash_fast) \
	X(gnutls_init) \
	X(gnutls_ocsp_status_request_enable_client) \
	X(gnutls_ocsp_status_request_get) \
	X(gnutls_ocsp_status_request_is_checked) \
	X(gnutls_priority_deinit) \
	X(gnutls_priority_init) \
	X(gnutls_priority_set_direct) \
	X(gnutls_protocol_get_name) \
	X(gnutls_protocol_get_version) \
	X(gnutls_record_check_pending) \
	X(gnutls_record_cork) \
	X(gnutls_record_get_direction) \
	X(gnutls_record_recv) \
	X(gnutls_record_send) \
	X(gnutls_record_uncork) \
	X(gnutls_rnd) \
	X(gnutls_server_name_set) \
	X(gnutls_session_channel_binding) \
	X(gnutls_session_get_desc) \
	X(gnutls_session_get_ptr) \
	X(gnutls_session_set_ptr) \
	X(gnutls_session_set_verify_function) \
	X(gnutls_strerror) \
	X(gnutls_transport_set_errno) \
	X(gnutls_transport_set_ptr2) \
	X(gnutls_transport_set_pull_function) \
	X(gnutls_transport_set_pull_timeout_function) \
	X(gnutls_x509_crt_check_issuer) \
	X(gnutls_x509_crt_deinit) \
	X(gnutls_x509_crt_get_activation_time) \
	X(gnutls_x509_crt_get_dn) \
	X(gnutls_x509_crt_get_dn_by_oid) \
	X(gnutls_x509_crt_get_expiration_time) \
	X(gnutls_x509_crt_get_issuer_dn) \
	X(gnutls_x509_crt_get_raw_issuer_dn) \
	X(gnutls_x509_crt_get_subject_alt_name) \
	X(gnutls_x509_crt_import) \
	X(gnutls_x509_crt_init)

#define LOAD_GNUTLS_FIELD(f) __typeof__(f) *f;
struct load_gnutls_fn {
	LOAD_GNUTLS_FUNCS(LOAD_GNUTLS_FIELD)
};
#undef LOAD_GNUTLS_FIELD
extern struct load_gnutls_fn load_gnutls_fn;

/* LOAD_GNUTLS_FN - a function of the table, as the callee of a call */
#define LOAD_GNUTLS_FN(f) (*load_gnutls_fn.f)

/*
 * load_gnutls - open GnuTLS (once) and fill load_gnutls_fn.  Returns 0, or -1
 * with err (ERR_OSERR, temporary) naming the library and why.
 */
int load_gnutls(struct err *err);

/* load_gnutls_mapped - whether this run has loaded GnuTLS. */
bool load_gnutls_mapped(void);

#ifndef LOAD_GNUTLS_NO_MAP
#define gnutls_alert_send LOAD_GNUTLS_FN(gnutls_alert_send)
#define gnutls_alpn_get_selected_protocol \
	LOAD_GNUTLS_FN(gnutls_alpn_get_selected_protocol)
#define gnutls_base64_encode2 LOAD_GNUTLS_FN(gnutls_base64_encode2)
#define gnutls_bye LOAD_GNUTLS_FN(gnutls_bye)
#define gnutls_certificate_allocate_credentials \
	LOAD_GNUTLS_FN(gnutls_certificate_allocate_credentials)
#define gnutls_certificate_free_credentials \
	LOAD_GNUTLS_FN(gnutls_certificate_free_credentials)
#define gnutls_certificate_get_peers \
	LOAD_GNUTLS_FN(gnutls_certificate_get_peers)
#define gnutls_certificate_set_pin_function \
	LOAD_GNUTLS_FN(gnutls_certificate_set_pin_function)
#define gnutls_certificate_set_x509_crl_mem \
	LOAD_GNUTLS_FN(gnutls_certificate_set_x509_crl_mem)
#define gnutls_certificate_set_x509_key_file \
	LOAD_GNUTLS_FN(gnutls_certificate_set_x509_key_file)
#define gnutls_certificate_set_x509_key_mem \
	LOAD_GNUTLS_FN(gnutls_certificate_set_x509_key_mem)
#define gnutls_certificate_set_x509_system_trust \
	LOAD_GNUTLS_FN(gnutls_certificate_set_x509_system_trust)
#define gnutls_certificate_set_x509_trust_file \
	LOAD_GNUTLS_FN(gnutls_certificate_set_x509_trust_file)
#define gnutls_certificate_set_x509_trust_mem \
	LOAD_GNUTLS_FN(gnutls_certificate_set_x509_trust_mem)
/* GnuTLS translates these texts: the locale first (i18n.h) */
#define gnutls_certificate_verification_status_print(...) \
	(i18n_init(), LOAD_GNUTLS_FN( \
		gnutls_certificate_verification_status_print)(__VA_ARGS__))
#define gnutls_certificate_verify_peers3 \
	LOAD_GNUTLS_FN(gnutls_certificate_verify_peers3)
#define gnutls_ciphersuite_get LOAD_GNUTLS_FN(gnutls_ciphersuite_get)
#define gnutls_credentials_set LOAD_GNUTLS_FN(gnutls_credentials_set)
#define gnutls_deinit LOAD_GNUTLS_FN(gnutls_deinit)
#define gnutls_dh_set_prime_bits LOAD_GNUTLS_FN(gnutls_dh_set_prime_bits)
#define gnutls_error_is_fatal LOAD_GNUTLS_FN(gnutls_error_is_fatal)
#define gnutls_fingerprint LOAD_GNUTLS_FN(gnutls_fingerprint)
#undef gnutls_free
#define gnutls_free(a) \
	(LOAD_GNUTLS_FN(gnutls_free)((void *)(a)), (a) = NULL)
#define gnutls_global_init LOAD_GNUTLS_FN(gnutls_global_init)
#define gnutls_handshake LOAD_GNUTLS_FN(gnutls_handshake)
#define gnutls_handshake_set_timeout \
	LOAD_GNUTLS_FN(gnutls_handshake_set_timeout)
#define gnutls_hash_fast LOAD_GNUTLS_FN(gnutls_hash_fast)
#define gnutls_init LOAD_GNUTLS_FN(gnutls_init)
#define gnutls_ocsp_status_request_enable_client \
	LOAD_GNUTLS_FN(gnutls_ocsp_status_request_enable_client)
#define gnutls_ocsp_status_request_get \
	LOAD_GNUTLS_FN(gnutls_ocsp_status_request_get)
#define gnutls_ocsp_status_request_is_checked \
	LOAD_GNUTLS_FN(gnutls_ocsp_status_request_is_checked)
#define gnutls_priority_deinit LOAD_GNUTLS_FN(gnutls_priority_deinit)
#define gnutls_priority_init LOAD_GNUTLS_FN(gnutls_priority_init)
#define gnutls_priority_set_direct LOAD_GNUTLS_FN(gnutls_priority_set_direct)
#define gnutls_protocol_get_name LOAD_GNUTLS_FN(gnutls_protocol_get_name)
#define gnutls_protocol_get_version LOAD_GNUTLS_FN(gnutls_protocol_get_version)
#define gnutls_record_check_pending LOAD_GNUTLS_FN(gnutls_record_check_pending)
#define gnutls_record_cork LOAD_GNUTLS_FN(gnutls_record_cork)
#define gnutls_record_get_direction LOAD_GNUTLS_FN(gnutls_record_get_direction)
#define gnutls_record_recv LOAD_GNUTLS_FN(gnutls_record_recv)
#define gnutls_record_send LOAD_GNUTLS_FN(gnutls_record_send)
#define gnutls_record_uncork LOAD_GNUTLS_FN(gnutls_record_uncork)
#define gnutls_rnd LOAD_GNUTLS_FN(gnutls_rnd)
#define gnutls_server_name_set LOAD_GNUTLS_FN(gnutls_server_name_set)
#define gnutls_session_channel_binding \
	LOAD_GNUTLS_FN(gnutls_session_channel_binding)
#define gnutls_session_get_desc LOAD_GNUTLS_FN(gnutls_session_get_desc)
#define gnutls_session_get_ptr LOAD_GNUTLS_FN(gnutls_session_get_ptr)
#define gnutls_session_set_ptr LOAD_GNUTLS_FN(gnutls_session_set_ptr)
#define gnutls_session_set_verify_function \
	LOAD_GNUTLS_FN(gnutls_session_set_verify_function)
#define gnutls_strerror(e) (i18n_init(), LOAD_GNUTLS_FN(gnutls_strerror)(e))
#define gnutls_transport_set_errno LOAD_GNUTLS_FN(gnutls_transport_set_errno)
#define gnutls_transport_set_ptr2 LOAD_GNUTLS_FN(gnutls_transport_set_ptr2)
#define gnutls_transport_set_pull_function \
	LOAD_GNUTLS_FN(gnutls_transport_set_pull_function)
#define gnutls_transport_set_pull_timeout_function \
	LOAD_GNUTLS_FN(gnutls_transport_set_pull_timeout_function)
#define gnutls_x509_crt_check_issuer \
	LOAD_GNUTLS_FN(gnutls_x509_crt_check_issuer)
#define gnutls_x509_crt_deinit LOAD_GNUTLS_FN(gnutls_x509_crt_deinit)
#define gnutls_x509_crt_get_activation_time \
	LOAD_GNUTLS_FN(gnutls_x509_crt_get_activation_time)
#define gnutls_x509_crt_get_dn LOAD_GNUTLS_FN(gnutls_x509_crt_get_dn)
#define gnutls_x509_crt_get_dn_by_oid \
	LOAD_GNUTLS_FN(gnutls_x509_crt_get_dn_by_oid)
#define gnutls_x509_crt_get_expiration_time \
	LOAD_GNUTLS_FN(gnutls_x509_crt_get_expiration_time)
#define gnutls_x509_crt_get_issuer_dn \
	LOAD_GNUTLS_FN(gnutls_x509_crt_get_issuer_dn)
#define gnutls_x509_crt_get_raw_issuer_dn \
	LOAD_GNUTLS_FN(gnutls_x509_crt_get_raw_issuer_dn)
#define gnutls_x509_crt_get_subject_alt_name \
	LOAD_GNUTLS_FN(gnutls_x509_crt_get_subject_alt_name)
#define gnutls_x509_crt_import LOAD_GNUTLS_FN(gnutls_x509_crt_import)
#define gnutls_x509_crt_init LOAD_GNUTLS_FN(gnutls_x509_crt_init)
#endif

#endif

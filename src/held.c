/*
 * held.c - queue entries held for a configuration problem (see held.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gettext.h"
#include "held.h"
#include "log.h"
#include "xalloc.h"

/* stamp - what identifies the content of the file path now: its inode,
 * size and modification time ("none" without a file). */
static void
stamp(const char *path, char *out, size_t n)
{
	struct stat st;

	if (path == NULL || stat(path, &st) < 0)
		snprintf(out, n, "none");
	else
		snprintf(out, n, "%llu.%lld.%lld.%09ld",
			 (unsigned long long)st.st_ino, (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

void
held_mark(struct queue_entry *qe, const struct err *why)
{
	char s[128];

	held_clear(qe);
	stamp(qe->config, s, sizeof(s));
	qe->hold = true;
	qe->hold_reason = xstrdup(why->text);
	qe->hold_config = xstrdup(s);
}

void
held_clear(struct queue_entry *qe)
{
	qe->hold = false;
	free(qe->hold_reason);
	free(qe->hold_config);
	qe->hold_reason = qe->hold_config = NULL;
}

bool
held_config_changed(const struct queue_entry *qe)
{
	char s[128];

	if (!qe->hold || qe->hold_reason == NULL || qe->hold_config == NULL
	    || qe->config == NULL)
		return false;
	stamp(qe->config, s, sizeof(s));
	return strcmp(s, qe->hold_config) != 0;
}

/* hint - what to look at for why. */
static const char *
hint(const struct err *why)
{
	switch (why->cls) {
	case ERR_TLS:
		return _("check tls_trust_file or tls_fingerprint (or the "
			 "server's certificate)");
	case ERR_AUTH:
		return _("check user, password or passwordeval");
	case ERR_NET:
		return _("check the host name (host)");
	default:
		return _("check the account");
	}
}

void
held_tell(const char *id, const struct err *why)
{
	log_notice(_("%s: held: configuration problem: %s; %s, then run "
		     "\"smtpsend --queue-release=%s\" (the next flush sends "
		     "it)"), id, why->text, hint(why), id);
}

bool
held_person(void)
{
	return isatty(STDIN_FILENO) || isatty(STDERR_FILENO);
}

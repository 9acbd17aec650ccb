/*
 * profile.h - the account a run sends through.
 *
 * An account is built in layers (account.h): the built-in defaults, then
 * the account chosen from the configuration, then the command line.  The
 * choice: -a NAME; else the first account whose "from" matches the
 * envelope sender (pattern_matches); else the default account.  The
 * configuration is -C FILE alone, or the system file
 * ($(sysconfdir)/smtpsendrc) and then the user's ($XDG_CONFIG_HOME/
 * smtpsend/config, ~/.config/smtpsend/config or ~/.smtpsendrc), whose
 * accounts replace the system's of the same name.  With --host, the
 * command line alone.
 *
 * A queued message is sent again through the account it was queued for:
 * that account of the file its entry names, or, for a message sent with
 * --host, the settings its entry keeps (profile_keep) - never a password
 * or a command, which the flush takes from its own command line or from
 * ~/.netrc.
 */
#ifndef SMTPSEND_PROFILE_H
#define SMTPSEND_PROFILE_H

#include <stdbool.h>
#include "account.h"
#include "err.h"
#include "queue.h"

/* What the command line says about the choice. */
struct profile_req {
	const char *config;             /* -C FILE, or NULL */
	const char *account;            /* -a NAME, or NULL */
	const struct account *over;     /* the command-line layer */
	bool host_given;                /* --host: no configuration */
	bool lenient;                   /* no configuration file, or no
					   default account, is no error: the
					   defaults and the command line
					   (the queue commands) */
};

/*
 * profile_cli - profile_load for the command line cli (lenient for the
 * queue commands); a failure is reported on standard error, and NULL
 * returned.
 */
struct cli;
struct account *profile_cli(const struct cli *cli, bool lenient,
			    const char *sender, char **config);

/* profile_user_file - the user's own configuration file (the first of
 * the paths above that exists), allocated, or NULL. */
char *profile_user_file(void);

/* profile_get - the same, with the failure in err (ERR_CONFIG) and
 * nothing said. */
struct account *profile_get(const struct cli *cli, bool lenient,
			    const char *sender, char **config,
			    struct err *err);

/*
 * profile_for_entry - the account to send the queued entry qe through:
 * its Account from its Config (an absolute path, read under the usual
 * rules; system configuration too when r->config is NULL), or the
 * defaults with its kept Setting lines; r->over on top.  Returns the
 * checked account, or NULL with err (ERR_CONFIG).
 */
struct account *profile_for_entry(const struct profile_req *r,
				  const struct queue_entry *qe,
				  struct err *err);

/*
 * profile_keep - the command-line settings worth keeping with an entry
 * sent without an account (how to reach the server), appended to qe's
 * Setting lines.
 */
void profile_keep(const struct account *over, struct queue_entry *qe);

#endif

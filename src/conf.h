/*
 * conf.h - the configuration file parser (pure apart from reading the file).
 *
 * The syntax is msmtp's, so an existing msmtprc works unchanged: one
 * directive per line, "directive [argument]"; empty lines and lines whose
 * first non-blank character is "#" are ignored; the argument may be enclosed
 * in double quotes, inside which \" and \\ stand for " and \.  "defaults"
 * starts settings inherited by every later account; "account NAME" starts an
 * account, "account NAME : PARENT[, PARENT...]" one that inherits the named
 * accounts; "account default : NAME" makes NAME the default.  Every error
 * names the file and line.
 */
#ifndef SMTPSEND_CONF_H
#define SMTPSEND_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include "account.h"
#include "err.h"

/* A config line may be long (OAuth tokens), but not without end. */
#define CONF_LINE_MAX 65536

struct conf {
	char *path;                     /* the file read */
	struct account **accounts;      /* in file order, owned */
	size_t n;
	char *default_name;             /* from "account default : NAME" */
	bool has_password;              /* a "password" directive was seen */
};

/* conf_init / conf_clear - an empty configuration; free everything. */
void conf_init(struct conf *c);
void conf_clear(struct conf *c);

/*
 * conf_parse - parse the text of a config file (len bytes) named path into
 * *c (which must be empty).  Returns 0, or -1 with err (ERR_CONFIG,
 * "path:line: ...").
 */
int conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	       struct err *err);

/*
 * conf_load - read the file path and conf_parse it.  A file that holds a
 * password must belong to the user and be private (mode 0600 or less).
 * Returns 0, or -1 with err (ERR_CONFIG), for the content, the permissions
 * or a file that cannot be read.
 */
int conf_load(struct conf *c, const char *path, struct err *err);

/* conf_find - the account called name, or NULL. */
const struct account *conf_find(const struct conf *c, const char *name);

/*
 * conf_default - the account called "default" (which "account default :
 * NAME" defines as inheriting NAME), or NULL.
 */
const struct account *conf_default(const struct conf *c);

#endif

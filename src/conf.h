/*
 * conf.h - the configuration file parser.
 *
 * The syntax is msmtp's, so an existing msmtprc works unchanged: one
 * directive per line, "directive [argument]"; empty lines and lines whose
 * first non-blank character is "#" are ignored; the argument may be enclosed
 * in double quotes, inside which \" and \\ stand for " and \.  Lines may be
 * of any length (OAuth tokens, long passwordeval commands); only the file
 * size is bounded (CONF_FILE_MAX).  "defaults" starts settings inherited by
 * every later account; "account NAME" starts an account, "account NAME :
 * PARENT[, PARENT...]" one that inherits the named accounts; "account
 * default : NAME" makes NAME the default.  Every error names the file and
 * line.
 *
 * "eval COMMAND" (msmtp): the line is replaced by the first line of the
 * output of COMMAND (run with /bin/sh -c, standard input /dev/null), which
 * is then parsed in its place; it may be any directive but another eval.
 * A command that fails (non-zero exit) is an error.  The runner is
 * struct conf's eval hook, so tests can substitute their own.
 *
 * "include PATH" (ours; msmtp has none): read the file PATH, or, when PATH
 * is a directory, its regular files whose names end in ".conf" (not those
 * starting with "."), in strcmp order.  A relative PATH is relative to the
 * directory of the including file; "~/" stands for $HOME.  Includes nest up
 * to CONF_INCLUDE_DEPTH deep.  The included file starts in the same state
 * as the top of a file, i.e. in no section (settings before its first
 * "defaults" or "account" line go to the defaults), whatever section the
 * include line is in; it may define accounts and defaults.  Its accounts
 * are accounts of the including configuration (names must be unique over
 * all files, and later accounts may inherit them), and its "defaults"
 * settings apply to every account defined after them, in any file.  After
 * the include line, the including file goes on in the section it was in.
 * Errors name the included file and its line.
 */
#ifndef SMTPSEND_CONF_H
#define SMTPSEND_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include "account.h"
#include "buf.h"
#include "err.h"

/* A config file, its includes each counted alone, may be large, but not
 * without end. */
#define CONF_FILE_MAX (16 * 1024 * 1024)

/* What is read of the output of an eval command: its first line must end
 * within this many bytes. */
#define CONF_EVAL_MAX 65536

/* How deep includes nest (the main file is depth 0); this also ends
 * include loops. */
#define CONF_INCLUDE_DEPTH 8

/*
 * An eval runner: run cmd and put the first line of its output, without
 * the newline, into out (empty, bounded by CONF_EVAL_MAX).  Returns 0, or
 * -1 with err (ERR_CONFIG), whose text says what went wrong with the
 * command (e.g. "command failed (exit status 1): CMD"); the parser puts
 * "path:LINE: eval: " before it.
 */
typedef int conf_eval_fn(const char *cmd, struct buf *out, void *arg,
			 struct err *err);

struct conf {
	char *path;                     /* the (main) file read; see
					 * conf_load_files */
	struct account **accounts;      /* in file order, owned */
	size_t n;
	char *default_name;             /* from "account default : NAME" */
	bool has_password;              /* a "password" was seen, any file */
	conf_eval_fn *eval;             /* runs eval commands */
	void *eval_arg;                 /* passed to eval */
};

/*
 * conf_init - an empty configuration whose eval hook is the real runner
 * (conf_eval_command).
 * conf_clear - free everything: c is empty again, its eval hook is kept.
 */
/* conf_directive_name - the i-th directive of the file itself
 * ("defaults", "account", "eval", "include", and msmtp's directives
 * accepted with no effect; every other directive is a setting, see
 * account_field_name), NULL past the last. */
const char *conf_directive_name(size_t i);

void conf_init(struct conf *c);
void conf_clear(struct conf *c);

/*
 * conf_eval_command - the real eval runner (a conf_eval_fn, arg unused):
 * cmd_first_line (cmd.h) with at most CONF_EVAL_MAX bytes of output and
 * its time limit.  Errors (ERR_CONFIG) say what happened to the command
 * ("command failed (exit status N)"), never what the command was.
 */
int conf_eval_command(const char *cmd, struct buf *out, void *arg,
		      struct err *err);

/*
 * conf_parse - parse the text of a config file (len bytes) named path into
 * *c (which must be empty).  It does no I/O of its own apart from what
 * the text asks for: eval lines go through c->eval, include lines read
 * files (relative to path's directory).  Included files holding a password
 * get conf_load's check.  Returns 0, or -1 with err (ERR_CONFIG,
 * "path:line: ...", path being the file where the problem is).
 */
int conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	       struct err *err);

/*
 * conf_load - read the file path (at most CONF_FILE_MAX bytes) and parse it
 * as conf_parse does.  A file (this one or an included one) that holds a
 * password must belong to the user and be private (no group or other
 * permissions).  Returns 0, or -1 with err (ERR_CONFIG), for the content,
 * the permissions or a file that cannot be read.
 */
int conf_load(struct conf *c, const char *path, struct err *err);

/*
 * conf_check_trusted - whether the file (or directory) path, of status st,
 * may be trusted: it belongs to this user or to root and nobody else may
 * write it.  Configuration files, included ones and the aliases file are
 * read only then.  Returns 0, or -1 with err (ERR_CONFIG, the fix).
 */
struct stat;
int conf_check_trusted(const struct stat *st, const char *path,
		       struct err *err);

/*
 * conf_load_files - the system file, then the user file, as msmtp reads
 * them; either path may be NULL (not read), e.g. the user file only for
 * "-C FILE".  A system file that does not exist or that the user may not
 * read is skipped; a user file that does not exist is skipped.  Each file
 * is parsed alone (with its own defaults; a user account cannot inherit a
 * system account); then an account of the user file replaces the system
 * account of the same name (so does "account default"), and the others are
 * added after the system's.  A file holding a password has conf_load's
 * check, except that files of the system configuration may also belong to
 * root.  c->path is the user file if it was read, else the system file if
 * it was, else NULL (neither exists: no accounts, not an error).  c must be
 * empty; its eval hook is used for both files.  Returns 0, or -1 with err
 * (ERR_CONFIG) as conf_load.
 */
int conf_load_files(struct conf *c, const char *system_path,
		    const char *user_path, struct err *err);

/* conf_find - the account called name, or NULL. */
const struct account *conf_find(const struct conf *c, const char *name);

/*
 * conf_default - the account called "default" (which "account default :
 * NAME" defines as inheriting NAME), or NULL.
 */
const struct account *conf_default(const struct conf *c);

#endif

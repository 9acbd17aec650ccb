/*
 * queue.h - the durable local queue (doc/queue-format.md is normative).
 *
 * A queue directory holds tmp/, msg/ and failed/.  An entry is two files in
 * msg/: ID.eml, the message exactly as it is sent, and ID.env, a versioned
 * text file of "Key: value" lines (the account, times, attempts, the sender
 * and each recipient with its state and last reply).  The rename of ID.env
 * into msg/ is the commit point; every later change rewrites ID.env through
 * tmp/ and a rename, so an entry is always either the old or the new one.
 * A flush locks ID.eml (flock, LOCK_NB): two flushes never send the same
 * entry.  Unknown keys are ignored; an entry of a newer version is left
 * alone.
 */
#ifndef SMTPSEND_QUEUE_H
#define SMTPSEND_QUEUE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "envelope.h"
#include "err.h"

#define QUEUE_VERSION 1
#define QUEUE_ID_MAX 64

struct queue {
	char *dir;              /* the queue directory (for messages) */
	int dirfd;              /* open on dir */
	int tmpfd;              /* open on dir/tmp */
	int msgfd;              /* open on dir/msg */
	int failedfd;           /* open on dir/failed */
	bool defer_sync;        /* group commit: msg/ is synced by
				   queue_sync, not by each change */
	bool dirty;             /* msg/ changed since it was last synced */
};

struct queue_entry {
	char id[QUEUE_ID_MAX];
	int version;
	char *account;          /* account name, or NULL (--host settings) */
	char *config;           /* the config file it came from, or NULL */
	char **settings;        /* "directive value" lines for --host mode */
	size_t nsettings;
	time_t created;
	time_t last_attempt;
	time_t next_attempt;
	unsigned attempts;
	off_t size;
	bool has8bit;
	bool hold;
	char *hold_reason;      /* held for a configuration problem: why */
	char *hold_config;      /* and the stamp of its Config then (a
				   flush retries it once the file changed) */
	struct envelope env;    /* sender and recipients with their states */
};

/*
 * queue_open - open (creating, mode 0700) the queue at dir with its tmp/,
 * msg/ and failed/.  Each of the four must be a directory (not a
 * symbolic link) of the effective user that nobody else may write.
 * Returns 0, or -1 with err (ERR_IO) naming the directory and the fix.
 */
int queue_open(struct queue *q, const char *dir, struct err *err);

/* queue_close - release q. */
void queue_close(struct queue *q);

/* queue_default_dir - $XDG_STATE_HOME/smtpsend/queue, else
 * ~/.local/state/smtpsend/queue (allocated), or NULL without a home. */
char *queue_default_dir(void);

/*
 * queue_new - queue_open on dir (NULL: queue_default_dir), allocated.
 * Returns the queue (queue_free it), or NULL with err (ERR_IO).
 * queue_free - queue_close and free; q may be NULL.
 */
struct queue *queue_new(const char *dir, struct err *err);
void queue_free(struct queue *q);

/* queue_new_id - a fresh entry id "<epoch>.<pid>.<random>" into id. */
void queue_new_id(char *id, size_t n);

/* queue_entry_init / queue_entry_clear - an empty entry; free one. */
void queue_entry_init(struct queue_entry *qe);
void queue_entry_clear(struct queue_entry *qe);

/*
 * queue_format - the ID.env text of qe, appended to out: every recipient
 * with its state (deferred, delivered or failed).  A value that would
 * break the format (a CR or LF anywhere, a TAB in a Recipient field
 * before the text, an empty address) is refused: -1 with err (ERR_DATA;
 * ERR_IO when out is full).  Reply texts are made printable.
 */
struct buf;
int queue_format(const struct queue_entry *qe, struct buf *out,
		 struct err *err);

/*
 * queue_parse - read the ID.env text (len bytes) into qe (initialised).
 * Returns 0, or -1 with err (ERR_DATA): a NUL byte; no or unknown Version
 * (a newer one says so); a line that is not "Key: value"; a malformed
 * value of a known key; a second line of a key that may appear once; no
 * recipient.  Unknown keys are ignored.
 */
int queue_parse(struct queue_entry *qe, const char *text, size_t len,
		struct err *err);

/*
 * queue_spool_create - a new entry id into id (size n) and its spool file
 * msg/ID.eml (no entry while there is no ID.env), created and locked; it
 * is removed if smtpsend is killed (sig.h) until queue_commit or
 * queue_spool_discard.  Returns the descriptor (read-write), or -1 with
 * err (ERR_IO).
 */
int queue_spool_create(struct queue *q, char *id, size_t n, struct err *err);

/* queue_spool_discard - remove the spool file of id (not committed). */
void queue_spool_discard(struct queue *q, const char *id);

/*
 * queue_commit - make the spool file msg/ID.eml (open as fd, already
 * written, still locked) and qe an entry: fsync the message and set its
 * time to now; write ID.env through tmp/ with fsync and rename it into
 * msg/ (the commit point); put log (may be NULL or empty) as ID.log, not
 * synced; fsync msg/.  Three fsyncs, two renames.  Returns 0, or -1 with
 * err; on failure no entry exists and msg/ID.eml is left to the caller
 * (queue_spool_discard).
 */
int queue_commit(struct queue *q, int fd, const struct queue_entry *qe,
		 const struct buf *log, struct err *err);

/*
 * queue_defer_sync - group commit: with on, the changes to msg/ (ID.env
 * rewritten, ID.log replaced, an entry removed) no longer fsync msg/ each;
 * queue_sync does it once for all of them.  A rewritten ID.env is still
 * synced itself before its rename, so that a crash leaves the old or the
 * new one, whole.
 * queue_sync - fsync msg/ if it changed since it was last synced.
 * Returns 0, or -1 with err (ERR_IO).
 */
void queue_defer_sync(struct queue *q, bool on);
int queue_sync(struct queue *q, struct err *err);

/* queue_write_env - replace msg/ID.env atomically with qe's state (the
 * new file synced; msg/ synced now, or at queue_sync when deferred). */
int queue_write_env(struct queue *q, const struct queue_entry *qe,
		    struct err *err);

/*
 * queue_lock - open msg/ID.eml and take its lock without waiting.
 * Returns the descriptor (hold it while working on the entry; close to
 * unlock), -2 when another process holds it, -1 with err when it is gone
 * or cannot be opened.
 */
int queue_lock(struct queue *q, const char *id, struct err *err);

/* queue_open_message - msg/ID.eml (or failed/), open for reading. */
int queue_open_message(struct queue *q, const char *id, bool failed,
		       struct err *err);

/* queue_where - whether the entry id is in msg/ (0), in failed/ (1) or
 * nowhere, or not a valid id (-1). */
int queue_where(struct queue *q, const char *id);

/* queue_load - read msg/ID.env (or failed/ID.env when failed) into qe. */
int queue_load(struct queue *q, const char *id, bool failed,
	       struct queue_entry *qe, struct err *err);

/* queue_remove - delete the entry of msg/ (or failed/): ID.env first (the
 * entry is gone), then ID.eml and ID.log; fsync the directory (msg/: at
 * queue_sync when the syncs are deferred). */
int queue_remove(struct queue *q, const char *id, bool failed,
		 struct err *err);

/* queue_move_failed - move the entry to failed/ (ID.eml first, then
 * ID.env, then ID.log). */
int queue_move_failed(struct queue *q, const char *id, struct err *err);

/* queue_write_log - keep text as msg/ID.log (the last failed attempt's
 * transcript), atomically (renamed into place) but not synced: after a
 * power cut it may be missing or empty. */
int queue_write_log(struct queue *q, const char *id, const char *text,
		    size_t len, struct err *err);

/* queue_read_file - the content of msg/ID<ext> (or failed/) into out. */
int queue_read_file(struct queue *q, const char *id, const char *ext,
		    bool failed, struct buf *out, struct err *err);

/*
 * queue_list - the ids of the entries in msg/ (or failed/), oldest first,
 * into *ids (allocated array of allocated strings).  Also removes crash
 * leftovers: tmp/ files older than a day and ID.eml files in msg/ without
 * an ID.env older than an hour, each only when no process holds it
 * locked (a spool file being written or committed is locked).  Returns
 * the count, or -1.
 */
int queue_list(struct queue *q, bool failed, char ***ids, struct err *err);

/* queue_ids_free - free what queue_list returned. */
void queue_ids_free(char **ids, int n);

/* queue_valid_id - whether id has the form of an entry id (no '/'). */
bool queue_valid_id(const char *id);

#endif

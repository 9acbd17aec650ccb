/*
 * pickup.h - the system user's side of the drop directory.
 *
 * Each file of SPOOL/drop is checked before anything in it is believed: a
 * regular file (a symbolic link, a directory, a device are refused
 * without being opened), one link only, the group of the drop directory,
 * mode 0604 (what smtpsend-drop leaves), at most DROP_HEADER_MAX +
 * DROP_MESSAGE_MAX bytes, a header drop_parse accepts, whose Uid is the
 * file's owner.  A file that fails is moved to SPOOL/refused/ under a new
 * name, with a line on standard error and in the mail log.  A good one is
 * locked (two flushes never take the same file) and sent by a child
 * "sendmail OPTIONS -- RECIPIENTS" with the message as its standard
 * input, as the system user and with the system configuration: it
 * delivers at once, or queues into the system queue.  The file is removed
 * once the child has delivered or queued it, moved aside when the child
 * finds the message or its options unusable, and kept for the next flush
 * otherwise (a configuration the child cannot use, a full disk).
 */
#ifndef SMTPSEND_PICKUP_H
#define SMTPSEND_PICKUP_H

/*
 * pickup_run - every drop file (at most PICKUP_MAX per run), then the
 * incoming/ files older than a day (a helper that was killed) removed.
 * Returns 0 (EX_OK), 75 when a file was kept for later, 78 when the
 * spool is not set up right (said on standard error).
 */
#define PICKUP_MAX 1000
int pickup_run(void);

#endif

/*
 * headers.h - the header block of a message, parsed and rewritten before
 * sending (pure: no I/O; time and randomness are passed in).
 *
 * headers_parse() splits the header block at the start of a message into
 * fields, each kept byte for byte as read (line ends made CRLF), so that a
 * block written back unchanged is the block that was read.  The rest of the
 * module works on that list: find, remove and add fields, the recipients
 * of "sendmail -t" (To/Cc/Bcc, or the topmost Resent- block), Bcc removal,
 * Date and Message-ID values, display names made into RFC 5322 phrases or
 * RFC 2047 encoded-words, and bare local names qualified with a domain.
 */
#ifndef SMTPSEND_HEADERS_H
#define SMTPSEND_HEADERS_H

#include <stddef.h>
#include <time.h>
#include "addr.h"
#include "buf.h"
#include "err.h"

/* The longest header block read: beyond this a message is refused. */
#define HEADERS_MAX (1024 * 1024)
/* RFC 5322 2.1.1: lines SHOULD be at most 78 characters; folding aims here. */
#define HEADERS_FOLD 78
/* RFC 5322 2.1.1 and RFC 5321 4.5.3.1.6: lines MUST be at most 998
 * characters (1000 with CRLF). */
#define HEADERS_LINE_MAX 998
/* RFC 2047 2: an encoded-word is at most 75 characters. */
#define HEADERS_EWORD_MAX 75
/* Room for headers_date(): "Sun, 22 Nov 2026 06:14:25 +0100" + NUL. */
#define HEADERS_DATE_MAX 40
/* Room for headers_msgid() with a domain of up to ADDR_DOMAIN_MAX bytes. */
#define HEADERS_MSGID_MAX (48 + ADDR_DOMAIN_MAX)

struct header {
	char *name;     /* the field name as written, without the colon */
	char *raw;      /* "Name: value" with its folds, CRLF line ends,
			 * including the final CRLF */
};

struct headers {
	struct header *v;       /* the fields, in message order */
	size_t n;
	size_t cap;
	size_t bytes;           /* sum of strlen(raw): the block, less the
				 * empty line that ends it */
};

/* headers_init / headers_clear - an empty list; free every field. */
void headers_init(struct headers *h);
void headers_clear(struct headers *h);

/*
 * headers_parse - append to h the fields of the header block at the start
 * of text[0..len).  Lines end in CRLF, LF or a bare CR (as in dotstuff.h).
 * A field starts with "Name:" (printable ASCII name, RFC 5322 2.2; white
 * space before the colon is allowed, RFC 5322 4.5) and goes on over the
 * lines that start with a space or a tab.  The block ends at an empty line,
 * at a line that is neither a field nor a continuation (that line is body),
 * or at the end of text.  *consumed is set to the bytes taken, including
 * the empty line when there is one: the body is text + *consumed.
 * An mbox "From " line at the very top is dropped (counted in *consumed).
 * When the first line is not a field (a body-only message, a line starting
 * with white space) there are no fields and nothing but the mbox line is
 * consumed; a first line that is empty is consumed as the end of an empty
 * block.  Returns 0, or -1 with err (ERR_DATA, h unchanged) when the block
 * has a NUL byte or does not end within the first HEADERS_MAX bytes (its
 * end not seen in a text of len >= HEADERS_MAX).
 */
int headers_parse(struct headers *h, const char *text, size_t len,
		  size_t *consumed, struct err *err);

/*
 * headers_value - the value of field idx (idx < h->n): the text after the
 * colon, unfolded (CRLF before white space removed, RFC 5322 2.2.3) and
 * trimmed of leading and trailing blanks.  Allocated; the caller frees it.
 */
char *headers_value(const struct headers *h, size_t idx);

/*
 * headers_find - the index of the first field at or after from whose name
 * is name (ASCII case-insensitive), or -1.
 */
long headers_find(const struct headers *h, const char *name, size_t from);

/* headers_remove - remove every field named name; returns how many. */
size_t headers_remove(struct headers *h, const char *name);

/*
 * headers_add - append the field "name: value" (CRLF-terminated), folded
 * before blanks so that lines stay within HEADERS_FOLD columns where the
 * value allows it.  name must be a valid field name (checked by assert).
 * Every CR or LF in value becomes a space, so that a value can never add
 * a field; an empty value gives "name:".  Copies both strings.
 */
void headers_add(struct headers *h, const char *name, const char *value);

/*
 * headers_replace - field idx (idx < h->n) becomes "Name: value", its
 * name kept and the whole folded as by headers_add().  Copies value.
 */
void headers_replace(struct headers *h, size_t idx, const char *value);

/*
 * headers_write - append the block to out: every field, then the empty
 * line "\r\n".  Returns 0, or -1 when out's maximum would be passed (out
 * unchanged).
 */
int headers_write(const struct headers *h, struct buf *out) WARN_UNUSED;

/*
 * headers_fold_long - refold (as headers_add does) every field that has a
 * line longer than HEADERS_LINE_MAX: folding at blanks changes nothing
 * a reader sees (RFC 5322 2.2.3).  Returns the index of the first field
 * that still has such a line (a word that long), or -1.
 */
long headers_fold_long(struct headers *h);

/*
 * headers_recipients - the recipients for "sendmail -t": the addresses of
 * every To, Cc and Bcc field - unless the block has Resent- fields: then
 * only those of the Resent-To, Resent-Cc and Resent-Bcc fields of the
 * topmost Resent- block (RFC 5322 3.6.6: a block is a run of adjacent
 * Resent-* fields, the most recent on top; a second Resent-Date or
 * Resent-From also starts a new block).  A Resent- block without
 * Resent-To/Cc/Bcc gives no recipients.  Appends to l (addr_list_parse);
 * returns the number appended, or -1 with err (ERR_DATA) prefixed with the
 * field name ("To: unterminated quoted string ..."), l unchanged then.
 */
int headers_recipients(const struct headers *h, struct addr_list *l,
		       struct err *err);

/*
 * headers_remove_bcc - remove the Bcc and Resent-Bcc fields (their
 * recipients stay in the envelope, RFC 5322 3.6.3); returns how many.
 */
size_t headers_remove_bcc(struct headers *h);

/*
 * headers_date - the RFC 5322 3.3 date-time of t in the zone utc_offset_min
 * minutes east of UTC, with English names whatever the locale:
 * "Sun, 22 Nov 2026 06:14:25 +0100".  An offset of a day or more gives
 * UTC as "-0000" (RFC 5322 3.3: zone unknown).  out gets "" when n is too
 * small; HEADERS_DATE_MAX is enough.
 */
void headers_date(time_t t, int utc_offset_min, char *out, size_t n);

/*
 * headers_msgid - a Message-ID "<YYYYMMDDhhmmss.R@domain>" (RFC 5322
 * 3.6.4): the UTC time of t, R the 16 lowercase hex digits of rnd.  domain
 * is a host name (dot-atom) or an address literal.  out gets "" when n is
 * too small; HEADERS_MSGID_MAX is enough for any domain of ADDR_DOMAIN_MAX.
 */
void headers_msgid(time_t t, const unsigned char rnd[8], const char *domain,
		   char *out, size_t n);

/*
 * headers_phrase - name (a display name) as an RFC 5322 3.2.5 phrase: as is
 * when it is atoms separated by single spaces; a quoted-string (with \" and
 * \\ escaped) when it has specials, other blanks or "=?"; RFC 2047
 * encoded-words "=?UTF-8?Q?...?=" or "=?UTF-8?B?...?=" (whichever is
 * shorter), each at most HEADERS_EWORD_MAX characters, split only between
 * UTF-8 characters and separated by a space, when it has bytes >= 0x80 or
 * control characters.  Bytes that are not valid UTF-8 are encoded as they
 * are.  "" gives "".  Allocated; the caller frees it.
 */
char *headers_phrase(const char *name);

/*
 * headers_qualify - in the address-list value of field idx (idx < h->n),
 * make every bare local name (no '@': "root", "Cron Daemon <root>") into
 * local@domain, keeping display names, comments and groups.  When any is
 * rewritten, the field becomes "Name: " + the rewritten value, folded as
 * by headers_add(); otherwise it is untouched.  Returns the number
 * rewritten, or -1 with err (ERR_DATA, prefixed with the field name) when
 * the value is not an address list.  domain must not be empty.
 */
int headers_qualify(struct headers *h, size_t idx, const char *domain,
		    struct err *err);

#endif

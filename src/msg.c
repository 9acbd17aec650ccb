/*
 * msg.c - spooling the message (RFC 5322 2.3 line endings; RFC 1870 size;
 * RFC 6152 8-bit detection).
 */
#include <config.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dotstuff.h"
#include "gettext.h"
#include "msg.h"
#include "util.h"
#include "xalloc.h"

void
msg_init(struct message *m)
{
	m->fd = -1;
	m->size = 0;
	m->has8bit = false;
	m->lines = 0;
	m->long_line = 0;
	m->long_len = 0;
	m->line_len = 0;
	m->direct = NULL;
}

static void reader_free(struct msg_reader *rd);

void
msg_clear(struct message *m)
{
	if (m->fd >= 0)
		close(m->fd);
	reader_free(m->direct);
	msg_init(m);
}

/*
 * The input being read: the prefix, then the descriptor.  A regular file
 * is read with pread from foff, so that it can be read again (msg_direct);
 * anything else with read (foff -1).
 */
struct spooler {
	const struct msg_input *src;
	size_t off;             /* how far into the prefix */
	off_t foff;             /* the file offset, or -1 */
	struct dotstuff ds;
	struct dotstuff_dec dec;
	unsigned long line;     /* the input line being read */
	bool end;               /* the input is all read */
	bool count_only;        /* out is not wanted, only m (msg_direct) */
	char *in;               /* MSG_BLOCK + 2 bytes */
};

/* The most bytes spool_block writes. */
#define SPOOL_OUT_MAX (DOTSTUFF_BOUND(MSG_BLOCK + 2) + DOTSTUFF_FINISH_MAX)

/* next_block - the next bytes of the input into in (at most
 * MSG_BLOCK): from the prefix first, then from the descriptor.  Returns
 * the count, 0 at the end, -1 with errno. */
static ssize_t
next_block(struct spooler *sp, char *in)
{
	const struct msg_input *src = sp->src;
	ssize_t n;

	if (sp->off < src->prefix_len) {
		size_t left = src->prefix_len - sp->off;

		n = (ssize_t)(left > MSG_BLOCK ? MSG_BLOCK : left);
		memcpy(in, src->prefix + sp->off, (size_t)n);
		sp->off += (size_t)n;
		return n;
	}
	do
		n = sp->foff < 0 ? read(src->fd, in, MSG_BLOCK)
				 : pread(src->fd, in, MSG_BLOCK, sp->foff);
	while (n < 0 && errno == EINTR);
	if (n > 0 && sp->foff >= 0)
		sp->foff += n;
	return n;
}

/* any_8bit - whether p[0..n) has a byte with the high bit set (a word
 * at a time). */
static bool
any_8bit(const char *p, size_t n)
{
	uint64_t w, acc = 0;
	size_t i = 0;

	for (; i + sizeof(w) <= n; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)p[i];
	return (acc & UINT64_C(0x8080808080808080)) != 0;
}

/* count_lf - how many LF bytes p[0..n) has (a word at a time: a byte
 * of w ^ LF is zero exactly where p has an LF). */
static unsigned long
count_lf(const char *p, size_t n)
{
	const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	const uint64_t ones = UINT64_C(0x0101010101010101);
	unsigned long c = 0;
	uint64_t w, z;
	size_t i = 0;

	for (; i + sizeof(w) <= n; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		w ^= ones * '\n';
		/* the high bit of each byte of z: that byte of w is 0 */
		z = ~(((w & low7) + low7) | w | low7);
		c += (unsigned long)(((z >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* line_end - the line that was long ends here (at a CR or LF). */
static void
line_end(struct message *m, char c, unsigned long *line)
{
	if (m->line_len > MSG_LINE_MAX && m->long_line == 0) {
		m->long_line = *line;
		m->long_len = m->line_len;
	}
	m->line_len = 0;
	if (c == '\n')
		(*line)++;
}

static void line_end(struct message *m, char c, unsigned long *line);

/*
 * scan_lf - scan for input without CR or NUL: only the LFs matter.  A
 * window that reaches as far as the current line may go (MSG_LINE_MAX)
 * and holds an LF shows that every line up to its last LF is short: they
 * are only counted.  A line that does not end within its window is long:
 * its end is looked for and noted (line_end).
 */
static void
scan_lf(struct message *m, const char *p, const char *end,
	unsigned long *line)
{
	while (p < end) {
		size_t left = (size_t)(end - p), win;
		const char *q;

		if (m->long_line == 0 && m->line_len <= MSG_LINE_MAX) {
			win = MSG_LINE_MAX - m->line_len + 1;
			if (win > left)
				win = left;
			q = memrchr(p, '\n', win);
			if (q != NULL) {
				*line += count_lf(p, (size_t)(q + 1 - p));
				m->line_len = 0;
				p = q + 1;
				continue;
			}
			if (win == left) {      /* goes on in the next block */
				m->line_len += left;
				return;
			}
		} else if (m->long_line != 0) {
			/* the first long line is known: only count */
			*line += count_lf(p, left);
			return;
		}
		q = memchr(p, '\n', left);     /* the end of a long line */
		if (q == NULL) {
			m->line_len += left;
			return;
		}
		m->line_len += (size_t)(q - p);
		line_end(m, '\n', line);
		p = q + 1;
	}
}

#if defined(__SSE2__)
/* popcount64 - the bits set in x (without the POPCNT instruction, which
 * the baseline x86-64 lacks). */
static unsigned long
popcount64(uint64_t x)
{
	x -= (x >> 1) & UINT64_C(0x5555555555555555);
	x = (x & UINT64_C(0x3333333333333333))
	    + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned long)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* lf_mask - bit i set where p[i] is an LF, for p[0..64); *bad gets the
 * bytes that are CR or NUL, *hi the bytes with the high bit. */
static uint64_t
lf_mask(const char *p, __m128i *bad, __m128i *hi)
{
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i zero = _mm_setzero_si128();
	uint64_t mask = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
		__m128i crnul = _mm_or_si128(_mm_cmpeq_epi8(v, cr),
					     _mm_cmpeq_epi8(v, zero));

		*hi = _mm_or_si128(*hi, v);
		*bad = _mm_or_si128(*bad, crnul);
		mask |= (uint64_t)(unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(v, lf)) << (16 * k);
	}
	return mask;
}

/*
 * scan_fast - scan[ p..end) in one pass, 64 bytes at a time, when the
 * input is the common kind: no CR, no NUL and no line longer than
 * MSG_LINE_MAX, with no long line seen before.  Returns false, with m and
 * *line untouched, when it is not: scan's exact reading then takes over.
 */
static bool
scan_fast(struct message *m, const char *p, const char *end,
	  unsigned long *line)
{
	__m128i bad = _mm_setzero_si128(), hi = _mm_setzero_si128();
	size_t run = m->line_len;       /* the current line's length */
	unsigned long lines = 0;
	bool high = false;

	if (m->long_line != 0 || run > MSG_LINE_MAX)
		return false;
	for (; end - p >= 64; p += 64) {
		uint64_t mask = lf_mask(p, &bad, &hi);

		if (mask == 0) {
			run += 64;
		} else {
			run += (size_t)__builtin_ctzll(mask);
			lines += popcount64(mask);
			if (run > MSG_LINE_MAX)
				return false;
			/* the bytes after the last LF */
			run = (size_t)__builtin_clzll(mask);
		}
	}
	for (; p < end; p++) {
		if (*p == '\n') {
			lines++;
			run = 0;
		} else if (*p == '\r' || *p == '\0') {
			return false;
		} else {
			high |= (unsigned char)*p >= 0x80;
			run++;
		}
		if (run > MSG_LINE_MAX)
			return false;
	}
	if (run > MSG_LINE_MAX || _mm_movemask_epi8(bad) != 0)
		return false;
	m->has8bit |= high || _mm_movemask_epi8(hi) != 0;
	m->line_len = run;
	*line += lines;
	return true;
}
#else
static bool
scan_fast(struct message *m, const char *p, const char *end,
	  unsigned long *line)
{
	(void)m, (void)p, (void)end, (void)line;
	return false;
}
#endif

/* scan - count the lines of in[0..n), refuse a NUL, note 8-bit bytes;
 * the first skip bytes are not the caller's input and are not counted.
 * Returns 1 when the bytes after skip hold no CR, 0 for other input, -1
 * with err for a NUL.
 * Runs of text are searched with memchr; nl caches the next LF so that a
 * line full of CRs is still read once. */
static int
scan(struct message *m, const char *in, size_t n, size_t skip,
     unsigned long *line, const char *name, struct err *err)
{
	const char *p = in + (skip < n ? skip : n), *end = in + n;
	const char *nl = NULL, *cr, *stop;

	if (scan_fast(m, p, end, line)) {
		if (!m->has8bit && any_8bit(in, (size_t)(p - in)))
			m->has8bit = true;      /* the bytes skipped */
		return 1;
	}
	if (!m->has8bit && any_8bit(in, n))
		m->has8bit = true;
	if (memchr(p, '\r', (size_t)(end - p)) == NULL
	    && memchr(p, '\0', (size_t)(end - p)) == NULL) {
		scan_lf(m, p, end, line);
		return 0;
	}
	while (p < end) {
		if (nl == NULL || nl < p) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
		}
		cr = memchr(p, '\r', (size_t)(nl - p));
		stop = cr != NULL ? cr : nl;
		if (memchr(p, '\0', (size_t)(stop - p)) != NULL) {
			err_set(err, ERR_DATA, false,
				_("%s:%lu: the message contains a NUL byte, "
				  "which SMTP cannot carry"), name, *line);
			return -1;
		}
		m->line_len += (size_t)(stop - p);
		if (stop == end)
			break;
		line_end(m, *stop, line);
		p = stop + 1;
	}
	return 0;
}

/* spooler_init - start reading src (from the file offset foff, or -1:
 * with read) into m. */
static void
spooler_init(struct spooler *sp, struct message *m,
	     const struct msg_input *src, off_t foff)
{
	sp->src = src;
	sp->off = 0;
	sp->foff = foff;
	dotstuff_init(&sp->ds, 0);
	/* sendmail's rule: a line "." (after LF or CRLF) ends the input */
	dotstuff_decode_init(&sp->dec, DOTSTUFF_DEC_BARE_LF
			     | DOTSTUFF_DEC_KEEP_DOTS);
	sp->line = src->line + 1;
	sp->end = false;
	sp->count_only = false;
	sp->in = xmalloc(MSG_BLOCK + 2);
	m->size = 0;
	m->has8bit = false;
	m->lines = 0;
	m->long_line = 0;
	m->long_len = 0;
	m->line_len = 0;
}

/*
 * spool_block - the next block of the input in spool form into out
 * (SPOOL_OUT_MAX bytes), counted into m; *o is the number of bytes.  At
 * the end of the input the final CRLF, if one is missing.  Returns 1 for
 * a block, 0 when the input was all read (the last bytes are in out), -1
 * with err (ERR_IO, ERR_DATA).  With sp->count_only a block without CR
 * is only counted (*o is 0).
 */
static int
spool_block(struct spooler *sp, struct message *m, char *out, size_t *o,
	    struct err *err)
{
	const struct msg_input *src = sp->src;
	size_t done = sp->off, skip, used;
	unsigned long lines;
	ssize_t n = 0;
	int r;

	*o = 0;
	if (!sp->dec.end)
		n = next_block(sp, sp->in);
	if (n < 0) {
		err_set_errno(err, ERR_IO, true, errno,
			      _("cannot read the message from %s"), src->name);
		return -1;
	}
	if (n == 0) {
		if (m->line_len > MSG_LINE_MAX && m->long_line == 0) {
			m->long_line = sp->line;    /* the last, without end */
			m->long_len = m->line_len;
		}
		*o = dotstuff_finish(&sp->ds, out);
		m->size += (off_t)*o;
		m->lines = sp->line;
		sp->end = true;
		return 0;
	}
	skip = done < src->skip ? src->skip - done : 0;
	if (src->dot_ends) {
		/* cut in place: out is free until the encoder runs; the
		 * input after the "." line is not read */
		size_t kept = dotstuff_decode(&sp->dec, sp->in, (size_t)n, out,
					      &used);

		memcpy(sp->in, out, kept);
		n = (ssize_t)kept;
	}
	lines = sp->line;
	r = scan(m, sp->in, (size_t)n, skip, &sp->line, src->name, err);
	if (r < 0)
		return -1;
	if (r == 1 && skip == 0 && n > 0 && !sp->ds.cr && sp->count_only) {
		/* no CR, none pending from the block before: the spool form
		 * is the input with a CR before each LF, and the encoder's
		 * state is only where the next line starts */
		m->size += n + (off_t)(sp->line - lines);
		sp->ds.bol = sp->in[n - 1] == '\n';
		return 1;
	}
	*o = dotstuff_encode(&sp->ds, sp->in, (size_t)n, out);
	m->size += (off_t)*o;
	return 1;
}

/* spool_from - the input from file offset foff (-1: read) into fd. */
static int
spool_from(struct message *m, const struct msg_input *src, off_t foff,
	   int fd, struct err *err)
{
	char *out = xmalloc(SPOOL_OUT_MAX);
	struct spooler sp;
	size_t o;
	int r;

	spooler_init(&sp, m, src, foff);
	do {
		r = spool_block(&sp, m, out, &o, err);
		if (r >= 0 && util_write_all(fd, out, o) < 0) {
			err_set_errno(err, ERR_IO, true, errno,
				      _("cannot write the spool file"));
			r = -1;
		}
	} while (r > 0);
	free(sp.in);
	free(out);
	return r;
}

int
msg_spool_into(struct message *m, const struct msg_input *src, int fd,
	       struct err *err)
{
	if (spool_from(m, src, -1, fd, err) < 0)
		return -1;
	m->fd = fd;
	return 0;
}

int
msg_spool(struct message *m, const struct msg_input *in, const char *dir,
	  struct err *err)
{
	int fd = util_tmpfile(dir, _("spool file"), err);

	if (fd < 0)
		return -1;
	if (msg_spool_into(m, in, fd, err) < 0) {
		close(fd);
		m->fd = -1;
		return -1;
	}
	return 0;
}

/*
 * The input of msg_direct, read again as it is sent: the encoded bytes
 * of one input block at a time (out[pos..len) is at offset at of the
 * message), counted into seen to be checked against what msg_direct
 * found.
 */
struct msg_reader {
	struct msg_input src;   /* its own prefix and name */
	off_t start;            /* where the rest of the input begins */
	struct spooler sp;
	struct message seen;
	char *out;
	size_t len, pos;
	off_t at;
	bool end;
};

static void
reader_free(struct msg_reader *rd)
{
	if (rd == NULL)
		return;
	free(rd->sp.in);
	free(rd->out);
	free((char *)rd->src.prefix);
	free((char *)rd->src.name);
	free(rd);
}

/* reader_rewind - read the input again from its start. */
static void
reader_rewind(struct msg_reader *rd)
{
	free(rd->sp.in);
	msg_init(&rd->seen);
	spooler_init(&rd->sp, &rd->seen, &rd->src, rd->start);
	rd->len = rd->pos = 0;
	rd->at = 0;
	rd->end = false;
}

/* changed - the input no longer gives the message msg_direct found. */
static int
changed(const struct msg_reader *rd, struct err *err)
{
	err_set(err, ERR_IO, true,
		_("%s changed while the message was being sent"),
		rd->src.name);
	return -1;
}

/* reader_next - the next encoded block of the input, checked against m:
 * never more bytes than m has, the same size and 8-bit at its end. */
static int
reader_next(const struct message *m, struct msg_reader *rd, struct err *err)
{
	int r;

	rd->at += (off_t)rd->len;
	rd->len = rd->pos = 0;
	if (rd->end)
		return changed(rd, err);        /* read past the end */
	r = spool_block(&rd->sp, &rd->seen, rd->out, &rd->len, err);
	if (r < 0)
		return -1;
	if (rd->seen.size > m->size || (rd->seen.has8bit && !m->has8bit))
		return changed(rd, err);
	rd->end = r == 0;       /* a shorter input: read past its end */
	return 0;
}

/* direct_pread - msg_pread for a message of msg_direct; the read that
 * reaches the end reads the input to its end first. */
static int
direct_pread(const struct message *m, char *p, size_t n, off_t off,
	     struct err *err)
{
	struct msg_reader *rd = m->direct;

	if (off == 0 && rd->at + (off_t)rd->pos != 0)
		reader_rewind(rd);
	if (off != rd->at + (off_t)rd->pos)
		return changed(rd, err);        /* only forwards */
	while (n > 0) {
		size_t k = rd->len - rd->pos;

		if (k == 0) {
			if (reader_next(m, rd, err) < 0)
				return -1;
			continue;
		}
		if (k > n)
			k = n;
		memcpy(p, rd->out + rd->pos, k);
		p += k;
		n -= k;
		rd->pos += k;
	}
	/* at the end: the input must end there too (reader_next) */
	while (rd->at + (off_t)rd->pos == m->size && !rd->end)
		if (reader_next(m, rd, err) < 0)
			return -1;
	return 0;
}

int
msg_direct(struct message *m, const struct msg_input *in, struct err *err)
{
	struct msg_reader *rd;
	struct stat st;
	off_t start;
	char *out;
	size_t o;
	int r;

	if (fstat(in->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	start = lseek(in->fd, 0, SEEK_CUR);
	if (start < 0)
		return 0;
	rd = xcalloc(1, sizeof(*rd));
	rd->src = *in;
	rd->src.prefix = NULL;
	if (in->prefix_len > 0) {
		char *copy = xmalloc(in->prefix_len);

		memcpy(copy, in->prefix, in->prefix_len);
		rd->src.prefix = copy;
	}
	rd->src.name = xstrdup(in->name);
	rd->start = start;
	rd->out = xmalloc(SPOOL_OUT_MAX);
	/* the first reading: what the spool would be, written nowhere */
	out = rd->out;
	spooler_init(&rd->sp, m, &rd->src, start);
	rd->sp.count_only = true;
	do
		r = spool_block(&rd->sp, m, out, &o, err);
	while (r > 0);
	if (r < 0) {
		reader_free(rd);
		return -1;
	}
	reader_rewind(rd);
	m->fd = -1;
	m->direct = rd;
	return 1;
}

int
msg_keep(struct message *m, int fd, struct err *err)
{
	struct msg_reader *rd = m->direct;
	struct message kept;

	msg_init(&kept);
	if (spool_from(&kept, &rd->src, rd->start, fd, err) < 0)
		return -1;
	if (kept.size != m->size || (kept.has8bit && !m->has8bit))
		return changed(rd, err);
	reader_free(rd);
	m->direct = NULL;
	m->fd = fd;
	return 0;
}

int
msg_pread(const struct message *m, char *p, size_t n, off_t off,
	  struct err *err)
{
	if (m->direct != NULL)
		return direct_pread(m, p, n, off, err);
	while (n > 0) {
		ssize_t r = pread(m->fd, p, n, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_set_errno(err, ERR_IO, true, r < 0 ? errno : EIO,
				      _("cannot read the spool file"));
			return -1;
		}
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

/*
 * srv.c - SRV records: RFC 1035 4.1 (message format), 4.1.4 (name
 * compression); RFC 2782 (SRV, its target "." and the choice by priority
 * and weight).
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include "ascii.h"
#include "gettext.h"
#include "srv.h"

#define DNS_HEADER_LEN 12       /* RFC 1035 4.1.1 */
#define DNS_RR_FIXED 10         /* type, class, TTL, RDLENGTH */
#define DNS_LABEL_MAX 63        /* RFC 1035 2.3.4 */
#define DNS_WIRE_NAME_MAX 255

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* label_ok - a label of a host name: letters, digits, '-', '_'. */
static bool
label_ok(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!ascii_is_alnum(p[i]) && p[i] != '-' && p[i] != '_')
			return false;
	return true;
}

/* add_label - append label p[0..n) to out (size SRV_NAME_MAX) at *olen. */
static bool
add_label(char *out, size_t *olen, const unsigned char *p, size_t n)
{
	size_t dot = *olen > 0 ? 1 : 0;

	if (*olen + dot + n >= SRV_NAME_MAX)
		return false;
	if (dot)
		out[(*olen)++] = '.';
	memcpy(out + *olen, p, n);
	*olen += n;
	out[*olen] = '\0';
	return true;
}

/*
 * name_read - the name at *off of msg[0..len): *off moves past it (past
 * its first pointer when compressed).  With out (size SRV_NAME_MAX) the
 * name is written there, and must be a host name or the root.  A pointer
 * must point before itself, and at most SRV_HOPS_MAX are followed.
 */
static int
name_read(const unsigned char *msg, size_t len, size_t *off, char *out,
	  const char *what, struct err *err)
{
	size_t pos = *off, wire = 0, olen = 0;
	bool jumped = false;
	int hops = 0;

	if (out != NULL)
		out[0] = '\0';
	for (;;) {
		unsigned c;

		if (pos >= len)
			goto truncated;
		c = msg[pos];
		if (c == 0)
			break;
		if ((c & 0xC0) == 0xC0) {
			size_t to;

			if (pos + 1 >= len)
				goto truncated;
			to = get16(msg + pos) & 0x3FFF;
			if (!jumped)
				*off = pos + 2;
			jumped = true;
			if (to >= pos || ++hops > SRV_HOPS_MAX) {
				err_set(err, ERR_PROTO, false,
					_("malformed DNS answer: the %s has a "
					  "compression pointer that loops"),
					what);
				return -1;
			}
			pos = to;
			continue;
		}
		if (c > DNS_LABEL_MAX) {
			err_set(err, ERR_PROTO, false,
				_("malformed DNS answer: the %s has a label "
				  "of unknown type"), what);
			return -1;
		}
		if (pos + 1 + c > len)
			goto truncated;
		wire += 1 + c;
		if (wire + 1 > DNS_WIRE_NAME_MAX) {
			err_set(err, ERR_PROTO, false,
				_("malformed DNS answer: the %s is longer "
				  "than 255 octets"), what);
			return -1;
		}
		if (out != NULL && (!label_ok(msg + pos + 1, c)
				    || !add_label(out, &olen, msg + pos + 1,
						  c))) {
			err_set(err, ERR_PROTO, false,
				_("DNS answer: the %s is not a host name"),
				what);
			return -1;
		}
		pos += 1 + c;
	}
	if (!jumped)
		*off = pos + 1;
	if (out != NULL && olen == 0)
		memcpy(out, ".", 2);
	return 0;
truncated:
	err_set(err, ERR_PROTO, false,
		_("malformed DNS answer: the %s runs past the end of the "
		  "message"), what);
	return -1;
}

/* header - check the header of msg; the question and answer counts. */
static int
header(const unsigned char *msg, size_t len, unsigned *qd, unsigned *an,
       struct err *err)
{
	if (len < DNS_HEADER_LEN) {
		err_set(err, ERR_PROTO, false,
			_("malformed DNS answer: %zu bytes, shorter than a "
			  "header"), len);
		return -1;
	}
	/* QR set (a response), RCODE 0 (RFC 1035 4.1.1) */
	if (!(msg[2] & 0x80) || (msg[3] & 0x0F) != 0) {
		err_set(err, ERR_PROTO, false,
			_("DNS answer: not a successful response (RCODE %u)"),
			msg[3] & 0x0Fu);
		return -1;
	}
	*qd = get16(msg + 4);
	*an = get16(msg + 6);
	return 0;
}

/* srv_rdata - the SRV data at msg[off..off+rdlen) into *r. */
static int
srv_rdata(const unsigned char *msg, size_t off, size_t rdlen,
	  struct srv_rec *r, struct err *err)
{
	size_t end = off + rdlen, t = off + 6;

	if (rdlen < 7) {
		err_set(err, ERR_PROTO, false,
			_("malformed DNS answer: an SRV record of %zu bytes"),
			rdlen);
		return -1;
	}
	r->priority = get16(msg + off);
	r->weight = get16(msg + off + 2);
	r->port = get16(msg + off + 4);
	/* RFC 2782: the target is not compressed, but RFC 3597 lets a
	 * resolver decompress what it wants: follow pointers, only within
	 * what the message has */
	if (name_read(msg, end, &t, r->target, _("SRV target"), err) < 0)
		return -1;
	if (t != end) {
		err_set(err, ERR_PROTO, false,
			_("malformed DNS answer: an SRV record longer than its "
			  "target"));
		return -1;
	}
	return 0;
}

int
srv_parse(const unsigned char *msg, size_t len, struct srv_rec *out,
	  size_t max, struct err *err)
{
	size_t off = DNS_HEADER_LEN, n = 0;
	unsigned qd, an, i;

	if (header(msg, len, &qd, &an, err) < 0)
		return -1;
	for (i = 0; i < qd; i++) {
		if (name_read(msg, len, &off, NULL, _("question"), err) < 0)
			return -1;
		if (len - off < 4)
			goto truncated;
		off += 4;
	}
	for (i = 0; i < an; i++) {
		unsigned type, cls;
		size_t rdlen;

		if (name_read(msg, len, &off, NULL, _("record name"), err) < 0)
			return -1;
		if (len - off < DNS_RR_FIXED)
			goto truncated;
		type = get16(msg + off);
		cls = get16(msg + off + 2);
		rdlen = get16(msg + off + 8);
		off += DNS_RR_FIXED;
		if (len - off < rdlen)
			goto truncated;
		if (type == SRV_TYPE && cls == SRV_CLASS_IN && n < max
		    && srv_rdata(msg, off, rdlen, &out[n++], err) < 0)
			return -1;
		off += rdlen;
	}
	return (int)n;
truncated:
	err_set(err, ERR_PROTO, false,
		_("malformed DNS answer: it has fewer records than its header "
		  "counts"));
	return -1;
}

static bool
usable(const struct srv_rec *r)
{
	return strcmp(r->target, ".") != 0 && r->port != 0;
}

size_t
srv_count_usable(const struct srv_rec *r, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (usable(&r[i]))
			k++;
	return k;
}

int
srv_choose(const struct srv_rec *r, size_t n, double u)
{
	unsigned long sum = 0, pick, run = 0;
	unsigned prio = 0;
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++)
		if (usable(&r[i]) && (!any || r[i].priority < prio)) {
			prio = r[i].priority;
			any = true;
		}
	if (!any)
		return -1;
	for (i = 0; i < n; i++)
		if (usable(&r[i]) && r[i].priority == prio)
			sum += r[i].weight;
	pick = u > 0 ? (unsigned long)(u * (double)(sum + 1)) : 0;
	if (pick > sum)
		pick = sum;
	/* RFC 2782: weight 0 first, then the running sum */
	for (i = 0; pick == 0 && i < n; i++)
		if (usable(&r[i]) && r[i].priority == prio
		    && r[i].weight == 0)
			return (int)i;
	for (i = 0; i < n; i++) {
		if (!usable(&r[i]) || r[i].priority != prio)
			continue;
		run += r[i].weight;
		if (run >= pick && r[i].weight > 0)
			return (int)i;
	}
	return -1;      /* not reached: pick <= sum */
}

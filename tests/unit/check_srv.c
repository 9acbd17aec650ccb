/*
 * check_srv.c - unit tests for src/srv.h: SRV records read from DNS
 * responses built here byte by byte (RFC 1035 4.1, RFC 2782), hostile
 * ones included (cut short, compression loops, counts and lengths that
 * lie), and the choice by priority and weight.
 */
#include <config.h>

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv.h"

/* A DNS message under construction. */
struct pkt {
	unsigned char b[4096];
	size_t n;
};

static void
put8(struct pkt *p, unsigned v)
{
	if (p->n >= sizeof(p->b))
		abort();        /* a test too big for its buffer */
	p->b[p->n++] = (unsigned char)v;
}

static void
put16(struct pkt *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v & 0xFF);
}

/* put_name - "a.b.c" as labels and the root; "" is the root alone. */
static void
put_name(struct pkt *p, const char *name)
{
	while (*name != '\0') {
		size_t k = strcspn(name, ".");

		put8(p, (unsigned)k);
		memcpy(p->b + p->n, name, k);
		p->n += k;
		name += k;
		if (*name == '.')
			name++;
	}
	put8(p, 0);
}

/* header - a response (QR set, RCODE rcode) with these counts. */
static void
header(struct pkt *p, unsigned rcode, unsigned qd, unsigned an)
{
	p->n = 0;
	put16(p, 0x1234);
	put8(p, 0x81);          /* QR, RD */
	put8(p, 0x80 | rcode);  /* RA */
	put16(p, qd);
	put16(p, an);
	put16(p, 0);
	put16(p, 0);
}

static void
question(struct pkt *p, const char *name)
{
	put_name(p, name);
	put16(p, SRV_TYPE);
	put16(p, SRV_CLASS_IN);
}

/* rr_head - owner, type, class IN, TTL; RDLENGTH follows. */
static void
rr_head(struct pkt *p, const char *owner, unsigned type)
{
	put_name(p, owner);
	put16(p, type);
	put16(p, SRV_CLASS_IN);
	put16(p, 0);
	put16(p, 300);
}

static void
srv(struct pkt *p, unsigned prio, unsigned weight, unsigned port,
    const char *target)
{
	size_t len_at;

	rr_head(p, "_submissions._tcp.example.org", SRV_TYPE);
	len_at = p->n;
	put16(p, 0);
	put16(p, prio);
	put16(p, weight);
	put16(p, port);
	put_name(p, target);
	p->b[len_at] = (unsigned char)((p->n - len_at - 2) >> 8);
	p->b[len_at + 1] = (unsigned char)((p->n - len_at - 2) & 0xFF);
}

static int
parse(const struct pkt *p, struct srv_rec *r, size_t max, struct err *err)
{
	return srv_parse(p->b, p->n, r, max, err);
}

/* two_records - a well-formed answer with two SRV records. */
static void
two_records(struct pkt *p)
{
	header(p, 0, 1, 2);
	question(p, "_submissions._tcp.example.org");
	srv(p, 10, 5, 465, "smtp.example.org");
	srv(p, 20, 0, 4650, "smtp-2.example.org");
}

START_TEST(test_parse_ok)
{
	struct pkt p;
	struct srv_rec r[SRV_RECORDS_MAX];
	struct err err;

	two_records(&p);
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), 2);
	ck_assert_uint_eq(r[0].priority, 10);
	ck_assert_uint_eq(r[0].weight, 5);
	ck_assert_uint_eq(r[0].port, 465);
	ck_assert_str_eq(r[0].target, "smtp.example.org");
	ck_assert_uint_eq(r[1].priority, 20);
	ck_assert_uint_eq(r[1].port, 4650);
	ck_assert_str_eq(r[1].target, "smtp-2.example.org");
	/* max bounds what is stored */
	ck_assert_int_eq(parse(&p, r, 1, &err), 1);
}
END_TEST

START_TEST(test_parse_root_and_others)
{
	struct pkt p;
	struct srv_rec r[SRV_RECORDS_MAX];
	struct err err;

	/* a CNAME before the SRV is skipped; the target "." is kept */
	header(&p, 0, 1, 2);
	question(&p, "_submission._tcp.example.org");
	rr_head(&p, "_submission._tcp.example.org", 5);
	put16(&p, 7);
	put_name(&p, "x.org");
	srv(&p, 0, 0, 0, "");
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), 1);
	ck_assert_str_eq(r[0].target, ".");
	/* no answer at all */
	header(&p, 0, 1, 0);
	question(&p, "_submission._tcp.example.org");
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), 0);
}
END_TEST

START_TEST(test_parse_compressed_target)
{
	struct pkt p;
	struct srv_rec r[1];
	struct err err;

	/* target "smtp" + pointer to "example.org" in the question */
	header(&p, 0, 1, 1);
	question(&p, "_submissions._tcp.example.org");
	rr_head(&p, "_submissions._tcp.example.org", SRV_TYPE);
	put16(&p, 6 + 5 + 2);
	put16(&p, 1);
	put16(&p, 1);
	put16(&p, 465);
	put8(&p, 4);
	memcpy(p.b + p.n, "smtp", 4);
	p.n += 4;
	/* "_submissions" (13) + "_tcp" (5) after the header (12) */
	put16(&p, 0xC000 | (12 + 13 + 5));
	ck_assert_int_eq(parse(&p, r, 1, &err), 1);
	ck_assert_str_eq(r[0].target, "smtp.example.org");
}
END_TEST

/* Every shorter prefix of a good answer is refused: its counts say
 * there is more. */
START_TEST(test_parse_truncated)
{
	struct pkt p;
	struct srv_rec r[SRV_RECORDS_MAX];
	struct err err;
	size_t full;

	two_records(&p);
	full = p.n;
	p.n = (size_t)_i;
	ck_assert_uint_lt(p.n, full);
	ck_assert_msg(parse(&p, r, SRV_RECORDS_MAX, &err) == -1,
		      "prefix of %zu bytes accepted", p.n);
	ck_assert_int_eq(err.cls, ERR_PROTO);
}
END_TEST

START_TEST(test_parse_loops)
{
	struct pkt p;
	struct srv_rec r[1];
	struct err err;

	/* a pointer to itself */
	header(&p, 0, 1, 0);
	put16(&p, 0xC000 | 12);
	put16(&p, SRV_TYPE);
	put16(&p, SRV_CLASS_IN);
	ck_assert_int_eq(parse(&p, r, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "loops"));
	/* a pointer forward */
	header(&p, 0, 1, 0);
	put16(&p, 0xC000 | 20);
	put16(&p, SRV_TYPE);
	put16(&p, SRV_CLASS_IN);
	put8(&p, 0);
	ck_assert_int_eq(parse(&p, r, 1, &err), -1);
	/* a label, then a pointer back to it: backward, and still a loop */
	header(&p, 0, 1, 0);
	put8(&p, 1);
	put8(&p, 'x');
	put16(&p, 0xC000 | 12);
	put16(&p, SRV_TYPE);
	put16(&p, SRV_CLASS_IN);
	ck_assert_int_eq(parse(&p, r, 1, &err), -1);
	ck_assert_int_eq(err.cls, ERR_PROTO);
}
END_TEST

START_TEST(test_parse_lies)
{
	struct pkt p;
	struct srv_rec r[SRV_RECORDS_MAX];
	struct err err;
	size_t at;

	/* more answers counted than there are */
	two_records(&p);
	p.b[7] = 5;
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* more questions counted than there are */
	two_records(&p);
	p.b[5] = 3;
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* RDLENGTH past the end */
	header(&p, 0, 0, 1);
	srv(&p, 1, 1, 25, "a.example");
	at = p.n;
	p.b[at - 6 - 11 - 2 + 1] += 40;
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* RDLENGTH shorter than the target */
	header(&p, 0, 0, 1);
	srv(&p, 1, 1, 25, "a.example");
	p.b[p.n - 6 - 11 - 2 + 1] -= 3;
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* RDLENGTH longer than the record (junk after the target) */
	header(&p, 0, 0, 1);
	srv(&p, 1, 1, 25, "a.example");
	p.b[p.n - 6 - 11 - 2 + 1] += 2;
	put16(&p, 0);
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* RDLENGTH too short for an SRV record */
	header(&p, 0, 0, 1);
	rr_head(&p, "x", SRV_TYPE);
	put16(&p, 4);
	put16(&p, 1);
	put16(&p, 1);
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	ck_assert_int_eq(err.cls, ERR_PROTO);
}
END_TEST

START_TEST(test_parse_refused)
{
	struct pkt p;
	struct srv_rec r[SRV_RECORDS_MAX];
	struct err err;
	char big[400];
	size_t i;

	/* not a response; an error RCODE; shorter than a header */
	two_records(&p);
	p.b[2] &= 0x7F;
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	two_records(&p);
	p.b[3] |= 3;
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	ck_assert_int_eq(srv_parse(p.b, 11, r, SRV_RECORDS_MAX, &err), -1);
	/* a target that is no host name */
	header(&p, 0, 0, 1);
	srv(&p, 1, 1, 25, "a b.example");
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "not a host name"));
	header(&p, 0, 0, 1);
	srv(&p, 1, 1, 25, "a\nb.example");
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* a label type of RFC 6891 (0x40): unknown */
	header(&p, 0, 1, 0);
	put8(&p, 0x41);
	put8(&p, 0);
	put16(&p, SRV_TYPE);
	put16(&p, SRV_CLASS_IN);
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	/* a name longer than 255 octets */
	for (i = 0; i + 1 < sizeof(big); i++)
		big[i] = i % 10 == 9 ? '.' : 'a';
	big[sizeof(big) - 1] = '\0';
	header(&p, 0, 1, 0);
	question(&p, big);
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "255"));
}
END_TEST

START_TEST(test_parse_many)
{
	struct pkt p;
	struct srv_rec r[SRV_RECORDS_MAX];
	struct err err;
	unsigned i;

	header(&p, 0, 0, 40);
	for (i = 0; i < 40; i++)
		srv(&p, i, 0, 25, "a.example");
	ck_assert_int_eq(parse(&p, r, SRV_RECORDS_MAX, &err),
			 SRV_RECORDS_MAX);
	ck_assert_uint_eq(r[SRV_RECORDS_MAX - 1].priority,
			  SRV_RECORDS_MAX - 1);
}
END_TEST

/* ---- srv_choose ---- */

static struct srv_rec
rec(unsigned prio, unsigned weight, unsigned port, const char *target)
{
	struct srv_rec r;

	r.priority = prio;
	r.weight = weight;
	r.port = port;
	snprintf(r.target, sizeof(r.target), "%s", target);
	return r;
}

START_TEST(test_choose)
{
	struct srv_rec r[4];

	memset(r, 0, sizeof(r));
	ck_assert_int_eq(srv_choose(r, 0, 0.5), -1);
	/* the lowest priority wins, wherever it is */
	r[0] = rec(20, 100, 25, "b.example");
	r[1] = rec(10, 0, 25, "a.example");
	ck_assert_int_eq(srv_choose(r, 2, 0.9), 1);
	/* "." and port 0 are never chosen */
	r[1] = rec(10, 0, 25, ".");
	r[2] = rec(5, 0, 0, "c.example");
	ck_assert_int_eq(srv_choose(r, 3, 0.0), 0);
	ck_assert_uint_eq(srv_count_usable(r, 3), 1);
	r[0] = rec(0, 0, 0, ".");
	ck_assert_int_eq(srv_choose(r, 2, 0.3), -1);
	ck_assert_uint_eq(srv_count_usable(r, 2), 0);
}
END_TEST

START_TEST(test_choose_weight)
{
	struct srv_rec r[3];

	/* weights 1 and 3: sum 4, a number 0..4 picked by u * 5 */
	r[0] = rec(1, 1, 25, "a.example");
	r[1] = rec(1, 3, 25, "b.example");
	r[2] = rec(2, 50, 25, "c.example");
	ck_assert_int_eq(srv_choose(r, 3, 0.0), 0);
	ck_assert_int_eq(srv_choose(r, 3, 0.39), 0);
	ck_assert_int_eq(srv_choose(r, 3, 0.4), 1);
	ck_assert_int_eq(srv_choose(r, 3, 0.9999), 1);
	/* weight 0 comes first, chosen only for the number 0 */
	r[0] = rec(1, 5, 25, "a.example");
	r[1] = rec(1, 0, 25, "b.example");
	ck_assert_int_eq(srv_choose(r, 2, 0.0), 1);
	ck_assert_int_eq(srv_choose(r, 2, 0.1), 1);
	ck_assert_int_eq(srv_choose(r, 2, 0.2), 0);
	/* all weights 0: the first */
	r[0] = rec(1, 0, 25, "a.example");
	ck_assert_int_eq(srv_choose(r, 2, 0.99), 0);
}
END_TEST

static Suite *
srv_suite(void)
{
	Suite *s = suite_create("srv");
	TCase *tc = tcase_create("parse");
	struct pkt p;

	two_records(&p);
	tcase_add_test(tc, test_parse_ok);
	tcase_add_test(tc, test_parse_root_and_others);
	tcase_add_test(tc, test_parse_compressed_target);
	tcase_add_loop_test(tc, test_parse_truncated, 0, (int)p.n);
	tcase_add_test(tc, test_parse_loops);
	tcase_add_test(tc, test_parse_lies);
	tcase_add_test(tc, test_parse_refused);
	tcase_add_test(tc, test_parse_many);
	suite_add_tcase(s, tc);
	tc = tcase_create("choose");
	tcase_add_test(tc, test_choose);
	tcase_add_test(tc, test_choose_weight);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(srv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

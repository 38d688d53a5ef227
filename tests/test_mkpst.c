/* test_mkpst.c: mkpst fixtures read back by libpff, readpst and pffinfo. */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft.h"
#include "le.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "mkpst_util.h"
#include "text.h"
#include "tz.h"


static const uint8_t ps_appt[16] = {
	0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};
static const uint8_t ps_common[16] = {
	0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};
static const uint8_t ps_public[16] = {
	0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};

/* Build fixture name into a temporary directory and load it. */
static char *
build(const char *name, char **dir, struct tpst *t)
{
	char *out;

	*dir = tu_tmpdir();
	out = tu_path(*dir, "out.pst");
	tu_mkpst(name, out);
	load(out, t);
	return out;
}

static const struct tprop *
get_name(const struct tset *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].named == 's' && strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static int64_t
prop_i64(const struct tprop *p)
{
	int64_t v = 0;
	size_t i;

	cr_assert_not_null(p);
	for (i = 0; i < p->len && i < 8; i++)
		v |= (int64_t)p->data[i] << (8 * i);
	if (p->len == 4)
		v = (int32_t)v;
	return v;
}

static int64_t
tag_int(const struct tset *s, uint32_t tag)
{
	const struct tprop *p = get_tag(s, tag);

	cr_assert_not_null(p, "tag 0x%04X missing", tag);
	return prop_i64(p);
}

static int64_t
lid_int(const struct tset *s, const uint8_t *g, uint32_t lid)
{
	const struct tprop *p = get_lid(s, g, lid);

	cr_assert_not_null(p, "LID 0x%04X missing", lid);
	return prop_i64(p);
}

static int64_t
ft(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return ((int64_t)timegm(&tm) + 11644473600LL) * FT_SEC;
}

static void
expect_lid_str(const struct tset *s, const uint8_t *g, uint32_t lid,
    const char *want)
{
	const struct tprop *p = get_lid(s, g, lid);
	char *got;

	cr_assert_not_null(p, "LID 0x%04X missing", lid);
	got = utf16_str(p);
	cr_expect_str_eq(got, want, "LID 0x%04X", lid);
	free(got);
}

static void
decode_recur(const struct tmsg *m, struct recur *r)
{
	const struct tprop *p = get_lid(&m->props, ps_appt, 0x8216);
	char *cause = NULL;

	cr_assert_not_null(p, "no recurrence blob");
	memset(r, 0, sizeof *r);
	cr_assert_eq(recur_decode(p->data, p->len, r, &cause), 0, "%s",
	    cause);
}

static void
expect_vcal_goid(const struct tprop *p, const char *uid)
{
	size_t n = strlen(uid);

	cr_assert_not_null(p);
	cr_assert_eq(p->len, 40 + 12 + n + 1);
	cr_expect_eq(memcmp(p->data, "\x04\x00\x00\x00\x82\x00\xE0\x00"
	    "\x74\xC5\xB7\x10\x1A\x82\xE0\x08", 16), 0);
	cr_expect_eq(p->data[36], 12 + n + 1);
	cr_expect_eq(memcmp(p->data + 40, "vCal-Uid\x01\x00\x00\x00", 12), 0);
	cr_expect_eq(memcmp(p->data + 52, uid, n), 0);
}

static void
expect_hex(const struct tprop *p, const char *hex)
{
	size_t i, n = strlen(hex) / 2;
	unsigned b;

	cr_assert_not_null(p);
	cr_assert_eq(p->len, n, "length %zu, want %zu", p->len, n);
	for (i = 0; i < n; i++) {
		sscanf(hex + 2 * i, "%2x", &b);
		cr_expect_eq(p->data[i], b, "byte %zu", i);
	}
}

/* ---- libpff: every modeled field ------------------------------------ */

Test(mkpst, singles)
{
	struct tpst t;
	struct tmsg *m;
	const struct tprop *p;
	struct tz tz;
	char *dir, *out, *cause = NULL, *rtf;
	size_t rtflen;

	out = build("singles.ics", &dir, &t);
	cr_assert_eq(t.n, 4);
	m = by_subject(&t, "Dentist", 0);
	cr_expect_str_eq(m->folder, "Calendar");
	cr_expect_str_eq(m->fclass, "IPF.Appointment");
	expect_str(&m->props, 0x001A, "IPM.Appointment");
	expect_str(&m->props, 0x0037, "\001\001Dentist");
	expect_lid_str(&m->props, ps_appt, 0x8208, "Main Street 12");
	expect_str(&m->props, 0x1000,
	    "Bring the insurance card.\nAsk about the bill.");
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 3, 12, 8, 30));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 3, 12, 9, 15));
	cr_expect_eq(tag_int(&m->props, 0x0060), ft(2024, 3, 12, 8, 30));
	cr_expect_eq(tag_int(&m->props, 0x0061), ft(2024, 3, 12, 9, 15));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8235),
	    ft(2024, 3, 12, 8, 30));
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8517),
	    ft(2024, 3, 12, 9, 15));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8205), 3);
	cr_expect_eq(tag_int(&m->props, 0x0036), 2);
	cr_expect_eq(tag_int(&m->props, 0x0017), 2);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8503), 1);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8501), 30);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8201), 2);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8223), 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8217), 0);
	cr_expect_eq(tag_int(&m->props, 0x3007), ft(2024, 3, 1, 10, 15));
	cr_expect_eq(tag_int(&m->props, 0x3008), ft(2024, 3, 2, 11, 15));
	expect_str(&m->props, 0x3FF8, "Alex Example");
	p = get_name(&m->props, "Keywords");
	cr_assert_not_null(p);
	cr_expect_eq(memcmp(p->guid, ps_public, 16), 0);
	cr_expect_eq(p->type, 0x101F);
	cr_expect_eq(m->nrcpts, 0);
	expect_vcal_goid(get_lid(&m->props, ps_meeting, 0x0003),
	    "single-utc-0001@example.com");
	p = get_lid(&m->props, ps_meeting, 0x0023);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, get_lid(&m->props, ps_meeting, 0x0003)->len);

	m = by_subject(&t, "Quarterly planning (Berlin office)", 0);
	/* 14:00 CEST = 12:00 UTC. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 7, 10, 12, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 7, 10, 13, 30));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8205), 1);
	cr_expect_eq(tag_int(&m->props, 0x0017), 0);
	cr_expect_eq(tag_int(&m->props, 0x0036), 0);
	p = get_tag(&m->props, 0x1013);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, strlen("<html><body><p>Agenda: <b>budget</b>"
	    "</p></body></html>"));
	cr_expect_eq(memcmp(p->data, "<html><body><p>Agenda:", 22), 0);
	p = get_tag(&m->props, 0x1009);
	cr_assert_not_null(p);
	cr_assert_eq(rtf_decompress(p->data, p->len, &rtf, &rtflen, &cause),
	    0, "%s", cause);
	cr_expect_not_null(strstr(rtf, "\\fromhtml1"));
	cr_expect_not_null(strstr(rtf, "{\\*\\htmltag64 <html><body><p>Agenda: "
	    "<b>budget</b></p></body></html>}"), "%s", rtf);
	free(rtf);
	p = get_lid(&m->props, ps_appt, 0x825E);
	cr_assert_not_null(p);
	memset(&tz, 0, sizeof tz);
	cr_assert_eq(tz_decode_def(p->data, p->len, &tz, &cause), 0, "%s",
	    cause);
	cr_expect_str_eq(tz.keyname, "W. Europe Standard Time");
	cr_assert_eq(tz.nrules, 1);
	cr_expect_eq(tz.rules[0].bias, -60);
	cr_expect_eq(tz.rules[0].dst_bias, -60);
	cr_expect_eq(tz.rules[0].std_date.month, 10);
	cr_expect_eq(tz.rules[0].dst_date.month, 3);
	cr_expect_eq(tz.rules[0].dst_date.day, 5);
	tz_free(&tz);
	cr_expect_not_null(get_lid(&m->props, ps_appt, 0x825F));
	cr_expect_null(get_lid(&m->props, ps_appt, 0x8260));

	m = by_subject(&t, "Company holiday", 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 1);
	/* Midnight in Berlin (CEST) on 3 October. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 10, 2, 22, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 10, 3, 22, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8205), 0);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8501), 1080);

	m = by_subject(&t, "Conference (3 days) – Zürich", 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 1);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 11, 4, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 11, 7, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8213), 3 * 1440);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8503), 0);
	built_free(&t, out, dir);
}

Test(mkpst, meetings)
{
	struct tpst t;
	struct tmsg *m;
	const struct tset *r;
	char *dir, *out;

	out = build("meetings.ics", &dir, &t);
	cr_assert_eq(t.n, 2);
	m = by_subject(&t, "Design review", 0);
	expect_hex(get_lid(&m->props, ps_meeting, 0x0003),
	    "040000008200E00074C5B7101A82E00800000000D0AFE96CB462CA01"
	    "0000000000000000100000001" "9F8AF4D13C91844AA9CE63190D3408D");
	expect_hex(get_lid(&m->props, ps_meeting, 0x0023),
	    "040000008200E00074C5B7101A82E00800000000D0AFE96CB462CA01"
	    "0000000000000000100000001" "9F8AF4D13C91844AA9CE63190D3408D");
	/* 10:00 EDT = 14:00 UTC. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 4, 15, 14, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8217), 3);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8218), 3);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8201), 1);
	cr_expect_eq(lid_int(&m->props, ps_meeting, 0x001A),
	    ft(2024, 4, 1, 12, 0));
	expect_str(&m->props, 0x0042, "Olivia Organizer");
	expect_str(&m->props, 0x5D02, "olivia@example.com");
	expect_str(&m->props, 0x0065, "olivia@example.com");
	expect_str(&m->props, 0x0064, "SMTP");
	/* The organizer's own ATTENDEE line folds into its row. */
	cr_assert_eq(m->nrcpts, 6);
	r = rcpt(m, "olivia@example.com");
	cr_expect_eq(tag_int(r, 0x5FFD), 3);
	cr_expect_eq(tag_int(r, 0x0C15), 1);
	expect_str(r, 0x3001, "Olivia Organizer");
	expect_str(r, 0x3002, "SMTP");
	expect_str(r, 0x3003, "olivia@example.com");
	r = rcpt(m, "alex@example.com");
	cr_expect_eq(tag_int(r, 0x5FFD), 1);
	cr_expect_eq(tag_int(r, 0x0C15), 1);
	cr_expect_eq(tag_int(r, 0x5FFF), 3);
	r = rcpt(m, "bea@example.com");
	expect_str(r, 0x3001, "Brown, Bea");
	cr_expect_eq(tag_int(r, 0x0C15), 2);
	cr_expect_eq(tag_int(r, 0x5FFF), 2);
	cr_expect_eq(tag_int(rcpt(m, "carl@example.com"), 0x5FFF), 4);
	cr_expect_eq(tag_int(rcpt(m, "dee@example.com"), 0x5FFF), 5);
	r = rcpt(m, "roomb@example.com");
	cr_expect_eq(tag_int(r, 0x0C15), 3);
	cr_expect_not_null(get_tag(r, 0x0FFF));
	expect_str(&m->props, 0x3FF8, "Alex Example");

	m = by_subject(&t, "Team standup kickoff", 0);
	/* Defaults: a meeting, organized by the owner. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8217), 1);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8218), 1);
	cr_expect_eq(m->nrcpts, 3);
	cr_expect_eq(tag_int(rcpt(m, "ana@example.com"), 0x5FFF), 5);
	expect_vcal_goid(get_lid(&m->props, ps_meeting, 0x0003),
	    "organized-by-me-0002@example.com");
	built_free(&t, out, dir);
}

struct shape {
	const char	*subject;
	uint16_t	 freq, pattern;
	uint32_t	 period, mask, dom, nth, end_type, count;
	uint32_t	 start_offset, end_offset, first_dow;
};

Test(mkpst, recurrence_shapes)
{
	static const struct shape shapes[] = {
		{ "Every other day", RECUR_FREQ_DAILY, RECUR_PAT_DAY, 2880,
		    0, 0, 0, RECUR_END_COUNT, 10, 480, 495, 0 },
		{ "Every weekday", RECUR_FREQ_DAILY, RECUR_PAT_WEEK, 1, 0x3E,
		    0, 0, RECUR_END_DATE, 65, 540, 555, 0 },
		{ "Gym", RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, 0x2A, 0, 0,
		    RECUR_END_NEVER, 10, 1080, 1170, 1 },
		{ "Payroll check", RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 2, 0x20,
		    0, 0, RECUR_END_COUNT, 26, 600, 630, 0 },
		{ "Rent", RECUR_FREQ_MONTHLY, RECUR_PAT_MONTH, 1, 0, 15, 0,
		    RECUR_END_COUNT, 12, 540, 555, 0 },
		{ "Month-end close", RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHEND,
		    1, 0, 31, 0, RECUR_END_DATE, 12, 960, 1020, 0 },
		{ "Board meeting", RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHNTH, 1,
		    0x04, 0, 2, RECUR_END_NEVER, 10, 840, 960, 0 },
		{ "Last-Friday drinks", RECUR_FREQ_MONTHLY,
		    RECUR_PAT_MONTHNTH, 1, 0x20, 0, 5, RECUR_END_COUNT, 6,
		    1020, 1140, 0 },
		{ "Anniversary dinner", RECUR_FREQ_YEARLY, RECUR_PAT_MONTH,
		    12, 0, 14, 0, RECUR_END_NEVER, 10, 1140, 1320, 0 },
		{ "Thanksgiving call", RECUR_FREQ_YEARLY, RECUR_PAT_MONTHNTH,
		    12, 0x10, 0, 4, RECUR_END_COUNT, 5, 720, 780, 0 },
		{ "Bin day", RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, 0x10, 0, 0,
		    RECUR_END_COUNT, 20, 0, 1440, 0 },
	};
	const struct shape *s;
	struct tpst t;
	struct tmsg *m;
	struct recur r;
	struct tz_rule reg;
	const struct tprop *p;
	char *dir, *out, *cause = NULL;
	size_t i;

	out = build("recurring.ics", &dir, &t);
	cr_assert_eq(t.n, sizeof shapes / sizeof shapes[0]);
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		s = &shapes[i];
		m = by_subject(&t, s->subject, 0);
		cr_expect_eq(lid_int(&m->props, ps_appt, 0x8223), 1,
		    "%s", s->subject);
		cr_expect_eq(lid_int(&m->props, ps_meeting, 0x0005), 1);
		decode_recur(m, &r);
		cr_expect_eq(r.freq, s->freq, "%s freq", s->subject);
		cr_expect_eq(r.pattern, s->pattern, "%s pattern", s->subject);
		cr_expect_eq(r.period, s->period, "%s period", s->subject);
		cr_expect_eq(r.day_mask, s->mask, "%s mask", s->subject);
		cr_expect_eq(r.day_of_month, s->dom, "%s dom", s->subject);
		cr_expect_eq(r.nth, s->nth, "%s nth", s->subject);
		cr_expect_eq(r.end_type, s->end_type, "%s end", s->subject);
		cr_expect_eq(r.count, s->count, "%s count", s->subject);
		cr_expect_eq(r.start_offset, s->start_offset, "%s offset",
		    s->subject);
		cr_expect_eq(r.end_offset, s->end_offset, "%s end offset",
		    s->subject);
		cr_expect_eq(r.first_dow, s->first_dow, "%s wkst",
		    s->subject);
		if (s->end_type == RECUR_END_NEVER)
			cr_expect_eq(r.end_date, RECUR_NO_END_DATE);
		cr_expect_eq(r.ndeleted, 0);
		cr_expect_eq(r.nexcs, 0);
		recur_free(&r);
		p = get_lid(&m->props, ps_appt, 0x8233);
		cr_assert_not_null(p, "%s: no TimeZoneStruct", s->subject);
		cr_assert_eq(tz_decode_reg(p->data, p->len, &reg, &cause), 0,
		    "%s", cause);
		cr_expect_eq(reg.bias, -60);
		expect_lid_str(&m->props, ps_appt, 0x8234,
		    "W. Europe Standard Time");
		cr_expect_not_null(get_lid(&m->props, ps_appt, 0x8260));
	}
	/* Start date and range of one series in local minutes. */
	m = by_subject(&t, "Rent", 0);
	decode_recur(m, &r);
	cr_expect_eq(recur_min_to_ft(r.start_date), ft(2024, 1, 15, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.end_date), ft(2024, 12, 15, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8235),
	    ft(2024, 1, 15, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8236),
	    ft(2024, 12, 15, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8231), 3);
	recur_free(&r);
	built_free(&t, out, dir);
}

Test(mkpst, exceptions)
{
	struct tpst t;
	struct tmsg *m, *e;
	struct recur r;
	const struct tprop *p;
	char *dir, *out, *s;
	size_t i;

	out = build("exceptions.ics", &dir, &t);
	cr_assert_eq(t.n, 1);
	m = t.v[0];
	decode_recur(m, &r);
	cr_expect_eq(r.freq, RECUR_FREQ_WEEKLY);
	cr_expect_eq(r.day_mask, 0x04);
	cr_expect_eq(r.count, 10);
	/* 03-19 cancelled; 03-26 moved to 03-27; 04-09 changed in place. */
	cr_assert_eq(r.ndeleted, 3);
	cr_expect_eq(recur_min_to_ft(r.deleted[0]), ft(2024, 3, 19, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.deleted[1]), ft(2024, 3, 26, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.deleted[2]), ft(2024, 4, 9, 0, 0));
	cr_assert_eq(r.nmodified, 2);
	cr_expect_eq(recur_min_to_ft(r.modified[0]), ft(2024, 3, 27, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.modified[1]), ft(2024, 4, 9, 0, 0));
	cr_assert_eq(r.nexcs, 2);
	cr_expect_eq(recur_min_to_ft(r.excs[0].start), ft(2024, 3, 27, 14, 0));
	cr_expect_eq(recur_min_to_ft(r.excs[0].orig_start),
	    ft(2024, 3, 26, 10, 0));
	cr_expect_eq(r.excs[0].flags, 0);
	cr_expect_eq(r.excs[1].flags, RECUR_ARO_SUBJECT | RECUR_ARO_LOCATION |
	    RECUR_ARO_BUSYSTATUS | RECUR_ARO_EXCEPTIONAL_BODY);
	cr_expect_str_eq(r.excs[1].subject,
	    "Weekly team meeting – budget special");
	cr_expect_str_eq(r.excs[1].location, "Board room");
	cr_expect_eq(r.excs[1].busy, 3);
	recur_free(&r);

	cr_assert_eq(m->natts, 2);
	cr_expect_eq(tag_int(&m->props, 0x0E1B), 1);
	for (i = 0; i < 2; i++) {
		cr_expect_eq(tag_int(&m->atts[i], 0x3705), 5);
		cr_expect_eq(tag_int(&m->atts[i], 0x7FFE), 1);
		cr_expect_eq(tag_int(&m->atts[i], 0x7FFD), 2);
		cr_assert_not_null(m->embs[i]);
		expect_str(&m->embs[i]->props, 0x001A,
		    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	}
	/* First: moved. Times in UTC on the message, local on the
	 * attachment (as Outlook writes them). */
	e = m->embs[0];
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x820D),
	    ft(2024, 3, 27, 13, 0));
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8228),
	    ft(2024, 3, 26, 9, 0));
	cr_expect_eq(tag_int(&m->atts[0], 0x7FF9), ft(2024, 3, 26, 10, 0));
	cr_expect_eq(tag_int(&m->atts[0], 0x7FFB), ft(2024, 3, 27, 14, 0));
	cr_expect_eq(tag_int(&m->atts[0], 0x7FFC), ft(2024, 3, 27, 15, 0));
	cr_expect_null(get_tag(&e->props, 0x0037));
	p = get_lid(&e->props, ps_meeting, 0x0003);
	cr_assert_not_null(p);
	cr_expect_eq(p->data[16], 0x07);
	cr_expect_eq(p->data[17], 0xE8);
	cr_expect_eq(p->data[18], 3);
	cr_expect_eq(p->data[19], 26);
	p = get_lid(&e->props, ps_meeting, 0x0023);
	cr_assert_not_null(p);
	cr_expect_eq(p->data[16] | p->data[17] | p->data[18] | p->data[19], 0);
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8206), 0);

	/* Second: changed in place after the DST switch (CEST). */
	e = m->embs[1];
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x820D),
	    ft(2024, 4, 9, 8, 0));
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x820E),
	    ft(2024, 4, 9, 10, 0));
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8228),
	    ft(2024, 4, 9, 8, 0));
	s = set_str(&e->props, 0x0E1D);
	cr_expect_str_eq(s, "Weekly team meeting – budget special");
	free(s);
	expect_lid_str(&e->props, ps_appt, 0x8208, "Board room");
	expect_str(&e->props, 0x1000, "Budget only this time.");
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8206), 1);
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8205), 3);
	cr_expect_eq(e->nrcpts, 3);
	cr_expect_eq(tag_int(rcpt(e, "carl@example.com"), 0x5FFF), 5);
	built_free(&t, out, dir);
}

Test(mkpst, duplicates)
{
	struct tpst t;
	struct tmsg *a, *b;
	const struct tprop *ga, *gb;
	char *dir, *out;

	out = build("duplicates.ics", &dir, &t);
	cr_assert_eq(t.n, 5);
	a = by_subject(&t, "Vendor demo", 0);
	b = by_subject(&t, "Vendor demo", 1);
	ga = get_lid(&a->props, ps_meeting, 0x0003);
	gb = get_lid(&b->props, ps_meeting, 0x0003);
	cr_assert_not_null(ga);
	cr_assert_not_null(gb);
	cr_expect_eq(ga->len, gb->len);
	cr_expect_eq(memcmp(ga->data, gb->data, ga->len), 0);
	expect_str(&a->props, 0x3FF8, "Quest Sync Agent");
	expect_str(&b->props, 0x3FF8, "Calendar Repair Assistant");
	expect_str(&b->props, 0x3FFA, "SVC-CRA");
	cr_expect_eq(tag_int(&a->props, 0x3007), ft(2024, 4, 15, 2, 0));
	cr_expect_eq(tag_int(&b->props, 0x3007), ft(2024, 4, 16, 3, 15));
	/* Separately created objects: search keys differ. */
	ga = get_tag(&a->props, 0x300B);
	gb = get_tag(&b->props, 0x300B);
	cr_assert_not_null(ga);
	cr_assert_not_null(gb);
	cr_expect_neq(memcmp(ga->data, gb->data, ga->len), 0);
	cr_expect_not_null(get_name(&a->props, "Keywords"));
	cr_expect_null(get_name(&b->props, "Keywords"));

	a = by_subject(&t, "Lunch with Sam", 0);
	b = by_subject(&t, "Lunch with Sam", 1);
	cr_expect_null(get_lid(&a->props, ps_meeting, 0x0003));
	cr_expect_null(get_lid(&b->props, ps_meeting, 0x0023));
	cr_expect_eq(lid_int(&a->props, ps_appt, 0x820D),
	    lid_int(&b->props, ps_appt, 0x820D));
	b = by_subject(&t, "Lunch with Sam", 2);
	cr_expect_eq(lid_int(&b->props, ps_appt, 0x820D),
	    ft(2024, 5, 29, 11, 0));
	built_free(&t, out, dir);
}

Test(mkpst, folders_and_mail)
{
	struct tpst t;
	struct tmsg *m;
	const struct tprop *p;
	char *dir, *out;

	out = build("folders.ics", &dir, &t);
	cr_assert_eq(t.n, 6);
	m = by_subject(&t, "In a sub-calendar", 0);
	cr_expect_str_eq(m->folder, "Calendar/Project X");
	cr_expect_str_eq(m->fclass, "IPF.Appointment");
	m = by_subject(&t, "Deleted appointment", 0);
	cr_expect_str_eq(m->folder, "Deleted Items");
	m = by_subject(&t, "Invitation: Offsite", 0);
	cr_expect_str_eq(m->folder, "Inbox");
	cr_expect_str_eq(m->fclass, "IPF.Note");
	expect_str(&m->props, 0x001A, "IPM.Schedule.Meeting.Request");
	m = by_subject(&t, "Welcome to your new mailbox", 0);
	cr_expect_str_eq(m->folder, "Inbox");
	expect_str(&m->props, 0x001A, "IPM.Note");
	expect_str(&m->props, 0x0C1A, "IT Helpdesk");
	cr_expect_null(get_lid(&m->props, ps_appt, 0x820D));
	cr_expect_eq(m->nrcpts, 1);
	cr_assert_eq(m->natts, 1);
	cr_expect_eq(tag_int(&m->atts[0], 0x3705), 1);
	expect_str(&m->atts[0], 0x3707, "readme.txt");
	p = get_tag(&m->atts[0], 0x3701);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, strlen("Migration notes\nline two"));
	cr_expect_eq(memcmp(p->data, "Migration notes\nline two", p->len), 0);
	m = by_subject(&t, "Ana's birthday", 0);
	cr_expect_str_eq(m->fclass, "IPF.Appointment.Birthday");
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 1);
	built_free(&t, out, dir);
}

/* X-PST-RTF:html-only / text-only: the RTF stands alone. */
Test(mkpst, rtf_only_bodies)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:text\r\n"
	    "DTSTART:20240101T100000Z\r\nDESCRIPTION:Plain words\r\n"
	    "X-PST-RTF:text-only\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
	    "SUMMARY:html\r\nDTSTART:20240102T100000Z\r\n"
	    "X-ALT-DESC;FMTTYPE=text/html:<p>Marked up</p>\r\n"
	    "X-PST-RTF:html-only\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct tpst t;
	struct tmsg *m;
	const struct tprop *p;
	char *dir, *pst, *rtf, *cause = NULL;
	size_t rtflen;

	pst = tu_mkpst_dir(text, &dir);
	load(pst, &t);
	cr_assert_eq(t.n, 2);
	m = by_subject(&t, "text", 0);
	cr_expect_null(get_tag(&m->props, 0x1000));
	cr_expect_null(get_tag(&m->props, 0x1013));
	cr_assert_not_null(p = get_tag(&m->props, 0x1009));
	cr_assert_eq(rtf_decompress(p->data, p->len, &rtf, &rtflen, &cause),
	    0, "%s", cause);
	cr_expect_not_null(strstr(rtf, "Plain words"), "%s", rtf);
	cr_expect_null(strstr(rtf, "\\fromhtml1"), "%s", rtf);
	free(rtf);
	m = by_subject(&t, "html", 0);
	cr_expect_null(get_tag(&m->props, 0x1000));
	cr_expect_null(get_tag(&m->props, 0x1013));
	cr_assert_not_null(p = get_tag(&m->props, 0x1009));
	cr_assert_eq(rtf_decompress(p->data, p->len, &rtf, &rtflen, &cause),
	    0, "%s", cause);
	cr_expect_not_null(strstr(rtf, "{\\*\\htmltag64 <p>Marked up</p>}"),
	    "%s", rtf);
	free(rtf);
	tpst_free(&t);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

Test(mkpst, traps)
{
	struct tpst t;
	struct tmsg *m;
	struct recur r;
	const struct tprop *p;
	char *dir, *out, *cause = NULL;

	out = build("traps.ics", &dir, &t);
	cr_assert_eq(t.n, 6);
	m = by_subject(&t, "GUID confusion trap", 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 7, 1, 8, 0));
	cr_expect_eq(lid_int(&m->props, ps_common, 0x820D),
	    ft(2001, 1, 1, 0, 0));
	cr_expect_eq(tag_int(&m->props, 0x3FDE), 65001);
	p = get_name(&m->props, "X-Fixture-Tag");
	cr_assert_not_null(p);
	cr_expect_eq(memcmp(p->guid, ps_public, 16), 0);

	m = by_subject(&t, "Truncated recurrence blob", 0);
	p = get_lid(&m->props, ps_appt, 0x8216);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, 20);
	memset(&r, 0, sizeof r);
	cr_expect_eq(recur_decode(p->data, p->len, &r, &cause), -1);
	free(cause);
	cause = NULL;

	m = by_subject(&t, "Recurrence blob with a lying count", 0);
	p = get_lid(&m->props, ps_appt, 0x8216);
	cr_assert_not_null(p);
	memset(&r, 0, sizeof r);
	cr_expect_eq(recur_decode(p->data, p->len, &r, &cause), -1);
	free(cause);
	cause = NULL;

	m = by_subject(&t, "Truncated time zone blobs", 0);
	p = get_lid(&m->props, ps_appt, 0x8233);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, 20);
	p = get_lid(&m->props, ps_appt, 0x8260);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, 10);

	m = by_subject(&t, "Explicit GOIDs that disagree", 0);
	expect_hex(get_lid(&m->props, ps_meeting, 0x0003),
	    "040000008200E00074C5B7101A82E008000000000000000000000000000000"
	    "00000000001500000076" "43616C2D55696401000000643962356433666400");
	expect_hex(get_lid(&m->props, ps_meeting, 0x0023),
	    "040000008200E00074C5B7101A82E00800000000F0E0D0C0B0A0C901000000"
	    "0000000000100000000102030405060708090A0B0C0D0E0F10");

	m = by_subject(&t, "No UID at all", 0);
	cr_expect_null(get_lid(&m->props, ps_meeting, 0x0003));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8213), 45);
	built_free(&t, out, dir);
}

/* test_recur_encode.c: recurrence encoding round trips, RRULE
 * shapes, EXDATEs, equality and minute conversions. */
#include <criterion/criterion.h>
#include <libpff.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft.h"
#include "recur.h"
#include "xmalloc.h"
#include "testutil.h"
#include "recur_util.h"
#include "tz.h"

/* A series of a given shape, starting at start, ending after 10. */
static struct recur
shape(uint16_t freq, uint16_t pattern, uint32_t period, uint32_t start)
{
	struct recur r;

	memset(&r, 0, sizeof r);
	r.freq = freq;
	r.pattern = pattern;
	r.period = period;
	r.start_date = start;
	r.end_type = RECUR_END_COUNT;
	r.count = 10;
	r.start_offset = 600;
	r.end_offset = 660;
	r.writer_version2 = 0x3009;
	return r;
}

static void
assert_roundtrip(const struct recur *in)
{
	struct recur out;
	uint8_t *blob;
	size_t len, i;
	char *cause = NULL;

	cr_assert_eq(recur_encode(in, &blob, &len, &cause), 0, "%s",
	    cause ? cause : "");
	cr_assert_eq(recur_decode(blob, len, &out, &cause), 0, "%s",
	    cause ? cause : "");
	cr_assert(recur_equal(in, &out));
	cr_assert(recur_equal(&out, in));
	cr_assert_eq(out.freq, in->freq);
	cr_assert_eq(out.cal_type, in->cal_type);
	cr_assert_eq(out.count, in->count);
	cr_assert_eq(out.end_date, in->end_date);
	cr_assert_eq(out.first_dow, in->first_dow);
	cr_assert_eq(out.day_mask, in->day_mask);
	cr_assert_eq(out.nth, in->nth);
	cr_assert_eq(out.day_of_month, in->day_of_month);
	cr_assert_eq(out.writer_version2, in->writer_version2);
	if (in->first_datetime != 0)
		cr_assert_eq(out.first_datetime, in->first_datetime);
	for (i = 0; i < in->nexcs; i++) {
		cr_assert_eq(out.excs[i].meeting_type,
		    in->excs[i].flags & RECUR_ARO_MEETINGTYPE ?
		    in->excs[i].meeting_type : 0);
		if (in->excs[i].flags & RECUR_ARO_SUBJECT)
			cr_assert_str_eq(out.excs[i].subject,
			    in->excs[i].subject ? in->excs[i].subject : "");
		if (in->excs[i].flags & RECUR_ARO_LOCATION)
			cr_assert_str_eq(out.excs[i].location,
			    in->excs[i].location ? in->excs[i].location : "");
	}
	free(blob);
	recur_free(&out);
}

/* assert_roundtrip() of r as written by writer version wv. */
static void
assert_roundtrip_wv(struct recur *r, uint16_t wv)
{
	r->writer_version2 = wv;
	assert_roundtrip(r);
}

Test(recur, roundtrip_shapes)
{
	struct recur r;
	uint32_t start = day(2021, 3, 15);
	uint32_t deleted[3], modified[2];
	struct recur_exception excs[2];
	uint16_t wv;

	for (wv = 0x3008; wv <= 0x3009; wv++) {
		r = shape(RECUR_FREQ_DAILY, RECUR_PAT_DAY, 2 * 1440, start);
		r.end_date = start + 18 * 1440;
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_DAILY, RECUR_PAT_WEEK, 1, start);
		r.day_mask = 0x3e;
		r.end_date = day(2021, 3, 26);
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 3, start);
		r.day_mask = 0x2a;
		r.first_dow = 1;
		r.end_type = RECUR_END_DATE;
		r.end_date = day(2021, 12, 31);
		r.count = 33;
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTH, 2, start);
		r.day_of_month = 31;
		r.end_type = RECUR_END_NEVER;
		r.end_date = RECUR_NO_END_DATE;
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHEND, 1, start);
		r.day_of_month = 31;
		r.end_type = 0xFFFFFFFF;
		r.end_date = RECUR_NO_END_DATE;
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHNTH, 1, start);
		r.day_mask = 0x08;
		r.nth = 5;
		r.end_date = day(2021, 12, 29);
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_YEARLY, RECUR_PAT_MONTH, 12, start);
		r.day_of_month = 15;
		r.end_date = day(2030, 3, 15);
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_YEARLY, RECUR_PAT_MONTHNTH, 24, start);
		r.day_mask = 0x10;
		r.nth = 4;
		r.cal_type = 1;
		r.end_date = day(2039, 3, 24);
		assert_roundtrip_wv(&r, wv);

		r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_HJMONTH, 1, start);
		r.cal_type = 6;
		r.day_of_month = 10;
		r.end_date = day(2021, 12, 1);
		r.first_datetime = 12345;
		assert_roundtrip_wv(&r, wv);

		/* With deletions and exceptions carrying every override. */
		r = shape(RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, start);
		r.day_mask = 0x02;
		r.end_date = day(2021, 5, 17);
		deleted[0] = day(2021, 3, 22);
		deleted[1] = day(2021, 3, 29);
		deleted[2] = day(2021, 4, 5);
		modified[0] = day(2021, 3, 30);
		modified[1] = day(2021, 4, 5);
		r.deleted = deleted;
		r.ndeleted = 3;
		r.modified = modified;
		r.nmodified = 2;
		memset(excs, 0, sizeof excs);
		excs[0].orig_start = day(2021, 3, 29) + 600;
		excs[0].start = day(2021, 3, 30) + 720;
		excs[0].end = day(2021, 3, 30) + 780;
		excs[0].flags = 0x3ff;
		excs[0].subject = (char *)"Caf\xc3\xa9 \xe2\x82\xac "
		    "\xf0\x9f\x8e\x89 planning";
		excs[0].location = (char *)"Room \xe6\x9d\xb1";
		excs[0].meeting_type = 1;
		excs[0].reminder_delta = 30;
		excs[0].reminder_set = 1;
		excs[0].busy = 3;
		excs[0].attachment = 1;
		excs[0].subtype = 0;
		excs[0].color = 7;
		excs[1].orig_start = day(2021, 4, 5) + 600;
		excs[1].start = day(2021, 4, 5) + 540;
		excs[1].end = day(2021, 4, 5) + 570;
		excs[1].flags = RECUR_ARO_LOCATION | RECUR_ARO_BUSYSTATUS;
		excs[1].location = (char *)"";
		excs[1].busy = 0;
		r.excs = excs;
		r.nexcs = 2;
		assert_roundtrip_wv(&r, wv);
	}
}

Test(recur, cp1252_fallback)
{
	struct recur r, back;
	struct recur_exception e;
	uint8_t *blob;
	size_t len;
	char *cause = NULL;

	/* Encode with a subject, then cut the ExtendedException part off
	 * and patch the 8-bit subject: the decoder must use it. */
	r = shape(RECUR_FREQ_DAILY, RECUR_PAT_DAY, 1440, day(2020, 1, 6));
	r.end_date = day(2020, 1, 15);
	memset(&e, 0, sizeof e);
	e.orig_start = day(2020, 1, 7) + 600;
	e.start = e.orig_start;
	e.end = e.orig_start + 60;
	e.flags = RECUR_ARO_SUBJECT;
	e.subject = (char *)"cafe x";
	r.excs = &e;
	r.nexcs = 1;
	r.ndeleted = 1;
	r.deleted = &e.orig_start;
	cr_assert_eq(recur_encode(&r, &blob, &len, &cause), 0);
	/* Layout: the 8-bit text is "cafe x" followed by ReservedBlock1. */
	{
		uint8_t *p = memmem(blob, len, "cafe x", 6);

		cr_assert_not_null(p);
		p[3] = 0xe9;	/* é */
		p[5] = 0x80;	/* € */
		len = (size_t)(p - blob) + 6 + 4;
	}
	cr_assert_eq(recur_decode(blob, len, &back, &cause), 0, "%s",
	    cause ? cause : "");
	cr_assert_str_eq(back.excs[0].subject, "caf\xc3\xa9 \xe2\x82\xac");
	recur_free(&back);
	free(blob);
}

/* r encoded and decoded again into back (freed by the caller). */
static void
encode_decode(const struct recur *r, struct recur *back)
{
	uint8_t *blob;
	size_t len;
	char *cause = NULL;

	cr_assert_eq(recur_encode(r, &blob, &len, &cause), 0);
	cr_assert_eq(recur_decode(blob, len, back, &cause), 0);
	free(blob);
}

Test(recur, encoder_fills_derived_fields)
{
	struct recur r, back;

	/* Every Tuesday from 2016-08-02 until 2016-08-30: 5 occurrences. */
	r = shape(RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, day(2016, 8, 2));
	r.day_mask = 0x04;
	r.end_type = RECUR_END_DATE;
	r.end_date = day(2016, 8, 30);
	r.count = 0;
	encode_decode(&r, &back);
	cr_assert_eq(back.count, 5);
	cr_assert_eq(back.first_datetime, 8640);
	recur_free(&back);

	/* Ten Tuesdays: the last is 2016-10-04. */
	r.end_type = RECUR_END_COUNT;
	r.count = 10;
	r.end_date = 0;
	encode_decode(&r, &back);
	cr_assert_eq(back.end_date, day(2016, 10, 4));
	recur_free(&back);

	/* No end: Outlook's count 10 and end date 4500-08-31; writer
	 * version defaults to 0x3009. */
	r.end_type = RECUR_END_NEVER;
	r.count = 0;
	r.end_date = 0;
	r.writer_version2 = 0;
	encode_decode(&r, &back);
	cr_assert_eq(back.count, 10);
	cr_assert_eq(back.end_date, RECUR_NO_END_DATE);
	cr_assert_eq(back.writer_version2, 0x3009);
	recur_free(&back);

	/* Monthly on the 31st, 4 times from January 2021: Jan 31, Feb 28,
	 * Mar 31, Apr 30. FirstDateTime: month 0 of the period. */
	r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTH, 1, day(2021, 1, 31));
	r.day_of_month = 31;
	r.count = 4;
	encode_decode(&r, &back);
	cr_assert_eq(back.end_date, day(2021, 4, 30));
	cr_assert_eq(back.first_datetime, 0);
	recur_free(&back);

	/* Yearly in March (every 12 months): FirstDateTime is March 1601. */
	r = shape(RECUR_FREQ_YEARLY, RECUR_PAT_MONTH, 12, day(2021, 3, 17));
	r.day_of_month = 17;
	r.count = 3;
	encode_decode(&r, &back);
	cr_assert_eq(back.first_datetime, 59 * 1440);
	cr_assert_eq(back.end_date, day(2023, 3, 17));
	recur_free(&back);

	/* Last Wednesday, 3 times from 2021-03-15. */
	r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHNTH, 1, day(2021, 3, 15));
	r.day_mask = 0x08;
	r.nth = 5;
	r.count = 3;
	encode_decode(&r, &back);
	cr_assert_eq(back.end_date, day(2021, 5, 26));
	recur_free(&back);

	/* Every 2 days: FirstDateTime = StartDate % Period. */
	r = shape(RECUR_FREQ_DAILY, RECUR_PAT_DAY, 2880, day(2021, 3, 15));
	r.count = 3;
	encode_decode(&r, &back);
	cr_assert_eq(back.first_datetime, day(2021, 3, 15) % 2880);
	cr_assert_eq(back.end_date, day(2021, 3, 19));
	recur_free(&back);
}

static void
assert_rrule(const struct recur *r, const struct tz_rule *rule, int all_day,
    const char *want)
{
	char *s = NULL, *cause = NULL;

	cr_assert_eq(recur_rrule(r, rule, all_day, &s, &cause), 0, "%s",
	    cause ? cause : "");
	cr_assert_str_eq(s, want);
	free(s);
}

Test(recur, rrule_shapes)
{
	struct recur r;
	struct tz_rule pst;
	char *s, *cause = NULL;

	cr_assert_eq(tz_decode_reg(pacific_reg, 48, &pst, &cause), 0);

	r = shape(RECUR_FREQ_DAILY, RECUR_PAT_DAY, 2880, day(2021, 3, 15));
	assert_rrule(&r, NULL, 0, "FREQ=DAILY;INTERVAL=2;COUNT=10");

	r = shape(RECUR_FREQ_DAILY, RECUR_PAT_WEEK, 1, day(2021, 3, 15));
	r.day_mask = 0x3e;
	r.end_type = RECUR_END_NEVER;
	assert_rrule(&r, NULL, 0,
	    "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;WKST=SU");

	r = shape(RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 2, day(2021, 3, 15));
	r.day_mask = 0x41;
	r.first_dow = 1;
	assert_rrule(&r, NULL, 0,
	    "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,SA;WKST=MO;COUNT=10");

	r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTH, 1, day(2021, 3, 15));
	r.day_of_month = 15;
	assert_rrule(&r, NULL, 0, "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15;"
	    "COUNT=10");
	r.day_of_month = 31;
	r.period = 3;
	assert_rrule(&r, NULL, 0, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1;"
	    "COUNT=10");
	r.pattern = RECUR_PAT_MONTHEND;
	r.day_of_month = 0;
	assert_rrule(&r, NULL, 0, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1;"
	    "COUNT=10");

	r = shape(RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHNTH, 1, day(2021, 3, 15));
	r.day_mask = 0x02;
	r.nth = 2;
	assert_rrule(&r, NULL, 0, "FREQ=MONTHLY;INTERVAL=1;BYDAY=MO;"
	    "BYSETPOS=2;COUNT=10");
	r.nth = 5;
	r.day_mask = 0x3e;
	assert_rrule(&r, NULL, 0, "FREQ=MONTHLY;INTERVAL=1;"
	    "BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=10");

	r = shape(RECUR_FREQ_YEARLY, RECUR_PAT_MONTH, 12, day(2021, 8, 13));
	r.day_of_month = 13;
	r.end_type = RECUR_END_NEVER;
	assert_rrule(&r, NULL, 0,
	    "FREQ=YEARLY;INTERVAL=1;BYMONTH=8;BYMONTHDAY=13");

	r = shape(RECUR_FREQ_YEARLY, RECUR_PAT_MONTHNTH, 24, day(2021, 11, 25));
	r.day_mask = 0x10;
	r.nth = 4;
	assert_rrule(&r, NULL, 0, "FREQ=YEARLY;INTERVAL=2;BYMONTH=11;BYDAY=TH;"
	    "BYSETPOS=4;COUNT=10");

	/* UNTIL: last start 2016-08-30 08:00 PDT = 15:00Z. */
	r = shape(RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, day(2016, 8, 2));
	r.day_mask = 0x04;
	r.end_type = RECUR_END_DATE;
	r.end_date = day(2016, 8, 30);
	r.start_offset = 480;
	assert_rrule(&r, &pst, 0, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU;"
	    "UNTIL=20160830T150000Z");
	/* In winter, PST: 16:00Z. */
	r.end_date = day(2016, 12, 27);
	assert_rrule(&r, &pst, 0, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU;"
	    "UNTIL=20161227T160000Z");
	/* Minutes already UTC. */
	assert_rrule(&r, NULL, 0, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU;"
	    "UNTIL=20161227T080000Z");
	/* All-day: a DATE. */
	r.start_offset = 0;
	assert_rrule(&r, &pst, 1, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU;"
	    "UNTIL=20161227");

	/* Non-Gregorian calendars and Hijri patterns are refused. */
	r.cal_type = 6;
	s = NULL;
	cr_assert_eq(recur_rrule(&r, NULL, 0, &s, &cause), -1);
	cr_assert_not_null(cause);
	cr_assert_null(s);
	free(cause);
	cr_assert_not(recur_is_gregorian(&r));
	r.cal_type = 0;
	cr_assert(recur_is_gregorian(&r));
	r.pattern = RECUR_PAT_HJMONTHNTH;
	cr_assert_not(recur_is_gregorian(&r));
	cause = NULL;
	cr_assert_eq(recur_rrule(&r, NULL, 0, &s, &cause), -1);
	free(cause);

	/* Nonsense that cannot be expressed. */
	r = shape(RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, day(2016, 8, 2));
	r.day_mask = 0;
	cause = NULL;
	cr_assert_eq(recur_rrule(&r, NULL, 0, &s, &cause), -1);
	free(cause);
}

Test(recur, exdates_skip_moved_instances)
{
	struct recur r;
	struct recur_exception e;
	uint32_t deleted[2], modified[1], *ex;
	size_t n;

	/* Tuesday 9th deleted; Wednesday 10th moved onto Tuesday 16th. The
	 * modified date coincides with nothing deleted, the EXDATE is the
	 * 9th only. */
	r = shape(RECUR_FREQ_DAILY, RECUR_PAT_DAY, 1440, day(2016, 8, 1));
	r.start_offset = 480;
	deleted[0] = day(2016, 8, 9);
	deleted[1] = day(2016, 8, 10);
	modified[0] = day(2016, 8, 16);
	memset(&e, 0, sizeof e);
	e.orig_start = day(2016, 8, 10) + 480;
	e.start = day(2016, 8, 16) + 600;
	e.end = e.start + 30;
	r.deleted = deleted;
	r.ndeleted = 2;
	r.modified = modified;
	r.nmodified = 1;
	r.excs = &e;
	r.nexcs = 1;
	ex = recur_exdates(&r, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(ex[0], day(2016, 8, 9) + 480);
	free(ex);

	/* Nothing deleted: nothing returned. */
	r.ndeleted = 0;
	ex = recur_exdates(&r, &n);
	cr_assert_eq(n, 0);
	cr_assert_null(ex);
}

Test(recur, equality)
{
	struct recur a, b;
	char *cause = NULL;

	cr_assert_eq(recur_decode(distlist_recur, sizeof distlist_recur, &a,
	    &cause), 0);
	cr_assert_eq(recur_decode(distlist_recur, sizeof distlist_recur, &b,
	    &cause), 0);
	cr_assert(recur_equal(&a, &b));
	/* Derived or irrelevant fields do not matter. */
	b.first_datetime = 0;
	b.writer_version2 = 0x3008;
	b.count = 99;
	b.end_type = 0xFFFFFFFF;
	b.day_of_month = 5;
	cr_assert(recur_equal(&a, &b));
	b.deleted[0] += 1440;
	cr_assert_not(recur_equal(&a, &b));
	b.deleted[0] -= 1440;
	b.excs[1].start += 30;
	cr_assert_not(recur_equal(&a, &b));
	b.excs[1].start -= 30;
	b.excs[1].flags |= RECUR_ARO_SUBJECT;
	cr_assert_not(recur_equal(&a, &b));
	b.excs[1].flags = a.excs[1].flags;
	b.day_mask = 0x08;
	cr_assert_not(recur_equal(&a, &b));
	b.day_mask = a.day_mask;
	b.end_offset = 540;
	cr_assert_not(recur_equal(&a, &b));
	b.end_offset = a.end_offset;
	b.end_type = RECUR_END_COUNT;
	cr_assert_not(recur_equal(&a, &b));
	recur_free(&a);
	recur_free(&b);
}

Test(recur, subject_override_equality)
{
	struct recur a, b;
	struct recur_exception ea, eb;

	a = shape(RECUR_FREQ_DAILY, RECUR_PAT_DAY, 1440, day(2020, 1, 6));
	b = a;
	memset(&ea, 0, sizeof ea);
	ea.flags = RECUR_ARO_SUBJECT;
	ea.subject = (char *)"One";
	eb = ea;
	eb.subject = (char *)"Two";
	a.excs = &ea;
	b.excs = &eb;
	a.nexcs = b.nexcs = 1;
	cr_assert_not(recur_equal(&a, &b));
	eb.subject = (char *)"One";
	cr_assert(recur_equal(&a, &b));
}

Test(recur, minute_conversions)
{
	cr_assert_eq(recur_min_to_ft(0), 0);
	cr_assert_eq(recur_min_to_ft(1), 600000000LL);
	cr_assert_eq(recur_ft_to_min(recur_min_to_ft(day(2016, 8, 2))),
	    day(2016, 8, 2));
	cr_assert_eq(recur_ft_to_min(600000000LL * 5 + 599999999LL), 5);
	cr_assert_eq(recur_ft_to_min(-5), 0);
	cr_assert_eq(recur_ft_to_min(INT64_MAX), UINT32_MAX);
	cr_assert_eq(recur_min_to_ft(RECUR_NO_END_DATE),
	    (int64_t)RECUR_NO_END_DATE * 600000000LL);
}

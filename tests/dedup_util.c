/* dedup_util.c: helpers shared by the dedup test programs
 * (test_dedup*.c), moved out of test_dedup.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "dedup.h"
#include "ft.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "testutil.h"
#include "dedup_util.h"
#include "writer.h"
#include "xmalloc.h"

const uint8_t goid_prefix[16] = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00,
    0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};

int64_t
ft(int64_t unix_sec)
{
	return ft_from_unix(unix_sec);
}

/* A timed single item; created times increase with the id. */
struct appt *
mk(struct appt_list *l, const char *subject, int64_t start, int minutes)
{
	struct appt *a = appt_new();

	a->id = 1000 + l->n;
	a->subject = subject ? xstrdup(subject) : NULL;
	a->start = ft(start);
	a->end = ft(start + 60LL * minutes);
	a->all_day = 0;
	a->recurring = 0;
	a->created = ft(T0 - 30 * DAY + (int64_t)l->n * 60);
	appt_list_push(l, a);
	return a;
}

/* A 56-byte GOID in Outlook's GUID form; tag picks the GUID. */
void
goid_bytes(uint8_t *g, int tag, int year)
{
	memset(g, 0, 56);
	memcpy(g, goid_prefix, 16);
	if (year != 0) {
		g[16] = (uint8_t)(year >> 8);
		g[17] = (uint8_t)year;
		g[18] = 3;
		g[19] = 5;
	}
	g[36] = 16;
	memset(g + 40, tag, 16);
}

void
set_clean(struct appt *a, int tag)
{
	uint8_t g[56];

	goid_bytes(g, tag, 0);
	appt_blob_set(&a->goid, g, sizeof g);
	appt_blob_set(&a->clean_goid, g, sizeof g);
}

/* mk() of one copy of the meeting whose clean GOID tag picks. */
struct appt *
mk_clean(struct appt_list *l, const char *subject, int64_t start, int minutes,
    int tag)
{
	struct appt *a = mk(l, subject, start, minutes);

	set_clean(a, tag);
	return a;
}

void
run(struct appt_list *l, const struct dedup_opts *o, struct dedup_result *r)
{
	char *cause = NULL;
	size_t i, sum = 0;

	cr_assert_eq(dedup_run(l, o, r, &cause), 0, "%s", cause);
	cr_assert_eq(r->nitems, l->n);
	cr_assert_eq(r->kept + r->removed, l->n);
	/* Every removed item points at a kept one listed with it. */
	for (i = 0; i < l->n; i++) {
		if (r->dup_of[i] == DEDUP_KEPT)
			continue;
		sum++;
		cr_assert_lt(r->dup_of[i], l->n);
		cr_assert_eq(r->dup_of[r->dup_of[i]], DEDUP_KEPT);
	}
	cr_assert_eq(sum, r->removed);
	/* Groups to review first, then by survivor; every group says
	 * what decided it, and only undecided ones ask for review. */
	for (i = 1; i < r->ngroups; i++)
		cr_assert(r->groups[i - 1].review > r->groups[i].review ||
		    (r->groups[i - 1].review == r->groups[i].review &&
		    r->groups[i - 1].members[0] < r->groups[i].members[0]));
	for (i = 0; i < r->ngroups; i++) {
		cr_assert_eq(r->groups[i].review,
		    r->groups[i].rule == DEDUP_RULE_UNDECIDED);
		cr_assert_not_null(r->groups[i].why);
		cr_assert_eq(r->dup_of[r->groups[i].members[0]], DEDUP_KEPT);
	}
}

/* Weekly on Tuesdays from 2024-03-05 09:00, 10 times, local = UTC. */
void
set_weekly_v(
    struct appt *a, const uint32_t *deleted, size_t ndeleted, uint32_t version)
{
	struct recur rc;
	uint32_t del[8];
	uint8_t *blob;
	size_t len;
	char *cause = NULL;

	cr_assert_leq(ndeleted, 8);
	memset(&rc, 0, sizeof rc);
	rc.freq = RECUR_FREQ_WEEKLY;
	rc.pattern = RECUR_PAT_WEEK;
	rc.period = 1;
	rc.day_mask = 1u << 2;
	rc.end_type = RECUR_END_COUNT;
	rc.count = 10;
	rc.start_date = recur_ft_to_min(ft(T0 - 9 * 3600));
	rc.end_date = rc.start_date + 9 * 7 * 1440;
	rc.start_offset = 540;
	rc.end_offset = 570;
	rc.writer_version2 = version;
	if (ndeleted > 0)
		memcpy(del, deleted, ndeleted * sizeof *del);
	rc.deleted = del;
	rc.ndeleted = ndeleted;
	cr_assert_eq(recur_encode(&rc, &blob, &len, &cause), 0, "%s", cause);
	appt_blob_set(&a->recur, blob, len);
	free(blob);
	a->recurring = 1;
}

void
set_weekly(struct appt *a, const uint32_t *deleted, size_t ndeleted)
{
	set_weekly_v(a, deleted, ndeleted, 0x3009);
}

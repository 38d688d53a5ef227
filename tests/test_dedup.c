/* test_dedup.c: duplicate keys, survivors, conflicts and normalization. */
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
#include "writer.h"
#include "xmalloc.h"

#define T0 1709629200LL /* 2024-03-05 09:00:00Z */
#define DAY 86400LL

static const uint8_t goid_prefix[16] = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00,
    0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};

static int64_t
ft(int64_t unix_sec)
{
	return ft_from_unix(unix_sec);
}

/* A timed single item; created times increase with the id. */
static struct appt *
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
static void
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

static void
set_clean(struct appt *a, int tag)
{
	uint8_t g[56];

	goid_bytes(g, tag, 0);
	appt_blob_set(&a->goid, g, sizeof g);
	appt_blob_set(&a->clean_goid, g, sizeof g);
}

/* mk() of one copy of the meeting whose clean GOID tag picks. */
static struct appt *
mk_clean(struct appt_list *l, const char *subject, int64_t start, int minutes,
    int tag)
{
	struct appt *a = mk(l, subject, start, minutes);

	set_clean(a, tag);
	return a;
}

static void
set_org(struct appt *a, const char *name, const char *email)
{
	free(a->org_name);
	free(a->org_email);
	a->org_name = name ? xstrdup(name) : NULL;
	a->org_email = email ? xstrdup(email) : NULL;
}

static void
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

/* Group of the given kind holding item i, or NULL. */
static const struct dedup_group *
group_of(const struct dedup_result *r, size_t i, enum dedup_kind kind)
{
	size_t g, k;

	for (g = 0; g < r->ngroups; g++) {
		if (r->groups[g].kind != kind)
			continue;
		for (k = 0; k < r->groups[g].n; k++) {
			if (r->groups[g].members[k] == i)
				return &r->groups[g];
		}
	}
	return NULL;
}

static void
assert_members(const struct dedup_group *g, size_t n, const size_t *want)
{
	size_t k;

	cr_assert_not_null(g);
	cr_assert_eq(g->n, n, "group has %zu members, want %zu", g->n, n);
	for (k = 0; k < n; k++)
		cr_assert_eq(g->members[k], want[k], "member %zu: %zu != %zu",
		    k, g->members[k], want[k]);
}

/* Weekly on Tuesdays from 2024-03-05 09:00, 10 times, local = UTC. */
static void
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

static void
set_weekly(struct appt *a, const uint32_t *deleted, size_t ndeleted)
{
	set_weekly_v(a, deleted, ndeleted, 0x3009);
}

Test(dedup, same_meeting_by_clean_goid)
{
	struct appt_list l;
	struct dedup_result r;
	const struct dedup_group *g;
	struct appt *b;
	size_t want[] = {1, 0};

	appt_list_init(&l);
	mk_clean(&l, "Weekly sync", T0, 30, 0x11);
	b = mk_clean(&l, "Weekly sync", T0, 30, 0x11);
	b->body = xstrdup("agenda");	     /* more complete */
	mk(&l, "Weekly sync", T0 + DAY, 30); /* other day, no GOID */
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	g = &r.groups[0];
	cr_assert_eq(g->kind, DEDUP_SAME_MEETING);
	assert_members(g, 2, want);
	cr_assert_eq(r.dup_of[0], 1);
	cr_assert_eq(r.dup_of[1], DEDUP_KEPT);
	cr_assert_eq(r.dup_of[2], DEDUP_KEPT);
	cr_assert_eq(r.kept, 2);
	cr_assert_eq(r.removed, 1);
	cr_assert_eq(r.conflicts, 0);
	cr_assert_str_eq(g->key, "CleanGlobalObjectId "
	    "040000008200E00074C5B7101A82E008"
	    "00000000"
	    "0000000000000000"
	    "0000000000000000"
	    "10000000"
	    "11111111111111111111111111111111");
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, same_meeting_ignores_other_fields)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a;

	appt_list_init(&l);
	a = mk_clean(&l, "Test", T0, 30, 0x22);
	mk_clean(&l, "TEST ", T0, 30, 0x22);
	set_org(a, "Alice", "alice@example.com"); /* not in this key */
	a->location = xstrdup("Room 1");
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	cr_assert_eq(r.removed, 1);
	cr_assert_eq(r.dup_of[1], 0); /* a has a location */
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, same_id_seconds_apart_is_a_conflict)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a;

	/* Like the SampleOstFile pair: 21:54:25.745 vs 21:54:00. Full
	 * FILETIME resolution: not provably one occurrence, keep both. */
	appt_list_init(&l);
	a = mk(&l, "Test", T0, 30);
	mk(&l, "Test", T0, 30);
	a->start += 25 * FT_SEC + 7450000;
	a->end += 25 * FT_SEC + 7450000;
	set_clean(l.v[0], 0x22);
	set_clean(l.v[1], 0x22);
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_CONFLICT);
	cr_assert_eq(r.groups[0].n, 2);
	cr_assert_eq(r.conflicts, 1);
	cr_assert_eq(r.removed, 0);
	cr_assert_eq(r.kept, 2);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, goid_fallback_zeroes_instance_date)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;
	uint8_t g1[56], g2[56];
	const char *want = "GlobalObjectId "
	    "040000008200E00074C5B7101A82E008"
	    "00000000";

	appt_list_init(&l);
	a = mk(&l, "Planning", T0, 60);
	b = mk(&l, "Planning", T0, 60);
	goid_bytes(g1, 0x33, 2024);
	goid_bytes(g2, 0x33, 0);
	appt_blob_set(&a->goid, g1, sizeof g1);
	appt_blob_set(&b->goid, g2, sizeof g2);
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	cr_assert_eq(r.dup_of[1], 0);
	/* The instance date of the survivor's GOID shows as zeros. */
	cr_assert(strncmp(r.groups[0].key, want, strlen(want)) == 0, "%s",
	    r.groups[0].key);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, same_content_without_goid)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b, *c;
	size_t want[] = {0, 1, 2};

	appt_list_init(&l);
	a = mk(&l, "Weekly  Sync", T0, 30);
	b = mk(&l, " weekly sync\t", T0, 30);
	c = mk(&l, "WEEKLY\xC2\xA0SYNC", T0, 30);
	set_org(a, "A", "a@b.c");
	set_org(b, "Someone else", "A@B.C");
	set_org(c, NULL, " a@b.c ");
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_CONTENT);
	assert_members(&r.groups[0], 3, want);
	cr_assert_str_eq(r.groups[0].key,
	    "subject \"weekly sync\", "
	    "2024-03-05 09:00Z-09:30Z, organizer a@b.c");
	cr_assert_eq(r.dup_of[1], 0);
	cr_assert_eq(r.dup_of[2], 0);
	cr_assert_eq(r.removed, 2);
	dedup_result_free(&r);
	appt_list_free(&l);
}

/* Subjects that only full folding and NFC make equal are one meeting. */
Test(dedup, same_content_full_folding)
{
	struct appt_list l;
	struct dedup_result r;
	size_t want[] = {0, 1};

	appt_list_init(&l);
	mk(&l, "Besprechung Straße Café", T0, 30);
	mk(&l, "BESPRECHUNG STRASSE CAFE\u0301", T0, 30);
	mk(&l, "ＡＢＣ", T0 + 60, 30);
	mk(&l, "ａｂｃ", T0 + 60, 30);
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 2);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_CONTENT);
	assert_members(&r.groups[0], 2, want);
	cr_assert_str_eq(r.groups[0].key,
	    "subject \"besprechung strasse café\", "
	    "2024-03-05 09:00Z-09:30Z, no organizer");
	cr_assert_eq(r.removed, 2);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, same_content_across_different_goids)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;

	/* The CRA re-created the meeting with a new GOID. */
	appt_list_init(&l);
	a = mk_clean(&l, "Budget review", T0, 60, 0x41);
	b = mk_clean(&l, "Budget review", T0, 60, 0x42);
	set_org(a, "Boss", "boss@corp.example");
	set_org(b, "Boss", "boss@corp.example");
	a->creator = xstrdup("Quest Sync Agent");
	b->creator = xstrdup("Calendar Repair Assistant");
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_CONTENT);
	cr_assert_eq(r.dup_of[1], 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, content_key_by_name_all_day_and_days)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;

	appt_list_init(&l);
	a = mk(&l, "Offsite", T0 - 9 * 3600, 2 * 1440);
	b = mk(&l, "offsite", T0 - 9 * 3600, 2 * 1440);
	a->all_day = b->all_day = 1;
	set_org(a, "Jürgen Groß", NULL);
	set_org(b, "JÜRGEN GROß", NULL);
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_str_eq(r.groups[0].key,
	    "subject \"offsite\", "
	    "2024-03-05 00:00Z-2024-03-07 00:00Z, organizer jürgen gross, "
	    "all-day");
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, near_misses_do_not_group)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a;

	appt_list_init(&l);
	mk(&l, "Standup", T0, 15);
	mk(&l, "Standup", T0 + DAY, 15); /* other day */
	mk(&l, "Standup", T0 + 60, 14);	 /* other minute */
	mk(&l, "Standup", T0, 16);	 /* other end */
	a = mk(&l, "Standup", T0, 15);	 /* other organizer */
	set_org(a, "Bob", "bob@example.com");
	a = mk(&l, "Standup", T0, 15); /* all-day flag */
	a->all_day = 1;
	a = mk(&l, "Standup", T0, 15); /* a series */
	set_weekly(a, NULL, 0);
	mk(&l, "Stand-up", T0, 15);    /* other subject */
	a = mk(&l, "Standup", T0, 15); /* no start */
	a->start = APPT_NOTIME;
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 0);
	cr_assert_eq(r.kept, l.n);
	cr_assert_eq(r.removed, 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, location_only_with_option)
{
	struct appt_list l;
	struct dedup_result r;
	struct dedup_opts o = {DEDUP_POLICY_COMPLETE, NULL, NULL, 0};
	struct appt *a, *b;

	appt_list_init(&l);
	a = mk(&l, "Lunch", T0, 60);
	b = mk(&l, "Lunch", T0, 60);
	a->location = xstrdup("Cafe");
	b->location = xstrdup("Canteen");
	run(&l, &o, &r);
	cr_assert_eq(r.ngroups, 1);
	dedup_result_free(&r);
	o.location = 1;
	run(&l, &o, &r);
	cr_assert_eq(r.ngroups, 0);
	dedup_result_free(&r);
	free(b->location);
	b->location = xstrdup(" CAFE ");
	run(&l, &o, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_str_eq(r.groups[0].key,
	    "subject \"lunch\", "
	    "2024-03-05 09:00Z-10:00Z, no organizer, location \"cafe\"");
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, exception_inside_master_is_not_an_item)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *m, *m2, *x;
	size_t want[] = {1, 0};

	/* Two copies of a series; the second carries a modified occurrence
	 * with the same GOID and the master's times. Only the masters are
	 * items: one group of two, the copy with the exception kept. */
	appt_list_init(&l);
	m = mk_clean(&l, "Series", T0, 30, 0x55);
	m2 = mk_clean(&l, "Series", T0, 30, 0x55);
	set_weekly(m, NULL, 0);
	set_weekly(m2, NULL, 0);
	x = appt_new();
	set_clean(x, 0x55);
	x->subject = xstrdup("Series");
	x->start = m->start;
	x->end = m->end;
	m2->excs = xcalloc(1, sizeof *m2->excs);
	m2->excs[0].item = x;
	m2->nexcs = 1;
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	assert_members(&r.groups[0], 2, want);
	cr_assert_eq(r.nitems, 2);
	cr_assert_eq(r.kept, 1);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, series_and_single_same_goid_conflict)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *m;
	size_t want[] = {0, 1};

	/* An orphan instance next to its series: reported, both kept. */
	appt_list_init(&l);
	m = mk_clean(&l, "Series", T0, 30, 0x56);
	mk_clean(&l, "Series", T0, 30, 0x56);
	set_weekly(m, NULL, 0);
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_CONFLICT);
	assert_members(&r.groups[0], 2, want);
	cr_assert_eq(r.conflicts, 1);
	cr_assert_eq(r.removed, 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, conflict_keeps_variants_and_removes_exact_copies)
{
	struct appt_list l;
	struct dedup_result r;
	const struct dedup_group *g;
	struct appt *a;
	size_t i, conf[] = {2, 1, 3, 0};

	appt_list_init(&l);
	for (i = 0; i < 3; i++) {
		a = mk(&l, "Review", i == 1 ? T0 + 3600 : T0, 30);
		set_clean(a, 0x66);
	}
	a = mk(&l, "Review (moved)", T0, 30); /* subject differs */
	set_clean(a, 0x66);
	l.v[2]->categories = xcalloc(1, sizeof *l.v[2]->categories);
	l.v[2]->categories[0] = xstrdup("Blue");
	l.v[2]->ncategories = 1;
	a = mk(&l, "Review", T0 + 3600, 30); /* no GOID: left alone */
	run(&l, NULL, &r);
	/* One group: no revision data, so each variant's best copy is
	 * kept (2, the complete one, first), the exact copy 0 removed. */
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.conflicts, 1);
	cr_assert_eq(r.review, 1);
	g = group_of(&r, 1, DEDUP_CONFLICT);
	assert_members(g, 4, conf);
	cr_assert_eq(g->rule, DEDUP_RULE_UNDECIDED);
	cr_assert(g->review);
	cr_assert_null(g->older);
	cr_assert(strstr(g->key, ", 3 variants") != NULL, "%s", g->key);
	cr_assert(strstr(g->why, "no revision data") != NULL, "%s", g->why);
	cr_assert_eq(r.dup_of[0], 2);
	cr_assert_eq(r.kept, 4);
	cr_assert_eq(r.removed, 1);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, series_with_equal_recurrence_group)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b, *c;
	uint32_t d1[] = {0}, d2[] = {0};

	d1[0] = recur_ft_to_min(ft(T0 - 9 * 3600 + 7 * DAY));
	d2[0] = recur_ft_to_min(ft(T0 - 9 * 3600 + 14 * DAY));
	appt_list_init(&l);
	a = mk(&l, "Team", T0, 30);
	b = mk(&l, "Team", T0, 30);
	c = mk(&l, "Team", T0, 30);
	set_weekly(a, d1, 1);
	set_weekly(b, d1, 1);
	set_weekly(c, d2, 1); /* other EXDATE */
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_CONTENT);
	cr_assert_eq(r.dup_of[1], 0);
	cr_assert_eq(r.dup_of[2], DEDUP_KEPT);
	cr_assert(strstr(r.groups[0].key, ", series") != NULL);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, series_compare_decoded_not_bytes)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;

	/* Other writer version, other bytes, same pattern. */
	appt_list_init(&l);
	a = mk(&l, "Team", T0, 30);
	b = mk(&l, "Team", T0, 30);
	set_weekly_v(a, NULL, 0, 0x3009);
	set_weekly_v(b, NULL, 0, 0x3008);
	cr_assert_not(appt_blob_eq(&a->recur, &b->recur));
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.dup_of[1], 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, series_with_exdates_differing_by_goid_diverged)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;
	uint32_t d1[1];

	/* One series whose copies diverged: the one holding the user's
	 * deletion survives, even though b is more complete. */
	d1[0] = recur_ft_to_min(ft(T0 - 9 * 3600 + 7 * DAY));
	appt_list_init(&l);
	a = mk_clean(&l, "Team", T0, 30, 0x77);
	b = mk_clean(&l, "Team", T0, 30, 0x77);
	set_weekly(a, d1, 1);
	set_weekly(b, NULL, 0);
	b->body = xstrdup("agenda");
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_CHANGES);
	cr_assert_eq(r.groups[0].members[0], 0);
	cr_assert_eq(r.dup_of[1], 0);
	cr_assert_eq(r.conflicts, 0);
	cr_assert_eq(r.review, 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, undecodable_recurrence_compares_bytes)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a;
	size_t i;
	static const uint8_t junk1[] = {1, 2, 3}, junk2[] = {1, 2, 4};

	appt_list_init(&l);
	for (i = 0; i < 3; i++) {
		a = mk(&l, "Broken", T0, 30);
		a->recurring = 1;
		if (i < 2)
			appt_blob_set(&a->recur, junk1, sizeof junk1);
		else
			appt_blob_set(&a->recur, junk2, sizeof junk2);
	}
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].n, 2);
	cr_assert_eq(r.dup_of[1], 0);
	cr_assert_eq(r.dup_of[2], DEDUP_KEPT);
	dedup_result_free(&r);
	appt_list_free(&l);
}

/* Three copies of one meeting with distinct provenance. */
static void
trio(struct appt_list *l)
{
	struct appt *a, *b, *c;

	appt_list_init(l);
	a = mk(l, "Sync", T0, 30);
	b = mk(l, "Sync", T0, 30);
	c = mk(l, "Sync", T0, 30);
	a->creator = xstrdup("Quest Sync Agent");
	a->created = ft(T0 - 10 * DAY);
	b->creator = xstrdup("SVC-CRA");
	b->modifier = xstrdup("Calendar Repair Assistant");
	b->created = ft(T0 - 20 * DAY);
	b->body = xstrdup("Exchange re-created a meeting");
	b->reminder_set = 1;
	c->creator = xstrdup("Jane");
	c->created = ft(T0 - 5 * DAY);
}

static size_t
survivor(struct appt_list *l, enum dedup_policy p, const char *prefer,
    const char *avoid)
{
	struct dedup_opts o;
	struct dedup_result r;
	size_t s;

	o.policy = p;
	o.prefer = prefer;
	o.avoid = avoid;
	o.location = 0;
	run(l, &o, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].n, l->n);
	s = r.groups[0].members[0];
	cr_assert_eq(r.dup_of[s], DEDUP_KEPT);
	cr_assert_eq(r.kept, 1);
	dedup_result_free(&r);
	return s;
}

Test(dedup, survivor_policies)
{
	struct appt_list l;

	trio(&l);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, NULL, NULL), 1);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_OLDEST, NULL, NULL), 1);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_NEWEST, NULL, NULL), 2);
	/* The repair copy is avoided through its last modifier. */
	cr_assert_eq(
	    survivor(&l, DEDUP_POLICY_COMPLETE, NULL, "calendar REPAIR"), 0);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_NEWEST, "quest", NULL), 0);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_OLDEST, "nobody", "jane"), 1);
	/* Avoiding wins over preferring the same copy. */
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, "sync", "agent"), 1);
	/* Everyone avoided: the policy decides. */
	cr_assert_eq(survivor(&l, DEDUP_POLICY_NEWEST, NULL, "a"), 2);
	appt_list_free(&l);
}

Test(dedup, completeness_score_and_ties)
{
	struct appt_list l;
	struct appt *a, *b, *c;

	appt_list_init(&l);
	a = mk(&l, "X", T0, 30);
	b = mk(&l, "X", T0, 30);
	c = mk(&l, "X", T0, 30);
	/* Equal score: earliest creation, then lowest index. */
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, NULL, NULL), 0);
	a->created = b->created = c->created = APPT_NOTIME;
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, NULL, NULL), 0);
	b->created = ft(T0);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_OLDEST, NULL, NULL), 1);
	cr_assert_eq(survivor(&l, DEDUP_POLICY_NEWEST, NULL, NULL), 1);
	/* Each completeness point counts. */
	c->rcpts = xcalloc(1, sizeof *c->rcpts);
	c->nrcpts = 1;
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, NULL, NULL), 2);
	appt_blob_set(&a->tz_struct, "tz", 2);
	a->location = xstrdup("Here");
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, NULL, NULL), 0);
	b->excs = xcalloc(3, sizeof *b->excs);
	b->nexcs = 3;
	cr_assert_eq(survivor(&l, DEDUP_POLICY_COMPLETE, NULL, NULL), 1);
	appt_list_free(&l);
}

Test(dedup, five_thousand_copies)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a;
	size_t i, best = 2500;

	appt_list_init(&l);
	for (i = 0; i < 5000; i++) {
		a = mk(&l, "All hands", T0, 60);
		set_clean(a, 0x88);
		if (i == best)
			a->body = xstrdup("the one with notes");
	}
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].n, 5000);
	cr_assert_eq(r.groups[0].members[0], best);
	for (i = 1; i < 5000; i++) {
		cr_assert_eq(r.groups[0].members[i], i - (i <= best));
		cr_assert_eq(r.dup_of[r.groups[0].members[i]], best);
	}
	cr_assert_eq(r.removed, 4999);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, hundred_thousand_items)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a;
	char subj[32];
	size_t i;

	/* 50,000 distinct meetings, each twice: one GOID pair, one not. */
	appt_list_init(&l);
	for (i = 0; i < 100000; i++) {
		snprintf(subj, sizeof subj, "Meeting %zu", i / 2);
		a = mk(&l, subj, T0 + (int64_t)(i / 2 % 500) * 3600, 30);
		if (i / 2 % 2 == 0) {
			/* A distinct GOID per meeting. */
			set_clean(a, 0x99);
			memcpy(a->clean_goid.data + 40, &i, sizeof i);
			a->clean_goid.data[40] &= 0xFE;
		}
	}
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 50000);
	cr_assert_eq(r.removed, 50000);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	cr_assert_eq(r.groups[1].kind, DEDUP_SAME_CONTENT);
	for (i = 0; i < r.ngroups; i++) {
		cr_assert_eq(r.groups[i].members[0], 2 * i);
		cr_assert_eq(r.dup_of[2 * i + 1], 2 * i);
	}
	dedup_result_free(&r);
	appt_list_free(&l);
}

/* A list with every kind of group; item ids identify the copies. */
static void
mixed(struct appt_list *l, const size_t *order, size_t n)
{
	struct appt *v[12], *a;
	size_t i;

	appt_list_init(l);
	for (i = 0; i < n; i++) {
		a = appt_new();
		a->id = i;
		a->created = ft(T0 - (int64_t)i * 60);
		a->all_day = a->recurring = 0;
		v[i] = a;
	}
	for (i = 0; i < n; i++) {
		a = v[i];
		a->subject = xstrdup(i < 4 ? "Alpha" : i < 8 ? "Beta" :
		    "Gamma");
		a->start = ft(T0 + (i == 3 ? 3600 : 0) + (i >= 8 ? DAY : 0));
		a->end = a->start + ft(1800) - ft(0);
		if (i < 4)
			set_clean(a, 0x10);
		if (i == 5)
			set_clean(a, 0x20);
		if (i == 11)
			a->start += 60 * FT_SEC;
	}
	for (i = 0; i < n; i++)
		appt_list_push(l, v[order[i]]);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Groups as sorted lines "kind: survivor-id other-ids-sorted". */
static char *
describe(const struct appt_list *l, const struct dedup_result *r)
{
	char **lines, buf[256];
	uint64_t ids[16];
	size_t g, k, n;
	int o;

	lines = xcalloc(r->ngroups, sizeof *lines);
	for (g = 0; g < r->ngroups; g++) {
		n = r->groups[g].n;
		cr_assert_leq(n, 16);
		for (k = 0; k < n; k++)
			ids[k] = l->v[r->groups[g].members[k]]->id;
		/* Index order is list order: compare by id instead. A
		 * conflict has no survivor, so all of it is sorted. */
		if (r->groups[g].kind == DEDUP_CONFLICT)
			qsort(ids, n, sizeof *ids, cmp_u64);
		else
			qsort(ids + 1, n - 1, sizeof *ids, cmp_u64);
		o = snprintf(buf, sizeof buf, "%d:", (int)r->groups[g].kind);
		for (k = 0; k < n; k++)
			o += snprintf(buf + o, sizeof buf - (size_t)o, " %llu",
			    (unsigned long long)ids[k]);
		lines[g] = xstrdup(buf);
	}
	return tu_joined(lines, r->ngroups);
}

/* The ids of the kept items, as a bit set. */
static unsigned
kept_ids(const struct appt_list *l, const struct dedup_result *r)
{
	unsigned set = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (r->dup_of[i] == DEDUP_KEPT)
			set |= 1u << l->v[i]->id;
	return set;
}

Test(dedup, order_of_the_list_does_not_matter)
{
	static const size_t fwd[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	static const size_t rev[12] = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
	static const size_t mix[12] = {5, 9, 0, 11, 3, 7, 1, 10, 2, 8, 6, 4};
	struct appt_list l1, l2, l3;
	struct dedup_result r1, r2, r3;
	char *d1, *d2, *d3;

	mixed(&l1, fwd, 12);
	mixed(&l2, rev, 12);
	mixed(&l3, mix, 12);
	run(&l1, NULL, &r1);
	run(&l2, NULL, &r2);
	run(&l3, NULL, &r3);
	d1 = describe(&l1, &r1);
	d2 = describe(&l2, &r2);
	d3 = describe(&l3, &r3);
	/* Alpha: 0-2 one meeting (3 moved: conflict); Beta: content
	 * across a GOID; Gamma: 8-10 content, 11 a minute later. */
	cr_assert_str_eq(d1, "2: 10 8 9\n2: 7 4 5 6\n3: 0 1 2 3\n");
	cr_assert_str_eq(d2, d1);
	cr_assert_str_eq(d3, d1);
	/* The same copies kept whatever the order: Alpha's undecided
	 * conflict keeps 2 (created first of 0-2) and 3. */
	cr_assert_eq(kept_ids(&l1, &r1), kept_ids(&l2, &r2));
	cr_assert_eq(kept_ids(&l1, &r1), kept_ids(&l3, &r3));
	cr_assert_eq(kept_ids(&l1, &r1), (1u << 2) | (1u << 3) | (1u << 7) |
	    (1u << 10) | (1u << 11));
	cr_assert_eq(r2.removed, r1.removed);
	cr_assert_eq(r3.conflicts, 1);
	free(d1);
	free(d2);
	free(d3);
	dedup_result_free(&r1);
	dedup_result_free(&r2);
	dedup_result_free(&r3);
	appt_list_free(&l1);
	appt_list_free(&l2);
	appt_list_free(&l3);
}

Test(dedup, empty_list_and_bad_policy)
{
	struct appt_list l;
	struct dedup_result r;
	struct dedup_opts o = {(enum dedup_policy)9, NULL, NULL, 0};
	char *cause = NULL;

	appt_list_init(&l);
	run(&l, NULL, &r);
	cr_assert_eq(r.ngroups, 0);
	cr_assert_eq(r.kept, 0);
	dedup_result_free(&r);
	mk(&l, "x", T0, 1);
	cr_assert_eq(dedup_run(&l, &o, &r, &cause), -1);
	cr_assert_str_eq(cause, "unknown survivor policy 9");
	cr_assert_null(r.groups);
	free(cause);
	appt_list_free(&l);
}

Test(dedup, kind_names)
{
	cr_assert_str_eq(dedup_kind_name(DEDUP_SAME_MEETING), "same-meeting");
	cr_assert_str_eq(dedup_kind_name(DEDUP_SAME_CONTENT), "same-content");
	cr_assert_str_eq(dedup_kind_name(DEDUP_CONFLICT), "conflict");
}

static void
norm_is(const char *in, const char *want)
{
	char *got = dedup_norm_subject(in), *again;

	cr_assert_str_eq(got, want, "norm(\"%s\")", in ? in : "(null)");
	again = dedup_norm_subject(got);
	cr_assert_str_eq(again, got, "not idempotent on \"%s\"", got);
	free(again);
	free(got);
}

Test(norm, whitespace)
{
	norm_is("  Weekly \t\r\n Sync  ", "weekly sync");
	/* NBSP, em space, ideographic space; line separator, NEL. */
	norm_is("a\u00A0\u2003\u3000b", "a b");
	norm_is("\u2028x\302\205", "x");
	norm_is(" \t ", "");
	norm_is("", "");
	norm_is(NULL, "");
	/* Zero-width space is not white space. */
	norm_is("a\u200Bb", "a\u200Bb");
}

Test(norm, case_folding)
{
	norm_is("ÄRGER", "ärger");
	norm_is("ärger", "ärger");
	norm_is("ÀÉÎÕÜ ÇÑØÞ µ", "àéîõü çñøþ μ");
	norm_is("ŁÓDŹ ŒUVRE Ÿ ſ", "łódź œuvre ÿ s");
	norm_is("ȘEDINȚĂ", "ședință");
	norm_is("ΣΥΝΆΝΤΗΣΗ", "συνάντηση");
	norm_is("ΟΔΟΣ οδος", "οδοσ οδοσ"); /* final sigma folds too */
	norm_is("ПЛАНЁРКА Ўтро Ӏ", "планёрка ўтро ӏ");
	norm_is("日本語 ABC", "日本語 abc");
}

/* Full folding and NFC (libunistring): what the simple tables missed. */
Test(norm, full_folding_and_nfc)
{
	norm_is("Straße STRASSE", "strasse strasse");
	norm_is("İ", "i\u0307");			/* dotted capital I */
	norm_is("ﬁnance ﬀ", "finance ff");		/* ligatures */
	norm_is("Cafe\u0301 CAFÉ", "café café");	/* NFD input */
	norm_is("ＡＢＣ ａｂｃ", "ａｂｃ ａｂｃ");	/* full-width */
	norm_is("ՀԱՆԴԻՊՈՒՄ", "հանդիպում");		/* Armenian */
	norm_is("ᲨᲔᲮᲕᲔᲓᲠᲐ", "შეხვედრა");		/* Georgian Mtavruli */
	norm_is("ᏣᎳᎩ ꮳꮃꭹ", "ᏣᎳᎩ ᏣᎳᎩ");	/* Cherokee folds to capitals */
	norm_is("\U00010400", "\U00010428");		/* Deseret */
}

/* Pure ASCII skips libunistring: every printable byte, alone and after
 * a non-ASCII letter (which takes the libunistring path), folds alike. */
Test(norm, ascii_fast_path_agrees)
{
	char in[8], want[8], *got, *slow;
	int c;

	for (c = 0x21; c < 0x7F; c++) {
		snprintf(in, sizeof in, "%c", c);
		snprintf(want, sizeof want, "%c", c >= 'A' && c <= 'Z' ?
		    c - 'A' + 'a' : c);
		norm_is(in, want);
		snprintf(in, sizeof in, "\u00C9%c", c);
		slow = dedup_norm_subject(in);
		got = dedup_norm_subject(want);
		cr_assert_str_eq(slow + 2, got, "0x%02X after É", c);
		free(slow);
		free(got);
	}
	norm_is("WEEKLY Sync  1:1 @ HQ", "weekly sync 1:1 @ hq");
}

Test(norm, invalid_utf8_becomes_replacement)
{
	norm_is("a\377b", "a\uFFFDb");
	norm_is("\303", "\uFFFD");		       /* truncated */
	norm_is("\300\257", "\uFFFD\uFFFD");	       /* overlong */
	norm_is("\355\240\200", "\uFFFD\uFFFD\uFFFD"); /* surrogate */
	norm_is("\364\220\200\200x", "\uFFFD\uFFFD\uFFFD\uFFFDx");
	norm_is("\U0001F600", "\U0001F600");
}

/* Read a corpus file (all folders) or skip the test. */
static void
corpus_read(const char *name, struct reader_result *rr)
{
	struct reader_opts ro;
	const char *dir = tu_env("PSTDEDUP_CORPUS");
	char *path, *cause = NULL;

	if (dir == NULL || access(dir, R_OK) != 0)
		cr_skip_test("PSTDEDUP_CORPUS not available");
	path = tu_path(dir, name);
	memset(&ro, 0, sizeof ro);
	ro.all_folders = 1;
	cr_assert_eq(
	    reader_read(path, &ro, rr, &cause), 0, "%s: %s", path, cause);
	free(path);
}

Test(corpus, sample_ost_pair_differs_in_seconds_only)
{
	struct reader_result rr;
	struct dedup_result r;
	const struct dedup_group *g;

	/* Two copies in Deleted Items share the Clean GOID and start
	 * 21:54:25.745Z vs 21:54:00Z: a conflict, both kept. Three more
	 * differ in GOID and start minutes apart: different meetings. */
	corpus_read("aspose-email-net__SampleOstFile.ost", &rr);
	cr_assert_eq(rr.appts.n, 5);
	run(&rr.appts, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	g = &r.groups[0];
	cr_assert_eq(g->kind, DEDUP_CONFLICT);
	cr_assert_eq(g->n, 2);
	cr_assert(strstr(rr.appts.v[g->members[0]]->folder, "Deleted") != NULL);
	cr_assert(strstr(rr.appts.v[g->members[1]]->folder, "Deleted") != NULL);
	cr_assert_eq(r.removed, 0);
	cr_assert_eq(r.kept, 5);
	cr_assert_eq(r.conflicts, 1);
	dedup_result_free(&r);
	reader_result_free(&rr);
}

Test(corpus, chunks_nine_copies_without_goid)
{
	struct reader_result rr;
	struct dedup_result r;

	corpus_read("aspose-email-net__Chunks_Test_part1.pst", &rr);
	cr_assert_eq(rr.appts.n, 9);
	run(&rr.appts, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_CONTENT);
	cr_assert_eq(r.groups[0].n, 9);
	cr_assert_eq(r.groups[0].members[0], 0); /* all equal: lowest index */
	cr_assert_eq(r.kept, 1);
	dedup_result_free(&r);
	reader_result_free(&rr);
}

Test(corpus, no_duplicates_among_169_items)
{
	struct reader_result rr;
	struct dedup_result r;

	corpus_read("pst-extractor__pstextractortest@outlook.com.ost", &rr);
	cr_assert_eq(rr.appts.n, 169);
	run(&rr.appts, NULL, &r);
	cr_assert_eq(r.ngroups, 0);
	cr_assert_eq(r.kept, 169);
	dedup_result_free(&r);
	reader_result_free(&rr);
}

/* ---- survivor precedence, conflicts, review, UIDs ---------------------- */

static void
run_opts(struct appt_list *l, const char *avoid, const char *prefer,
    struct dedup_result *r)
{
	struct dedup_opts o;

	memset(&o, 0, sizeof o);
	o.avoid = avoid;
	o.prefer = prefer;
	run(l, &o, r);
}

Test(dedup, newer_revision_beats_fuller_stale_copy)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;

	appt_list_init(&l);
	a = mk_clean(&l, "Review", T0, 30, 0x31);
	b = mk_clean(&l, "Review", T0, 30, 0x31);
	a->body = xstrdup("old agenda");	/* fuller, but stale */
	a->location = xstrdup("Room 1");
	a->sequence = 1;
	b->sequence = 2;
	b->creator = xstrdup("Calendar Repair Assistant");
	run_opts(&l, "repair", NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_REVISION);
	cr_assert_eq(r.groups[0].members[0], 1);
	cr_assert_eq(r.dup_of[0], 1);
	cr_assert(strstr(r.groups[0].why, "sequence 2 over 1") != NULL, "%s",
	    r.groups[0].why);
	cr_assert(strstr(r.groups[0].why, "although --avoid") != NULL, "%s",
	    r.groups[0].why);
	dedup_result_free(&r);

	/* Same sequence: the later sequence time, then the later owner
	 * critical change decide; an absent time is older than any. */
	a->sequence = b->sequence = 3;
	a->seq_time = ft(T0 - DAY);
	b->seq_time = ft(T0 - 2 * DAY);
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_REVISION);
	cr_assert_eq(r.groups[0].members[0], 0);
	cr_assert(strstr(r.groups[0].why, "sequence time") != NULL);
	dedup_result_free(&r);
	a->seq_time = b->seq_time = APPT_NOTIME;
	b->crit_change = ft(T0 - DAY);
	a->crit_change = ft(T0 - 3 * DAY);
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_REVISION);
	cr_assert_eq(r.groups[0].members[0], 1);
	cr_assert(strstr(r.groups[0].why, "owner critical change") != NULL);
	dedup_result_free(&r);
	a->crit_change = APPT_NOTIME;
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_REVISION);
	cr_assert_eq(r.groups[0].members[0], 1);
	cr_assert(strstr(r.groups[0].why, "over none") != NULL, "%s",
	    r.groups[0].why);
	dedup_result_free(&r);
	b->crit_change = APPT_NOTIME;
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_POLICY);
	cr_assert_eq(r.groups[0].members[0], 0, "the fuller copy");
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, rules_after_revision_in_order)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;

	appt_list_init(&l);
	a = mk_clean(&l, "Review", T0, 30, 0x32);
	b = mk_clean(&l, "Review", T0, 30, 0x32);
	a->creator = xstrdup("Quest Sync Agent");
	b->creator = xstrdup("Calendar Repair Assistant");
	a->folder = xstrdup("/Top/Deleted Items");
	b->folder = xstrdup("/Top/Calendar");
	b->in_calendar = 1;
	a->body = xstrdup("agenda");
	run_opts(&l, "quest", NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_AVOID);
	cr_assert_eq(r.groups[0].members[0], 1);
	dedup_result_free(&r);
	run_opts(&l, NULL, "quest", &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_PREFER);
	cr_assert_eq(r.groups[0].members[0], 0);
	dedup_result_free(&r);
	/* No option: the calendar folder's copy, before completeness. */
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_FOLDER);
	cr_assert_eq(r.groups[0].members[0], 1);
	cr_assert(strstr(r.groups[0].why, "Deleted Items") != NULL);
	dedup_result_free(&r);
	a->in_calendar = 1;
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_POLICY);
	cr_assert_eq(r.groups[0].members[0], 0);
	dedup_result_free(&r);
	free(a->body);
	a->body = NULL;
	b->created = a->created;
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_ORDER);
	cr_assert_eq(r.groups[0].members[0], 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, conflict_resolved_by_sequence)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b, *c;

	/* The meeting moved: 1 and 2 have the update, 0 does not. */
	appt_list_init(&l);
	a = mk_clean(&l, "Budget", T0, 60, 0x33);
	b = mk_clean(&l, "Budget", T0 + 3600, 60, 0x33);
	c = mk_clean(&l, "Budget", T0 + 3600, 60, 0x33);
	a->body = xstrdup("old");
	a->sequence = 0;
	b->sequence = c->sequence = 1;
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_CONFLICT);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_REVISION);
	cr_assert_eq(r.groups[0].review, 0);
	cr_assert_eq(r.groups[0].members[0], 1);
	cr_assert_eq(r.kept, 1);
	cr_assert_eq(r.dup_of[0], 1);
	cr_assert_eq(r.dup_of[2], 1);
	cr_assert_eq(r.conflicts, 1);
	cr_assert_not_null(r.groups[0].older);
	/* members: 1, then 0 (older revision), 2 (exact copy) */
	cr_assert_eq(r.groups[0].members[1], 0);
	cr_assert_eq(r.groups[0].older[1], 1);
	cr_assert_eq(r.groups[0].older[2], 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, undecided_conflict_is_flagged_and_listed_first)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b;

	appt_list_init(&l);
	mk(&l, "Other", T0 - DAY, 30);
	mk(&l, "Other", T0 - DAY, 30);	/* same content, group at 0 */
	a = mk_clean(&l, "Budget", T0, 60, 0x34);
	b = mk_clean(&l, "Budget", T0 + 3600, 60, 0x34);
	a->sequence = b->sequence = 2;
	b->creator = xstrdup("Calendar Repair Assistant");
	run_opts(&l, "repair", NULL, &r);
	cr_assert_eq(r.ngroups, 2);
	cr_assert_eq(r.review, 1);
	cr_assert(r.groups[0].review, "review first");
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_UNDECIDED);
	cr_assert_eq(r.groups[0].members[0], 2, "--avoid ranks the order");
	cr_assert_eq(r.groups[0].members[1], 3);
	cr_assert_eq(r.dup_of[2], DEDUP_KEPT);
	cr_assert_eq(r.dup_of[3], DEDUP_KEPT);
	cr_assert(strstr(r.groups[0].why, "ranked first by avoid") != NULL,
	    "%s", r.groups[0].why);
	cr_assert_eq(r.groups[1].review, 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

/* Partial revision data must not make variants beat each other in a
 * circle (A over B by sequence time, B over C and C over A by owner
 * critical change, if absent times were skipped). */
Test(dedup, revision_order_has_no_cycle)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b, *c;

	appt_list_init(&l);
	a = mk_clean(&l, "Budget", T0, 60, 0x37);
	b = mk_clean(&l, "Budget", T0 + 3600, 60, 0x37);
	c = mk_clean(&l, "Budget", T0 + 7200, 60, 0x37);
	a->seq_time = ft(T0 - 2 * DAY);
	a->crit_change = ft(T0 - 5 * DAY);
	b->seq_time = ft(T0 - 3 * DAY);
	b->crit_change = ft(T0 - 3 * DAY);
	c->crit_change = ft(T0 - 4 * DAY);
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_REVISION);
	cr_assert_eq(r.groups[0].members[0], 0);
	cr_assert_eq(r.kept, 1);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, series_and_single_never_decided_by_revision)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *m, *s;

	/* An orphan instance with a newer sequence must not remove the
	 * series (all its other occurrences), nor the reverse. */
	appt_list_init(&l);
	m = mk_clean(&l, "Series", T0, 30, 0x35);
	s = mk_clean(&l, "Series", T0 + 7 * DAY, 30, 0x35);
	set_weekly(m, NULL, 0);
	s->sequence = 5;
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_UNDECIDED);
	cr_assert_eq(r.removed, 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

Test(dedup, diverged_series_neither_includes_the_other)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b, *c;
	uint32_t d1[1], d2[1], d12[2];

	d1[0] = d12[0] = recur_ft_to_min(ft(T0 - 9 * 3600 + 7 * DAY));
	d2[0] = d12[1] = recur_ft_to_min(ft(T0 - 9 * 3600 + 14 * DAY));
	appt_list_init(&l);
	a = mk_clean(&l, "Team", T0, 30, 0x36);
	b = mk_clean(&l, "Team", T0, 30, 0x36);
	set_weekly(a, d1, 1);
	set_weekly(b, d2, 1);
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_MEETING);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_UNDECIDED);
	cr_assert(strstr(r.groups[0].why, "diverged") != NULL);
	cr_assert_eq(r.removed, 0);
	cr_assert_eq(r.conflicts, 0);
	dedup_result_free(&r);

	/* A third copy holding both deletions settles it. */
	c = mk(&l, "Team", T0, 30);
	set_clean(c, 0x36);
	set_weekly(c, d12, 2);
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.groups[0].rule, DEDUP_RULE_CHANGES);
	cr_assert_eq(r.groups[0].members[0], 2);
	cr_assert_eq(r.kept, 1);
	cr_assert_eq(r.review, 0);
	dedup_result_free(&r);
	appt_list_free(&l);
}

/* The invariant, with every item bound for one file: no two kept items
 * share a UID and no removed one shares a UID with any item, so all
 * UIDs differ. */
static void
assert_uids_distinct(const struct appt_list *l)
{
	char **u = xcalloc(l->n, sizeof *u);
	size_t i, j;

	for (i = 0; i < l->n; i++)
		u[i] = writer_uid(l->v[i]);
	for (i = 0; i < l->n; i++)
		for (j = i + 1; j < l->n; j++)
			cr_assert_str_neq(u[i], u[j], "items %zu and %zu",
			    i, j);
	for (i = 0; i < l->n; i++)
		free(u[i]);
	free(u);
}

Test(dedup, uids_never_collide)
{
	struct appt_list l;
	struct dedup_result r;
	struct appt *a, *b, *c, *d, *e;
	static const uint8_t vcal[] = {'v', 'C', 'a', 'l', '-', 'U', 'i',
	    'd', 1, 0, 0, 0, 'x', '@', 'y', 0};
	uint8_t g[56 + sizeof vcal];
	char *u1, *u2;

	appt_list_init(&l);
	a = mk_clean(&l, "Budget", T0, 60, 0x41);	/* undecided pair */
	b = mk_clean(&l, "Budget", T0 + 3600, 60, 0x41);
	c = mk_clean(&l, "Budget", T0, 60, 0x41);	/* exact copy of a */
	/* Two meetings whose GOIDs spell one vCal-Uid but whose Clean
	 * GOIDs differ (as in a real OST): dedup keeps both. */
	d = mk_clean(&l, "Lunch", T0 + DAY, 60, 0x42);
	e = mk_clean(&l, "Dinner", T0 + DAY, 60, 0x43);
	memset(g, 0, sizeof g);
	memcpy(g, goid_prefix, 16);
	g[36] = sizeof vcal;
	memcpy(g + 40, vcal, sizeof vcal);
	appt_blob_set(&d->goid, g, 40 + sizeof vcal);
	appt_blob_set(&e->goid, g, 40 + sizeof vcal);
	u1 = writer_uid(d);
	u2 = writer_uid(e);
	cr_assert_str_eq(u1, u2, "the fixture must clash");
	free(u1);
	free(u2);
	run_opts(&l, NULL, NULL, &r);
	cr_assert_eq(r.review, 1);
	dedup_uids(&l, &r, writer_uid, NULL);

	cr_assert_null(a->uid, "the first kept copy keeps its UID");
	cr_assert_not_null(b->uid);
	cr_assert(strncmp(b->uid, "pstdedup-copy-", 14) == 0, "%s", b->uid);
	cr_assert_not_null(c->uid);
	cr_assert(strncmp(c->uid, "pstdedup-removed-", 17) == 0, "%s",
	    c->uid);
	cr_assert_null(d->uid);
	cr_assert_not_null(e->uid);
	assert_uids_distinct(&l);
	/* Deterministic: the same input, the same UIDs. */
	cr_assert_str_eq(b->uid, "pstdedup-copy-3e9-040000008200E000"
	    "74C5B7101A82E0080000000000000000000000000000000000000000"
	    "1000000041414141414141414141414141414141");
	dedup_result_free(&r);
	appt_list_free(&l);
}

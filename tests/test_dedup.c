/* test_dedup.c: duplicate keys and conflicts (survivors:
 * test_dedup_policy.c, normalization: test_dedup_fold.c, revisions:
 * test_dedup_revision.c). */
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

static void
set_org(struct appt *a, const char *name, const char *email)
{
	free(a->org_name);
	free(a->org_email);
	a->org_name = name ? xstrdup(name) : NULL;
	a->org_email = email ? xstrdup(email) : NULL;
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

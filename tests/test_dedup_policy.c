/* test_dedup_policy.c: survivor policies, completeness scores,
 * large groups and order independence. */
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

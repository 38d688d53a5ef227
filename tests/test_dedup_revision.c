/* test_dedup_revision.c: revisions (sequence, modification time)
 * decide conflicts; UIDs never collide. */
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

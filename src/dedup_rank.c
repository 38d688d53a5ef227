/* dedup_rank.c: which of two copies survives, by the rules of enum
 * dedup_rule, and why in words (dedup_int.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "dedup_int.h"
#include "recur.h"
#include "xmalloc.h"

static int dedup_created_cmp(int64_t, int64_t, int);
static int dedup_comparable(const struct dedup_item *,
    const struct dedup_item *);
static int dedup_revision(const struct dedup_item *,
    const struct dedup_item *);
static int dedup_changes(const struct dedup_item *, const struct dedup_item *);

/* Earlier first (or later with newest); an unknown time loses. */
static int
dedup_created_cmp(int64_t a, int64_t b, int newest)
{
	if (a == b)
		return 0;
	if (a == APPT_NOTIME)
		return 1;
	if (b == APPT_NOTIME)
		return -1;
	if (newest)
		return a > b ? -1 : 1;
	return a < b ? -1 : 1;
}

/*
 * Whether two copies can be revisions of one meeting. A series and a
 * single item, or two items naming different occurrences, are not:
 * removing either would lose occurrences, so neither revision data nor
 * the user's changes decide between them.
 */
static int
dedup_comparable(const struct dedup_item *a, const struct dedup_item *b)
{
	if (a->recurring != b->recurring)
		return 0;
	return !(a->instance || b->instance) ||
	    appt_blob_eq(&a->a->goid, &b->a->goid);
}

/*
 * Which copy is the newer revision: <0 a, >0 b, 0 when the data cannot
 * tell. Sequence, then sequence time, then owner critical change, an
 * absent time older than any: one order over all copies, so that the
 * variants of a conflict never beat each other in a circle.
 */
static int
dedup_revision(const struct dedup_item *a, const struct dedup_item *b)
{
	const struct appt *x = a->a, *y = b->a;

	if (a->seq != b->seq)
		return a->seq > b->seq ? -1 : 1;
	if (x->seq_time != y->seq_time)
		return x->seq_time > y->seq_time ? -1 : 1;
	if (x->crit_change != y->crit_change)
		return x->crit_change > y->crit_change ? -1 : 1;
	return 0;
}

/* Two copies of one series that differ at most in their exceptions. */
int
dd_diverged(const struct dedup_item *a, const struct dedup_item *b)
{
	return a->recurring && b->recurring && a->rec != NULL &&
	    b->rec != NULL && a->start == b->start && a->end == b->end &&
	    strcmp(a->subject, b->subject) == 0 &&
	    recur_same_pattern(a->rec, b->rec);
}

/* The user's changes: <0 when a's deleted and modified occurrences hold
 * all of b's and not the reverse, >0 the other way, else 0. */
static int
dedup_changes(const struct dedup_item *a, const struct dedup_item *b)
{
	int ab, ba;

	if (!dd_diverged(a, b))
		return 0;
	ab = recur_includes(a->rec, b->rec);
	ba = recur_includes(b->rec, a->rec);
	if (ab != ba)
		return ab ? -1 : 1;
	return 0;
}

/* <0 when item i is the better survivor, >0 when j is; *rule says which
 * rule decided. Never 0: the item order decides last. */
int
dd_rank(const struct dedup_ctx *ctx, size_t i, size_t j,
    enum dedup_rule *rule)
{
	const struct dedup_item *a = &ctx->items[i], *b = &ctx->items[j];
	enum dedup_policy policy = ctx->opts->policy;
	int c, comparable = dedup_comparable(a, b);

	if (comparable && (c = dedup_revision(a, b)) != 0) {
		*rule = DEDUP_RULE_REVISION;
		return c;
	}
	if (comparable && (c = dedup_changes(a, b)) != 0) {
		*rule = DEDUP_RULE_CHANGES;
		return c;
	}
	if (a->avoided != b->avoided) {
		*rule = DEDUP_RULE_AVOID;
		return a->avoided ? 1 : -1;
	}
	if (a->preferred != b->preferred) {
		*rule = DEDUP_RULE_PREFER;
		return a->preferred ? -1 : 1;
	}
	if (a->a->in_calendar != b->a->in_calendar) {
		*rule = DEDUP_RULE_FOLDER;
		return a->a->in_calendar ? -1 : 1;
	}
	*rule = DEDUP_RULE_POLICY;
	if (policy == DEDUP_POLICY_COMPLETE && a->score != b->score)
		return a->score > b->score ? -1 : 1;
	c = dedup_created_cmp(
	    a->a->created, b->a->created, policy == DEDUP_POLICY_NEWEST);
	if (c != 0)
		return c;
	*rule = DEDUP_RULE_ORDER;
	return i < j ? -1 : 1;
}

/* Whether item i is a better survivor than item j. */
int
dd_better(const struct dedup_ctx *ctx, size_t i, size_t j)
{
	enum dedup_rule rule;

	return dd_rank(ctx, i, j, &rule) < 0;
}

/* Why survivor i beat copy j by rule, as the report prints it. */
char *
dd_why(const struct dedup_ctx *ctx, size_t i, size_t j,
    enum dedup_rule rule)
{
	const struct dedup_item *a = &ctx->items[i], *b = &ctx->items[j];
	const struct appt *x = a->a, *y = b->a;
	const char *note;
	char ta[64], tb[64], *why, *longer;

	switch (rule) {
	case DEDUP_RULE_REVISION:
		if (a->seq != b->seq)
			xasprintf(&why, "newer revision: sequence %" PRId64
			    " over %" PRId64, a->seq, b->seq);
		else {
			if (x->seq_time != y->seq_time) {
				dd_fmt_time(x->seq_time, ta, sizeof ta);
				dd_fmt_time(y->seq_time, tb, sizeof tb);
				note = "sequence time";
			} else {
				dd_fmt_time(x->crit_change, ta, sizeof ta);
				dd_fmt_time(y->crit_change, tb, sizeof tb);
				note = "owner critical change";
			}
			xasprintf(&why, "newer revision: same sequence, %s "
			    "%s over %s", note, ta, tb);
		}
		note = NULL;
		if (a->avoided && !b->avoided)
			note = "; kept although --avoid matches it";
		else if (b->preferred && !a->preferred)
			note = "; kept although --prefer matches the other "
			    "copy";
		if (note != NULL) {
			xasprintf(&longer, "%s%s", why, note);
			free(why);
			why = longer;
		}
		return why;
	case DEDUP_RULE_CHANGES:
		return xstrdup("its deleted and changed occurrences include "
			    "all of the other copy's");
	case DEDUP_RULE_AVOID:
		return xstrdup("--avoid matches the other copy's creator or "
			    "modifier");
	case DEDUP_RULE_PREFER:
		return xstrdup("--prefer matches its creator or modifier");
	case DEDUP_RULE_FOLDER:
		xasprintf(&why, "in a calendar folder, the other copy in %s",
		    y->folder != NULL ? y->folder : "another folder");
		return why;
	case DEDUP_RULE_POLICY:
		if (ctx->opts->policy == DEDUP_POLICY_COMPLETE &&
		    a->score != b->score) {
			xasprintf(&why, "-k complete: more complete (%" PRId64
			    " details over %" PRId64 ")", a->score, b->score);
			return why;
		}
		return xstrdup(ctx->opts->policy == DEDUP_POLICY_NEWEST ?
		    "-k newest: created later" : ctx->opts->policy ==
		    DEDUP_POLICY_OLDEST ? "-k oldest: created earlier" :
		    "-k complete: as complete, created earlier");
	case DEDUP_RULE_ORDER:
		return xstrdup("nothing else tells the copies apart: first "
			    "in the file");
	case DEDUP_RULE_UNDECIDED:
		break;
	}
	return xstrdup("");
}

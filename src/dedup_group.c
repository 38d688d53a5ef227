/* dedup_group.c: a component of copies turned into a group: its
 * survivor, its members in order, the rule and its readable key
 * (dedup_int.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "dedup_int.h"
#include "ft.h"
#include "text.h"
#include "xmalloc.h"

static char *dedup_key_id(const struct dedup_item *, const char *);
static char *dedup_key_content(const struct dedup_ctx *, size_t);
static int64_t dedup_day(int64_t);
static void dedup_copies(struct dedup_ctx *, struct dedup_result *,
    struct dedup_group *, const size_t *, size_t);
static void dedup_variants(struct dedup_ctx *, struct dedup_result *,
    struct dedup_group *, const size_t *, size_t);

static char *
dedup_key_id(const struct dedup_item *it, const char *suffix)
{
	size_t n = it->idlen > DEDUP_HEX_MAX ? DEDUP_HEX_MAX : it->idlen;
	char *digits = text_hex(it->id, n), *key;

	xasprintf(&key, "%s %s%s%s",
	    it->id_clean ? "CleanGlobalObjectId" : "GlobalObjectId", digits,
	    n < it->idlen ? "..." : "", suffix);
	free(digits);
	return key;
}

/* Days since 1601-01-01 of a time in minutes since 1601. */
static int64_t
dedup_day(int64_t min)
{
	return min / 1440 - (min % 1440 < 0);
}

/* Minutes since 1601 as "YYYY-MM-DD HH:MMZ", or "HH:MMZ" with !date. */
void
dd_fmt_min(int64_t min, char *out, size_t size, int date)
{
	int64_t days = dedup_day(min);
	unsigned mod = (unsigned)(min - days * 1440);
	int y, m, d;

	if (!date) {
		snprintf(out, size, "%02u:%02uZ", mod / 60, mod % 60);
		return;
	}
	ft_civil_from_days(days, &y, &m, &d);
	snprintf(out, size, "%04d-%02d-%02d %02u:%02uZ", y, m, d, mod / 60,
	    mod % 60);
}

/* A FILETIME as "YYYY-MM-DD HH:MMZ", or "none" when absent. */
void
dd_fmt_time(int64_t ft, char *out, size_t size)
{
	if (ft == APPT_NOTIME)
		snprintf(out, size, "none");
	else
		dd_fmt_min(dd_minutes(ft), out, size, 1);
}

static char *
dedup_key_content(const struct dedup_ctx *ctx, size_t i)
{
	const struct dedup_item *it = &ctx->items[i];
	char start[64], end[64], *org, *loc, *key;

	dd_fmt_min(it->smin, start, sizeof start, 1);
	dd_fmt_min(it->emin, end, sizeof end,
	    dedup_day(it->smin) != dedup_day(it->emin));
	if (it->org != NULL)
		xasprintf(&org, "organizer %s", it->org);
	else
		org = xstrdup("no organizer");
	if (ctx->opts->location)
		xasprintf(
		    &loc, ", location \"%s\"", it->loc != NULL ? it->loc : "");
	else
		loc = xstrdup("");
	xasprintf(&key, "subject \"%s\", %s-%s, %s%s%s%s", it->subject, start,
	    end, org, it->all_day ? ", all-day" : "",
	    it->recurring ? ", series" : "", loc);
	free(loc);
	free(org);
	return key;
}

/* One group per component of two or more. */
void
dd_components(struct dedup_ctx *ctx, struct dedup_result *res)
{
	struct dedup_group *g;
	size_t n = ctx->n, i, root, *size, *off, *members;

	size = xcalloc(n, sizeof *size);
	off = xcalloc(n + 1, sizeof *off);
	members = xcalloc(n, sizeof *members);
	for (i = 0; i < n; i++)
		size[dd_find(ctx->parent, i)]++;
	for (i = 0; i < n; i++) {
		off[i + 1] = off[i] + size[i];
		size[i] = 0;
	}
	/* After dd_find() every parent is a root. */
	for (i = 0; i < n; i++) {
		root = ctx->parent[i];
		members[off[root] + size[root]++] = i;
	}
	for (root = 0; root < n; root++) {
		if (size[root] < 2)
			continue;
		g = &res->groups[res->ngroups++];
		if (ctx->nvar[ctx->rep_id[root]] > 1)
			dedup_variants(
			    ctx, res, g, members + off[root], size[root]);
		else
			dedup_copies(
			    ctx, res, g, members + off[root], size[root]);
		if (g->kind == DEDUP_CONFLICT)
			res->conflicts++;
		if (g->review)
			res->review++;
	}
	free(members);
	free(off);
	free(size);
}

/* Copies of one variant (m, in index order): the best survives, the
 * others point at it. The rule is what beat the runner-up. */
static void
dedup_copies(struct dedup_ctx *ctx, struct dedup_result *res,
    struct dedup_group *g, const size_t *m, size_t nm)
{
	size_t k, r, surv = m[0], next = SIZE_MAX;

	for (k = 1; k < nm; k++)
		if (dd_better(ctx, m[k], surv))
			surv = m[k];
	g->kind = ctx->merged[ctx->parent[surv]] ? DEDUP_SAME_CONTENT :
	    DEDUP_SAME_MEETING;
	g->n = nm;
	g->members = xreallocarray(NULL, nm, sizeof *g->members);
	g->members[0] = surv;
	for (k = 0, r = 1; k < nm; k++) {
		if (m[k] == surv)
			continue;
		g->members[r++] = m[k];
		res->dup_of[m[k]] = surv;
		if (next == SIZE_MAX || dd_better(ctx, m[k], next))
			next = m[k];
	}
	dd_rank(ctx, surv, next, &g->rule);
	g->why = dd_why(ctx, surv, next, g->rule);
	if (g->kind == DEDUP_SAME_CONTENT)
		g->key = dedup_key_content(ctx, surv);
	else
		g->key = dedup_key_id(&ctx->items[surv], "");
}

/*
 * The variants of one id (m, in index order). Each variant's best copy
 * stands for it; a variant whose best loses to another's by revision or
 * by the user's changes is outdated. One variant left: it survives and
 * every other copy is removed. More: undecided, each one's best copy
 * kept, ranked by the later rules, the group flagged for review.
 */
static void
dedup_variants(struct dedup_ctx *ctx, struct dedup_result *res,
    struct dedup_group *g, const size_t *m, size_t nm)
{
	enum dedup_rule rule, *domrule;
	size_t *best, *dom, *var, *keep, nb = 0, nkeep = 0, k, p, q, r, w;
	size_t first = SIZE_MAX;
	int diverged = 1;
	char *suffix, *why;

	best = xcalloc(nm, sizeof *best);
	dom = xcalloc(nm, sizeof *dom);
	domrule = xcalloc(nm, sizeof *domrule);
	var = xcalloc(nm, sizeof *var);
	keep = xcalloc(nm, sizeof *keep);
	for (k = 0; k < nm; k++) {
		for (p = 0; p < nb; p++)
			if (ctx->rep_var[best[p]] == ctx->rep_var[m[k]])
				break;
		if (p == nb) {
			best[nb] = m[k];
			dom[nb++] = SIZE_MAX;
		} else if (dd_better(ctx, m[k], best[p]))
			best[p] = m[k];
		var[k] = p;
	}
	for (p = 0; p < nb; p++) {
		for (q = p + 1; q < nb; q++) {
			if (!dd_diverged(&ctx->items[best[p]],
			    &ctx->items[best[q]]))
				diverged = 0;
			if (dd_rank(ctx, best[p], best[q], &rule) < 0) {
				w = q;
				r = p;
			} else {
				w = p;
				r = q;
			}
			if ((rule == DEDUP_RULE_REVISION ||
			    rule == DEDUP_RULE_CHANGES) && dom[w] == SIZE_MAX) {
				dom[w] = r;
				domrule[w] = rule;
			}
		}
	}
	/* The undominated, best first (insertion sort: few variants). The
	 * order above has no cycles; should one appear, keep everything. */
	for (p = 0; p < nb && dom[p] != SIZE_MAX; p++)
		continue;
	if (p == nb) {
		for (p = 0; p < nb; p++)
			dom[p] = SIZE_MAX;
	}
	for (p = 0; p < nb; p++) {
		if (dom[p] != SIZE_MAX)
			continue;
		for (q = nkeep; q > 0 && dd_better(ctx, best[p],
		    best[keep[q - 1]]); q--)
			keep[q] = keep[q - 1];
		keep[q] = p;
		nkeep++;
	}

	g->kind = diverged ? DEDUP_SAME_MEETING : DEDUP_CONFLICT;
	g->n = nm;
	g->members = xreallocarray(NULL, nm, sizeof *g->members);
	for (q = 0; q < nkeep; q++)
		g->members[q] = best[keep[q]];
	r = nkeep;
	for (k = 0; k < nm; k++) {
		p = var[k];
		if (dom[p] == SIZE_MAX && best[p] == m[k])
			continue;
		if (dom[p] != SIZE_MAX) {
			if (g->older == NULL)
				g->older = xcalloc(nm, 1);
			g->older[r] = 1;
		}
		g->members[r++] = m[k];
		/* An outdated variant's copies point where its chain of
		 * newer variants ends. */
		for (w = p, q = 0; dom[w] != SIZE_MAX && q < nb;
		    w = dom[w], q++)
			continue;
		res->dup_of[m[k]] = best[w];
		if (dom[p] == keep[0] && first == SIZE_MAX)
			first = p;
	}

	if (nkeep == 1) {
		/* The variant beaten by the survivor itself explains it. */
		g->rule = domrule[first];
		g->why = dd_why(ctx, g->members[0], best[first], g->rule);
	} else {
		g->rule = DEDUP_RULE_UNDECIDED;
		g->review = 1;
		dd_rank(ctx, g->members[0], g->members[1], &rule);
		why = dd_why(ctx, g->members[0], g->members[1], rule);
		xasprintf(&g->why, "%s; all %zu kept, each after the first "
		    "with a new UID; ranked first by %s: %s", diverged ?
		    "the copies' exceptions diverged and neither holds all "
		    "of the other's changes" : "no revision data tells which "
		    "copy is newer", nkeep, dedup_rule_name(rule), why);
		free(why);
	}
	if (diverged)
		g->key = dedup_key_id(&ctx->items[g->members[0]], "");
	else {
		xasprintf(&suffix, ", %zu variants", nb);
		g->key = dedup_key_id(&ctx->items[g->members[0]], suffix);
		free(suffix);
	}
	free(keep);
	free(var);
	free(domrule);
	free(dom);
	free(best);
}

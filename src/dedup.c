/* dedup.c: group duplicate appointments and choose the copy to keep:
 * the items prepared, sorted into classes of equal keys and joined into
 * components (dedup_int.h says what the other parts do). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include <xxhash.h>

#include "buf.h"
#include "dedup.h"
#include "dedup_int.h"
#include "ft.h"
#include "recur.h"
#include "text.h"
#include "xmalloc.h"

struct dedup_ent {
	XXH128_hash_t h;
	size_t i;
};

typedef XXH128_hash_t (*dedup_hash_fn)(struct dedup_ctx *, size_t);
typedef int (*dedup_eq_fn)(const struct dedup_ctx *, size_t, size_t);

static int dedup_is_space(uint32_t);
static char *dedup_norm_opt(const char *);
static int dedup_matches(const char *, const char *, const char *);
static void dedup_item_init(struct dedup_ctx *, size_t);
static void dedup_item_free(struct dedup_item *);
static void dedup_key_i64(struct buf *, int64_t);
static void dedup_key_str(struct buf *, const char *);
static XXH128_hash_t dedup_hash_id(struct dedup_ctx *, size_t);
static XXH128_hash_t dedup_hash_variant(struct dedup_ctx *, size_t);
static XXH128_hash_t dedup_hash_content(struct dedup_ctx *, size_t);
static int dedup_eq_id(const struct dedup_ctx *, size_t, size_t);
static int dedup_eq_variant(const struct dedup_ctx *, size_t, size_t);
static int dedup_eq_content(const struct dedup_ctx *, size_t, size_t);
static int dedup_eq_str(const char *, const char *);
static int dedup_eq_recur(const struct dedup_item *, const struct dedup_item *);
static int dedup_ent_cmp(const void *, const void *);
static int dedup_group_cmp(const void *, const void *);
static void dedup_classify(struct dedup_ctx *, const size_t *, size_t,
    dedup_hash_fn, dedup_eq_fn, size_t *);
static void dedup_same_meeting(struct dedup_ctx *);
static void dedup_same_content(struct dedup_ctx *);

/* Unicode White_Space. */
static int
dedup_is_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 ||
	    c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
	    c == 0x3000;
}

/*
 * White space first (the input may be any bytes: invalid UTF-8 becomes
 * U+FFFD), then full Unicode case folding and NFC from libunistring, so
 * that "STRASSE" matches "straße" and a decomposed "é" the precomposed
 * one.
 */
char *
dedup_norm_subject(const char *s)
{
	const char *p = s != NULL ? s : "";
	size_t o = 0, n;
	int space = 0, ascii = 1;
	uint32_t c;
	char *out;
	uint8_t *f;

	/* One input byte never becomes more than 3 output bytes. */
	out = xreallocarray(NULL, strlen(p) + 1, 3);
	while (*p != '\0') {
		c = text_utf8_next(&p);
		if (dedup_is_space(c)) {
			space = (o != 0);
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = 0;
		}
		if (c >= 0x80)
			ascii = 0;
		else if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		o += text_utf8_put(c, out + o);
	}
	/* ASCII folds to itself but for A-Z and is already NFC, so most
	 * subjects need no trip through libunistring. */
	if (o == 0 || ascii) {
		out[o] = '\0';
		return out;
	}
	/* Valid UTF-8 now, so only a lack of memory can fail. */
	f = u8_casefold((const uint8_t *)out, o, NULL, UNINORM_NFC, NULL, &n);
	free(out);
	if (f == NULL)
		xmalloc_die();
	out = xreallocarray(f, n + 1, 1);
	out[n] = '\0';
	return out;
}

/* Normalized copy, NULL for absent or blank text. */
static char *
dedup_norm_opt(const char *s)
{
	char *n;

	if (s == NULL)
		return NULL;
	n = dedup_norm_subject(s);
	if (*n == '\0') {
		free(n);
		return NULL;
	}
	return n;
}

/* Whether creator or modifier contains the folded needle. */
static int
dedup_matches(const char *needle, const char *creator, const char *modifier)
{
	char *h;
	int found = 0;

	if (needle == NULL)
		return 0;
	if (creator != NULL) {
		h = dedup_norm_subject(creator);
		found = strstr(h, needle) != NULL;
		free(h);
	}
	if (!found && modifier != NULL) {
		h = dedup_norm_subject(modifier);
		found = strstr(h, needle) != NULL;
		free(h);
	}
	return found;
}

int64_t
dd_minutes(int64_t ft)
{
	if (ft == APPT_NOTIME)
		return APPT_NOTIME;
	return ft_floordiv(ft, FT_MIN);
}

static void
dedup_item_init(struct dedup_ctx *ctx, size_t i)
{
	const struct dedup_opts *opts = ctx->opts;
	struct dedup_item *it = &ctx->items[i];
	const struct appt *a = ctx->items[i].a;
	char *cause;

	if (a->clean_goid.data != NULL && a->clean_goid.len > 0) {
		it->id = a->clean_goid.data;
		it->idlen = a->clean_goid.len;
		it->id_clean = 1;
	} else if (a->goid.data != NULL && a->goid.len > 0) {
		/* The Clean GOID is the GOID without the instance date. */
		it->idcopy = xmemdup(a->goid.data, a->goid.len);
		if (a->goid.len >= 20)
			memset(it->idcopy + 16, 0, 4);
		it->id = it->idcopy;
		it->idlen = a->goid.len;
	}
	it->subject = dedup_norm_subject(a->subject);
	if ((it->org = dedup_norm_opt(a->org_email)) == NULL)
		it->org = dedup_norm_opt(a->org_name);
	if (opts->location)
		it->loc = dedup_norm_opt(a->location);
	it->start = a->start;
	it->end = a->end;
	it->smin = dd_minutes(a->start);
	it->emin = dd_minutes(a->end);
	it->all_day = a->all_day == 1;
	it->recurring = a->recurring == 1;
	if (it->recurring && a->recur.data != NULL) {
		it->rec = xcalloc(1, sizeof *it->rec);
		if (recur_decode(
			a->recur.data, a->recur.len, it->rec, &cause) != 0) {
			free(cause);
			free(it->rec);
			it->rec = NULL;
		}
	}

	it->avoided = dedup_matches(ctx->avoid, a->creator, a->modifier);
	it->preferred = dedup_matches(ctx->prefer, a->creator, a->modifier);

	it->score = appt_has_body(a);
	it->score += a->reminder_set == 1;
	it->score += a->ncategories > 0;
	it->score += a->nrcpts > 0;
	it->score += a->tz_struct.data != NULL || a->tzdef_start.data != NULL ||
		    a->tzdef_end.data != NULL || a->tzdef_recur.data != NULL;
	it->score += a->location != NULL && *a->location != '\0';
	it->score += a->nattach > 0;
	it->score += a->nexcs > INT32_MAX ? INT32_MAX : (int64_t)a->nexcs;
	it->seq = a->sequence > 0 ? a->sequence : 0;
	it->instance = a->goid.data != NULL && a->goid.len >= 20 &&
		    (a->goid.data[16] | a->goid.data[17] |
		    a->goid.data[18] | a->goid.data[19]) != 0;
}

static void
dedup_item_free(struct dedup_item *it)
{
	free(it->idcopy);
	free(it->subject);
	free(it->org);
	free(it->loc);
	if (it->rec != NULL) {
		recur_free(it->rec);
		free(it->rec);
	}
}

static void
dedup_key_i64(struct buf *b, int64_t v)
{
	buf_add(b, &v, sizeof v);
}

/* Length-prefixed, so no byte in the text can fake a field boundary. */
static void
dedup_key_str(struct buf *b, const char *s)
{
	int64_t len = s == NULL ? -1 : (int64_t)strlen(s);

	dedup_key_i64(b, len);
	if (s != NULL)
		buf_add(b, s, (size_t)len);
}

static XXH128_hash_t
dedup_hash_id(struct dedup_ctx *ctx, size_t i)
{
	return XXH3_128bits(ctx->items[i].id, ctx->items[i].idlen);
}

static XXH128_hash_t
dedup_hash_variant(struct dedup_ctx *ctx, size_t i)
{
	const struct dedup_item *it = &ctx->items[i];

	buf_reset(&ctx->buf);
	dedup_key_i64(&ctx->buf, (int64_t)it->idlen);
	buf_add(&ctx->buf, it->id, it->idlen);
	dedup_key_i64(&ctx->buf, it->recurring);
	dedup_key_i64(&ctx->buf, it->start);
	dedup_key_i64(&ctx->buf, it->end);
	dedup_key_str(&ctx->buf, it->subject);
	return XXH3_128bits(ctx->buf.p, ctx->buf.len);
}

static XXH128_hash_t
dedup_hash_content(struct dedup_ctx *ctx, size_t i)
{
	const struct dedup_item *it = &ctx->items[i];

	buf_reset(&ctx->buf);
	dedup_key_str(&ctx->buf, it->subject);
	dedup_key_i64(&ctx->buf, it->start);
	dedup_key_i64(&ctx->buf, it->end);
	dedup_key_i64(&ctx->buf, it->all_day);
	dedup_key_i64(&ctx->buf, it->recurring);
	dedup_key_str(&ctx->buf, it->org);
	dedup_key_str(&ctx->buf, it->loc);
	return XXH3_128bits(ctx->buf.p, ctx->buf.len);
}

static int
dedup_eq_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Same pattern; raw bytes when either blob does not decode. */
static int
dedup_eq_recur(const struct dedup_item *a, const struct dedup_item *b)
{
	if (!a->recurring)
		return 1;
	if (a->rec != NULL && b->rec != NULL)
		return recur_equal(a->rec, b->rec);
	return appt_blob_eq(&a->a->recur, &b->a->recur);
}

static int
dedup_eq_id(const struct dedup_ctx *ctx, size_t i, size_t j)
{
	const struct dedup_item *a = &ctx->items[i], *b = &ctx->items[j];

	return a->idlen == b->idlen && memcmp(a->id, b->id, a->idlen) == 0;
}

static int
dedup_eq_variant(const struct dedup_ctx *ctx, size_t i, size_t j)
{
	const struct dedup_item *a = &ctx->items[i], *b = &ctx->items[j];

	return dedup_eq_id(ctx, i, j) && a->recurring == b->recurring &&
	    a->start == b->start && a->end == b->end &&
	    strcmp(a->subject, b->subject) == 0 && dedup_eq_recur(a, b);
}

static int
dedup_eq_content(const struct dedup_ctx *ctx, size_t i, size_t j)
{
	const struct dedup_item *a = &ctx->items[i], *b = &ctx->items[j];

	return strcmp(a->subject, b->subject) == 0 && a->start == b->start &&
	    a->end == b->end && a->all_day == b->all_day &&
	    a->recurring == b->recurring && dedup_eq_str(a->org, b->org) &&
	    dedup_eq_str(a->loc, b->loc) && dedup_eq_recur(a, b);
}

static int
dedup_ent_cmp(const void *pa, const void *pb)
{
	const struct dedup_ent *a = pa, *b = pb;
	int c = XXH128_cmp(&a->h, &b->h);

	if (c != 0)
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

static int
dedup_group_cmp(const void *pa, const void *pb)
{
	const struct dedup_group *a = pa, *b = pb;

	/* Groups to review by hand come first. */
	if (a->review != b->review)
		return a->review ? -1 : 1;
	if (a->members[0] != b->members[0])
		return a->members[0] < b->members[0] ? -1 : 1;
	return (a->kind > b->kind) - (a->kind < b->kind);
}

/*
 * Put every selected item in a class of equal keys: rep[i] is the lowest
 * index of i's class. Sorting by digest brings candidates together; the
 * full comparison settles each digest run, so a collision never merges.
 */
static void
dedup_classify(struct dedup_ctx *ctx, const size_t *sel, size_t nsel,
    dedup_hash_fn hash, dedup_eq_fn eq, size_t *rep)
{
	struct dedup_ent *e;
	size_t *reps, nreps, lo, hi, r, i, k;

	e = xreallocarray(NULL, nsel, sizeof *e);
	reps = xreallocarray(NULL, nsel, sizeof *reps);
	for (k = 0; k < nsel; k++) {
		e[k].h = hash(ctx, sel[k]);
		e[k].i = sel[k];
	}
	qsort(e, nsel, sizeof *e, dedup_ent_cmp);
	for (lo = 0; lo < nsel; lo = hi) {
		nreps = 0;
		for (hi = lo; hi < nsel && XXH128_isEqual(e[hi].h, e[lo].h);
		    hi++) {
			i = e[hi].i;
			for (r = 0; r < nreps; r++) {
				if (eq(ctx, reps[r], i))
					break;
			}
			if (r == nreps)
				reps[nreps++] = i;
			rep[i] = reps[r];
		}
	}
	free(reps);
	free(e);
}

size_t
dd_find(size_t *parent, size_t i)
{
	size_t root = i, next;

	while (parent[root] != root)
		root = parent[root];
	while (parent[i] != root) {
		next = parent[i];
		parent[i] = root;
		i = next;
	}
	return root;
}

/*
 * Same meeting: classes of one id, split into variants (recurring flag,
 * start, end, subject, recurrence). Each variant starts as one
 * component; an id with several variants is one component, decided by
 * dedup_variants().
 */
static void
dedup_same_meeting(struct dedup_ctx *ctx)
{
	size_t i, nsel = 0;

	for (i = 0; i < ctx->n; i++) {
		ctx->rep_id[i] = ctx->rep_var[i] = i;
		if (ctx->items[i].id != NULL)
			ctx->sel[nsel++] = i;
	}
	dedup_classify(
	    ctx, ctx->sel, nsel, dedup_hash_id, dedup_eq_id, ctx->rep_id);
	dedup_classify(ctx, ctx->sel, nsel, dedup_hash_variant,
	    dedup_eq_variant, ctx->rep_var);
	for (i = 0; i < ctx->n; i++) {
		if (ctx->rep_var[i] == i)
			ctx->nvar[ctx->rep_id[i]]++;
	}
	/* The variants of one id are decided together. */
	for (i = 0; i < ctx->n; i++)
		ctx->parent[i] = ctx->nvar[ctx->rep_id[i]] > 1 ?
		    ctx->rep_id[i] : ctx->rep_var[i];
}

/*
 * Same content, across different or missing ids: joins components.
 * The copies of an id with several variants stay out, as their id says
 * more than their content; items without a start and end cannot be
 * shown to fall on the same day.
 */
static void
dedup_same_content(struct dedup_ctx *ctx)
{
	const struct dedup_item *it;
	size_t i, k, a, b, nsel = 0;

	for (i = 0; i < ctx->n; i++) {
		it = &ctx->items[i];
		if (ctx->nvar[ctx->rep_id[i]] <= 1 && it->smin != APPT_NOTIME &&
		    it->emin != APPT_NOTIME)
			ctx->sel[nsel++] = i;
	}
	dedup_classify(ctx, ctx->sel, nsel, dedup_hash_content,
	    dedup_eq_content, ctx->rep_con);
	for (k = 0; k < nsel; k++) {
		i = ctx->sel[k];
		if (ctx->rep_con[i] == i)
			continue;
		a = dd_find(ctx->parent, ctx->rep_con[i]);
		b = dd_find(ctx->parent, i);
		if (a == b)
			continue;
		/* The lower root stays root: the result is order-free. */
		if (a < b) {
			ctx->parent[b] = a;
			ctx->merged[a] = 1;
		} else {
			ctx->parent[a] = b;
			ctx->merged[b] = 1;
		}
	}
}

int
dedup_run(const struct appt_list *list, const struct dedup_opts *opts,
    struct dedup_result *res, char **cause)
{
	static const struct dedup_opts defaults = {
	    DEDUP_POLICY_COMPLETE, NULL, NULL, 0};
	struct dedup_ctx ctx;
	size_t n = list->n, i;

	memset(res, 0, sizeof *res);
	if (opts == NULL)
		opts = &defaults;
	if (opts->policy != DEDUP_POLICY_COMPLETE &&
	    opts->policy != DEDUP_POLICY_OLDEST &&
	    opts->policy != DEDUP_POLICY_NEWEST) {
		xasprintf(
		    cause, "unknown survivor policy %d", (int)opts->policy);
		return -1;
	}

	memset(&ctx, 0, sizeof ctx);
	ctx.opts = opts;
	ctx.n = n;
	if (opts->avoid != NULL)
		ctx.avoid = dedup_norm_subject(opts->avoid);
	if (opts->prefer != NULL)
		ctx.prefer = dedup_norm_subject(opts->prefer);
	ctx.items = xcalloc(n, sizeof *ctx.items);
	for (i = 0; i < n; i++) {
		ctx.items[i].a = list->v[i];
		dedup_item_init(&ctx, i);
	}
	ctx.sel = xcalloc(n, sizeof *ctx.sel);
	ctx.rep_id = xcalloc(n, sizeof *ctx.rep_id);
	ctx.rep_var = xcalloc(n, sizeof *ctx.rep_var);
	ctx.rep_con = xcalloc(n, sizeof *ctx.rep_con);
	ctx.parent = xcalloc(n, sizeof *ctx.parent);
	ctx.nvar = xcalloc(n, sizeof *ctx.nvar);
	ctx.surv = xcalloc(n, sizeof *ctx.surv);
	ctx.merged = xcalloc(n, sizeof *ctx.merged);

	dedup_same_meeting(&ctx);
	dedup_same_content(&ctx);

	/* Groups are disjoint: at most one per two items. */
	res->groups = xcalloc(n / 2 + 1, sizeof *res->groups);
	res->dup_of = xcalloc(n, sizeof *res->dup_of);
	res->nitems = n;
	for (i = 0; i < n; i++)
		res->dup_of[i] = DEDUP_KEPT;
	dd_components(&ctx, res);
	qsort(res->groups, res->ngroups, sizeof *res->groups, dedup_group_cmp);
	for (i = 0; i < n; i++) {
		if (res->dup_of[i] == DEDUP_KEPT)
			res->kept++;
	}
	res->removed = n - res->kept;

	for (i = 0; i < n; i++)
		dedup_item_free(&ctx.items[i]);
	free(ctx.items);
	free(ctx.sel);
	free(ctx.rep_id);
	free(ctx.rep_var);
	free(ctx.rep_con);
	free(ctx.parent);
	free(ctx.nvar);
	free(ctx.surv);
	free(ctx.merged);
	buf_free(&ctx.buf);
	free(ctx.avoid);
	free(ctx.prefer);
	return 0;
}

void
dedup_result_free(struct dedup_result *res)
{
	size_t i;

	for (i = 0; i < res->ngroups; i++) {
		free(res->groups[i].members);
		free(res->groups[i].key);
		free(res->groups[i].why);
		free(res->groups[i].older);
	}
	free(res->groups);
	free(res->dup_of);
	memset(res, 0, sizeof *res);
}

const char *
dedup_kind_name(enum dedup_kind kind)
{
	switch (kind) {
	case DEDUP_SAME_MEETING:
		return "same-meeting";
	case DEDUP_SAME_CONTENT:
		return "same-content";
	case DEDUP_CONFLICT:
		return "conflict";
	}
	return "unknown";
}

const char *
dedup_kind_words(enum dedup_kind kind)
{
	switch (kind) {
	case DEDUP_SAME_MEETING:
		return "same meeting";
	case DEDUP_SAME_CONTENT:
		return "same content";
	case DEDUP_CONFLICT:
		return "conflict";
	}
	return "unknown";
}

const char *
dedup_rule_name(enum dedup_rule rule)
{
	switch (rule) {
	case DEDUP_RULE_REVISION:
		return "revision";
	case DEDUP_RULE_CHANGES:
		return "user-changes";
	case DEDUP_RULE_AVOID:
		return "avoid";
	case DEDUP_RULE_PREFER:
		return "prefer";
	case DEDUP_RULE_FOLDER:
		return "calendar-folder";
	case DEDUP_RULE_POLICY:
		return "policy";
	case DEDUP_RULE_ORDER:
		return "order";
	case DEDUP_RULE_UNDECIDED:
		return "undecided";
	}
	return "unknown";
}

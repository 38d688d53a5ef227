/* dedup.c: group duplicate appointments and choose the copy to keep. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include <xxhash.h>

#include "dedup.h"
#include "ft.h"
#include "recur.h"
#include "text.h"
#include "xmalloc.h"

/*
 * Times are compared at full FILETIME resolution: two copies with one
 * CleanGlobalObjectId whose starts differ even by seconds (21:54:25.745
 * vs 21:54:00 in a real OST) are not provably the same occurrence, so
 * they are a conflict, which only a newer revision decides.
 * Whole minutes serve only to print keys.
 */
#define DEDUP_UNIX_EPOCH_MIN (FT_UNIX_EPOCH / FT_MIN)
#define DEDUP_HEX_MAX 64 /* id bytes spelled out in a key */

struct dedup_item {
	const struct appt *a;
	const uint8_t *id; /* Clean GOID, or idcopy; NULL if none */
	uint8_t *idcopy;   /* GOID with the instance date zeroed */
	size_t idlen;
	int id_clean;	    /* id is the Clean GOID */
	char *subject;	    /* normalized, never NULL */
	char *org;	    /* normalized organizer, or NULL */
	char *loc;	    /* normalized, only with opts->location */
	int64_t start, end; /* FILETIME, or APPT_NOTIME */
	int64_t smin, emin; /* whole minutes, for keys as text */
	int all_day, recurring;
	struct recur *rec; /* decoded pattern, or NULL */
	int avoided, preferred;
	int64_t score; /* completeness */
	int64_t seq;   /* sequence, 0 when absent (RFC 5545's default) */
	int instance;  /* the GOID names one occurrence */
};

struct dedup_buf {
	uint8_t *p;
	size_t len, cap;
};

/* Per-item arrays are indexed like the list. */
struct dedup_ctx {
	const struct dedup_opts *opts;
	char *avoid, *prefer; /* normalized needles */
	struct dedup_item *items;
	size_t n;
	struct dedup_buf buf; /* scratch for canonical keys */
	size_t *sel;	      /* scratch: items to classify */
	size_t *rep_id;	      /* lowest index with the same id */
	size_t *rep_var;      /* ... with the same id and variant */
	size_t *rep_con;      /* ... with the same content */
	size_t *parent;	      /* union-find: variants joined by content */
	size_t *nvar;	      /* per rep_id: number of variants */
	size_t *surv;	      /* per root: the copy to keep */
	uint8_t *merged;      /* per root: joined by content */
};

struct dedup_ent {
	XXH128_hash_t h;
	size_t i;
};

typedef XXH128_hash_t (*dedup_hash_fn)(struct dedup_ctx *, size_t);
typedef int (*dedup_eq_fn)(const struct dedup_ctx *, size_t, size_t);

static int dedup_is_space(uint32_t);
static char *dedup_norm_opt(const char *);
static int dedup_matches(const char *, const char *, const char *);
static int64_t dedup_minutes(int64_t);
static void dedup_item_init(struct dedup_ctx *, size_t);
static void dedup_item_free(struct dedup_item *);
static void dedup_buf_add(struct dedup_buf *, const void *, size_t);
static void dedup_buf_i64(struct dedup_buf *, int64_t);
static void dedup_buf_str(struct dedup_buf *, const char *);
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
static size_t dedup_find(size_t *, size_t);
static int dedup_created_cmp(int64_t, int64_t, int);
static int dedup_revision(const struct dedup_item *, const struct dedup_item *);
static int dedup_diverged(const struct dedup_item *, const struct dedup_item *);
static int dedup_changes(const struct dedup_item *, const struct dedup_item *);
static int dedup_rank(
    const struct dedup_ctx *, size_t, size_t, enum dedup_rule *);
static int dedup_better(const struct dedup_ctx *, size_t, size_t);
static char *dedup_why(const struct dedup_ctx *, size_t, size_t,
    enum dedup_rule);
static void dedup_same_meeting(struct dedup_ctx *);
static void dedup_same_content(struct dedup_ctx *);
static void dedup_components(struct dedup_ctx *, struct dedup_result *);
static void dedup_copies(struct dedup_ctx *, struct dedup_result *,
    struct dedup_group *, const size_t *, size_t);
static void dedup_variants(struct dedup_ctx *, struct dedup_result *,
    struct dedup_group *, const size_t *, size_t);
static void dedup_derive(struct appt *, const char *,
    char *(*)(const struct appt *));
static int dedup_uid_cmp(const void *, const void *);
static char *dedup_key_id(const struct dedup_item *, const char *);
static char *dedup_key_content(const struct dedup_ctx *, size_t);
static int64_t dedup_day(int64_t);
static void dedup_fmt_min(int64_t, char *, size_t, int);
static void dedup_fmt_time(int64_t, char *, size_t);

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

static int64_t
dedup_minutes(int64_t ft)
{
	int64_t q;

	if (ft == APPT_NOTIME)
		return APPT_NOTIME;
	q = ft / FT_MIN;
	if (ft % FT_MIN < 0)
		q--;
	return q;
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
	it->smin = dedup_minutes(a->start);
	it->emin = dedup_minutes(a->end);
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
dedup_buf_add(struct dedup_buf *b, const void *p, size_t len)
{
	if (b->cap - b->len < len) {
		b->cap = b->len + len + 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

static void
dedup_buf_i64(struct dedup_buf *b, int64_t v)
{
	dedup_buf_add(b, &v, sizeof v);
}

/* Length-prefixed, so no byte in the text can fake a field boundary. */
static void
dedup_buf_str(struct dedup_buf *b, const char *s)
{
	int64_t len = s == NULL ? -1 : (int64_t)strlen(s);

	dedup_buf_i64(b, len);
	if (s != NULL)
		dedup_buf_add(b, s, (size_t)len);
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

	ctx->buf.len = 0;
	dedup_buf_i64(&ctx->buf, (int64_t)it->idlen);
	dedup_buf_add(&ctx->buf, it->id, it->idlen);
	dedup_buf_i64(&ctx->buf, it->recurring);
	dedup_buf_i64(&ctx->buf, it->start);
	dedup_buf_i64(&ctx->buf, it->end);
	dedup_buf_str(&ctx->buf, it->subject);
	return XXH3_128bits(ctx->buf.p, ctx->buf.len);
}

static XXH128_hash_t
dedup_hash_content(struct dedup_ctx *ctx, size_t i)
{
	const struct dedup_item *it = &ctx->items[i];

	ctx->buf.len = 0;
	dedup_buf_str(&ctx->buf, it->subject);
	dedup_buf_i64(&ctx->buf, it->start);
	dedup_buf_i64(&ctx->buf, it->end);
	dedup_buf_i64(&ctx->buf, it->all_day);
	dedup_buf_i64(&ctx->buf, it->recurring);
	dedup_buf_str(&ctx->buf, it->org);
	dedup_buf_str(&ctx->buf, it->loc);
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

static size_t
dedup_find(size_t *parent, size_t i)
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
static int
dedup_diverged(const struct dedup_item *a, const struct dedup_item *b)
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

	if (!dedup_diverged(a, b))
		return 0;
	ab = recur_includes(a->rec, b->rec);
	ba = recur_includes(b->rec, a->rec);
	if (ab != ba)
		return ab ? -1 : 1;
	return 0;
}

/* <0 when item i is the better survivor, >0 when j is; *rule says which
 * rule decided. Never 0: the item order decides last. */
static int
dedup_rank(const struct dedup_ctx *ctx, size_t i, size_t j,
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
static int
dedup_better(const struct dedup_ctx *ctx, size_t i, size_t j)
{
	enum dedup_rule rule;

	return dedup_rank(ctx, i, j, &rule) < 0;
}

/* Why survivor i beat copy j by rule, as the report prints it. */
static char *
dedup_why(const struct dedup_ctx *ctx, size_t i, size_t j,
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
				dedup_fmt_time(x->seq_time, ta, sizeof ta);
				dedup_fmt_time(y->seq_time, tb, sizeof tb);
				note = "sequence time";
			} else {
				dedup_fmt_time(x->crit_change, ta, sizeof ta);
				dedup_fmt_time(y->crit_change, tb, sizeof tb);
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

/* Days since 1970-01-01 of a time in minutes since 1601. */
static int64_t
dedup_day(int64_t min)
{
	int64_t um = min - DEDUP_UNIX_EPOCH_MIN;

	return um / 1440 - (um % 1440 < 0);
}

/* Minutes since 1601 as "YYYY-MM-DD HH:MMZ", or "HH:MMZ" with !date. */
static void
dedup_fmt_min(int64_t min, char *out, size_t size, int date)
{
	int64_t days = dedup_day(min), era, y;
	unsigned doe, yoe, doy, mp, m, d, mod;

	mod = (unsigned)(min - DEDUP_UNIX_EPOCH_MIN - days * 1440);
	/* Civil date from days since 1970 (H. Hinnant's algorithm). */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = (int64_t)yoe + era * 400 + (m <= 2);
	if (date)
		snprintf(out, size, "%04lld-%02u-%02u %02u:%02uZ", (long long)y,
		    m, d, mod / 60, mod % 60);
	else
		snprintf(out, size, "%02u:%02uZ", mod / 60, mod % 60);
}

/* A FILETIME as "YYYY-MM-DD HH:MMZ", or "none" when absent. */
static void
dedup_fmt_time(int64_t ft, char *out, size_t size)
{
	if (ft == APPT_NOTIME)
		snprintf(out, size, "none");
	else
		dedup_fmt_min(dedup_minutes(ft), out, size, 1);
}

static char *
dedup_key_content(const struct dedup_ctx *ctx, size_t i)
{
	const struct dedup_item *it = &ctx->items[i];
	char start[64], end[64], *org, *loc, *key;

	dedup_fmt_min(it->smin, start, sizeof start, 1);
	dedup_fmt_min(it->emin, end, sizeof end,
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
		a = dedup_find(ctx->parent, ctx->rep_con[i]);
		b = dedup_find(ctx->parent, i);
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

/* One group per component of two or more. */
static void
dedup_components(struct dedup_ctx *ctx, struct dedup_result *res)
{
	struct dedup_group *g;
	size_t n = ctx->n, i, root, *size, *off, *members;

	size = xcalloc(n, sizeof *size);
	off = xcalloc(n + 1, sizeof *off);
	members = xcalloc(n, sizeof *members);
	for (i = 0; i < n; i++)
		size[dedup_find(ctx->parent, i)]++;
	for (i = 0; i < n; i++) {
		off[i + 1] = off[i] + size[i];
		size[i] = 0;
	}
	/* After dedup_find() every parent is a root. */
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
		if (dedup_better(ctx, m[k], surv))
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
		if (next == SIZE_MAX || dedup_better(ctx, m[k], next))
			next = m[k];
	}
	dedup_rank(ctx, surv, next, &g->rule);
	g->why = dedup_why(ctx, surv, next, g->rule);
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
		} else if (dedup_better(ctx, m[k], best[p]))
			best[p] = m[k];
		var[k] = p;
	}
	for (p = 0; p < nb; p++) {
		for (q = p + 1; q < nb; q++) {
			if (!dedup_diverged(&ctx->items[best[p]],
			    &ctx->items[best[q]]))
				diverged = 0;
			if (dedup_rank(ctx, best[p], best[q], &rule) < 0) {
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
		for (q = nkeep; q > 0 && dedup_better(ctx, best[p],
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
		for (w = p, q = 0; dom[w] != SIZE_MAX && q < nb; w = dom[w], q++)
			continue;
		res->dup_of[m[k]] = best[w];
		if (dom[p] == keep[0] && first == SIZE_MAX)
			first = p;
	}

	if (nkeep == 1) {
		/* The variant beaten by the survivor itself explains it. */
		g->rule = domrule[first];
		g->why = dedup_why(ctx, g->members[0], best[first], g->rule);
	} else {
		g->rule = DEDUP_RULE_UNDECIDED;
		g->review = 1;
		dedup_rank(ctx, g->members[0], g->members[1], &rule);
		why = dedup_why(ctx, g->members[0], g->members[1], rule);
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
	dedup_components(&ctx, res);
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
	free(ctx.buf.p);
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

struct dedup_uid {
	uint64_t h;	   /* of uid: most comparisons end here */
	char *uid;	   /* as it would be written, owned */
	const char *file;  /* kept: its output file; removed: NULL */
	size_t i;
};

/* Give a the UID "pstdedup-ROLE-NID-UID" after its current one. */
static void
dedup_derive(struct appt *a, const char *role,
    char *(*uid)(const struct appt *))
{
	char *base = uid(a), *derived;

	xasprintf(&derived, "pstdedup-%s-%" PRIx64 "-%s", role, a->id, base);
	free(base);
	free(a->uid);
	a->uid = derived;
}

/* Equal UIDs together (by hash, then UID: GOID UIDs share a long
 * prefix), kept before removed, then item order. */
static int
dedup_uid_cmp(const void *pa, const void *pb)
{
	const struct dedup_uid *a = pa, *b = pb;
	int c;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	if ((c = strcmp(a->uid, b->uid)) != 0)
		return c;
	if ((a->file == NULL) != (b->file == NULL))
		return a->file == NULL ? 1 : -1;
	return (a->i > b->i) - (a->i < b->i);
}

void
dedup_uids(struct appt_list *list, const struct dedup_result *res,
    char *(*uid)(const struct appt *),
    const char *(*file)(const struct appt *))
{
	const struct dedup_group *g;
	struct dedup_uid *v;
	size_t n = list->n, i, j, k, lo, hi, pass;
	int changed, clash;

	for (i = 0; i < res->ngroups; i++) {
		g = &res->groups[i];
		for (j = 1; g->review && j < g->n; j++)
			if (res->dup_of[g->members[j]] == DEDUP_KEPT)
				dedup_derive(list->v[g->members[j]], "copy",
				    uid);
	}
	for (i = 0; i < n; i++)
		if (res->dup_of[i] != DEDUP_KEPT)
			dedup_derive(list->v[i], "removed", uid);

	/* Whatever still clashes (two GOIDs that spell one vCal-Uid, an
	 * input that already had such a UID): the later copy moves. Each
	 * pass derives from the UID before, so passes end. */
	v = xcalloc(n, sizeof *v);
	for (pass = 0, changed = 1; changed && pass < 8; pass++) {
		changed = 0;
		for (i = 0; i < n; i++) {
			v[i].uid = uid(list->v[i]);
			v[i].h = XXH3_64bits(v[i].uid, strlen(v[i].uid));
			v[i].i = i;
			v[i].file = res->dup_of[i] != DEDUP_KEPT ? NULL :
			    file != NULL && file(list->v[i]) != NULL ?
			    file(list->v[i]) : "";
		}
		qsort(v, n, sizeof *v, dedup_uid_cmp);
		for (lo = 0; lo < n; lo = hi) {
			for (hi = lo + 1; hi < n &&
			    strcmp(v[hi].uid, v[lo].uid) == 0; hi++)
				continue;
			for (k = lo + 1; k < hi; k++) {
				clash = v[k].file == NULL;
				for (j = lo; !clash && j < k; j++)
					clash = strcmp(v[j].file,
					    v[k].file) == 0;
				if (clash) {
					dedup_derive(list->v[v[k].i],
					    v[k].file == NULL ? "removed" :
					    "copy", uid);
					changed = 1;
				}
			}
		}
		for (i = 0; i < n; i++)
			free(v[i].uid);
	}
	free(v);
}

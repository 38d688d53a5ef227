/*
 * dedup_int.h: what the parts of dedup share, private to them (dedup.h
 * is the interface).
 *
 * dedup.c prepares the items (normalized text, ids, completeness),
 * sorts them into classes of equal keys (same meeting, same content)
 * and joins them into components, then runs the whole pass
 * (dedup_run()); dedup_rank.c chooses between two copies (the rules of
 * enum dedup_rule) and says why in words; dedup_group.c turns each
 * component into a group (its survivor, members, rule and readable
 * key); dedup_uids.c gives the copies that stay side by side or are
 * removed UIDs of their own (dedup_uids()).
 *
 * A struct dedup_ctx is one dedup_run() and owns its per-item arrays
 * and the normalized texts of its items; the appointments are the
 * caller's and are never changed, except by dedup_uids(). Groups and
 * their texts belong to the dedup_result. Nothing here fails.
 */
#ifndef DEDUP_INT_H
#define DEDUP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "dedup.h"
#include "model.h"
#include "recur.h"

/*
 * Times are compared at full FILETIME resolution: two copies with one
 * CleanGlobalObjectId whose starts differ even by seconds (21:54:25.745
 * vs 21:54:00 in a real OST) are not provably the same occurrence, so
 * they are a conflict, which only a newer revision decides.
 * Whole minutes serve only to print keys.
 */
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

/* Per-item arrays are indexed like the list. */
struct dedup_ctx {
	const struct dedup_opts *opts;
	char *avoid, *prefer; /* normalized needles */
	struct dedup_item *items;
	size_t n;
	struct buf buf;       /* scratch for canonical keys */
	size_t *sel;	      /* scratch: items to classify */
	size_t *rep_id;	      /* lowest index with the same id */
	size_t *rep_var;      /* ... with the same id and variant */
	size_t *rep_con;      /* ... with the same content */
	size_t *parent;	      /* union-find: variants joined by content */
	size_t *nvar;	      /* per rep_id: number of variants */
	size_t *surv;	      /* per root: the copy to keep */
	uint8_t *merged;      /* per root: joined by content */
};

/* dedup.c */
/* Whole minutes of a FILETIME (rounded down), APPT_NOTIME kept. */
int64_t	 dd_minutes(int64_t);
/* Union-find: the root of i's component, with path compression. */
size_t	 dd_find(size_t *, size_t);

/* dedup_rank.c */
/* <0 when item i is the better survivor, >0 when j is; *rule says
 * which rule decided. Never 0: the item order decides last. */
int	 dd_rank(const struct dedup_ctx *, size_t, size_t,
	    enum dedup_rule *);
/* Whether item i is a better survivor than item j. */
int	 dd_better(const struct dedup_ctx *, size_t, size_t);
/* Two copies of one series that differ at most in their exceptions. */
int	 dd_diverged(const struct dedup_item *, const struct dedup_item *);
/* Why survivor i beat copy j by rule, as the report prints it;
 * allocated. */
char	*dd_why(const struct dedup_ctx *, size_t, size_t, enum dedup_rule);

/* dedup_group.c */
/* One group in res per component of two or more. */
void	 dd_components(struct dedup_ctx *, struct dedup_result *);
/* Minutes since 1601 as "YYYY-MM-DD HH:MMZ", or "HH:MMZ" with !date. */
void	 dd_fmt_min(int64_t, char *, size_t, int);
/* A FILETIME as "YYYY-MM-DD HH:MMZ", or "none" when absent. */
void	 dd_fmt_time(int64_t, char *, size_t);

#endif

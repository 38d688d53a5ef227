/* dedup.h: duplicate groups and survivors. No libpff, no libical.
 *
 * Keys (see README and man page):
 *  - same meeting: equal CleanGlobalObjectId on masters/single items,
 *    same recurring flag, same start and end;
 *  - same content: normalized subject + start + end + all-day +
 *    organizer + recurring flag (+ equal decoded recurrence for series;
 *    + location with dedup_opts.location);
 *  - conflict: same CleanGlobalObjectId but different start, end or
 *    subject: reported, every copy kept.
 * Digests are XXH3-128 over the canonical key; equal digests are
 * confirmed by comparing the full keys. Output order does not depend on
 * hashing: groups are sorted by their first member's index.
 *
 * Errors: 0, or -1 with *cause allocated.
 * Ownership: the result owns its arrays; groups hold indexes into the
 * list given to dedup_run() and never own appointments.
 */
#ifndef DEDUP_H
#define DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

enum dedup_kind {
	DEDUP_SAME_MEETING = 1,
	DEDUP_SAME_CONTENT,
	DEDUP_CONFLICT
};

enum dedup_policy {
	DEDUP_POLICY_COMPLETE = 0,	/* most complete copy, then oldest */
	DEDUP_POLICY_OLDEST,		/* earliest creation time */
	DEDUP_POLICY_NEWEST		/* latest creation time */
};

struct dedup_opts {
	enum dedup_policy policy;
	const char	*prefer;	/* keep copies whose creator or last
					   modifier contains this (case-
					   insensitive), or NULL */
	const char	*avoid;		/* drop copies whose creator or last
					   modifier contains this, or NULL */
	int		 location;	/* add location to the content key */
};

#define DEDUP_KEPT	SIZE_MAX

struct dedup_group {
	enum dedup_kind	 kind;
	size_t		*members;	/* indexes; survivor first */
	size_t		 n;
	char		*key;		/* the key that matched, readable */
};

struct dedup_result {
	struct dedup_group *groups;
	size_t		 ngroups;
	size_t		*dup_of;	/* per item: DEDUP_KEPT, or the index
					   of the copy it duplicates */
	size_t		 nitems;
	size_t		 kept, removed, conflicts;
};

int	dedup_run(const struct appt_list *, const struct dedup_opts *,
	    struct dedup_result *, char **);
void	dedup_result_free(struct dedup_result *);

/* Trim, collapse white space, case-fold (Unicode simple folding for
 * Latin, Greek, Cyrillic). Owned by caller. */
char	*dedup_norm_subject(const char *);

/* A short reason for a removal, e.g. "same meeting (CleanGlobalObjectId
 * 0400...)". Borrowed, static. */
const char *dedup_kind_name(enum dedup_kind);

#endif

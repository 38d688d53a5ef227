/* dedup.h: duplicate groups and survivors. No libpff, no libical.
 * (dedup_int.h says which part of the module does what.)
 *
 * Keys (see README and man page):
 *  - same meeting: equal CleanGlobalObjectId on masters/single items,
 *    same recurring flag, same start and end (a series whose copies
 *    differ only in their exceptions is one diverged meeting);
 *  - same content: normalized subject + start + end + all-day +
 *    organizer + recurring flag (+ equal decoded recurrence for series;
 *    + location with dedup_opts.location);
 *  - conflict: same CleanGlobalObjectId but different start, end or
 *    subject.
 * Survivor, in this order (enum dedup_rule): the newer revision
 * (sequence, then sequence time, then owner critical change), the copy
 * holding all of the other's changes to a series, --avoid, --prefer, a
 * copy in a calendar folder, the -k policy, the item order. Between
 * different variants of one id only the first two decide; when they
 * cannot, the group is undecided: each variant's best copy is kept and
 * the group is flagged for review.
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

/* What chose a group's survivor. */
enum dedup_rule {
	DEDUP_RULE_REVISION = 1,	/* newer revision of the meeting */
	DEDUP_RULE_CHANGES,		/* holds all of the user's changes */
	DEDUP_RULE_AVOID,
	DEDUP_RULE_PREFER,
	DEDUP_RULE_FOLDER,		/* in a calendar folder */
	DEDUP_RULE_POLICY,		/* -k */
	DEDUP_RULE_ORDER,		/* first in the file */
	DEDUP_RULE_UNDECIDED		/* copies kept, review by hand */
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
	size_t		*members;	/* indexes; survivor first; when
					   undecided the kept copies next */
	size_t		 n;
	char		*key;		/* the key that matched, readable */
	unsigned char	*older;		/* per member: removed as an older
					   revision (or with fewer of the
					   user's changes); NULL: none */
	enum dedup_rule	 rule;		/* what chose members[0] */
	char		*why;		/* why, readable */
	int		 review;	/* undecided: check by hand */
};

struct dedup_result {
	struct dedup_group *groups;
	size_t		 ngroups;
	size_t		*dup_of;	/* per item: DEDUP_KEPT, or the index
					   of the copy it duplicates */
	size_t		 nitems;
	size_t		 kept, removed, conflicts;
	size_t		 review;	/* groups flagged for review, listed
					   first in groups */
};

int	dedup_run(const struct appt_list *, const struct dedup_opts *,
	    struct dedup_result *, char **);
void	dedup_result_free(struct dedup_result *);

/* Trim, collapse white space, full Unicode case folding and NFC
 * (libunistring). Owned by caller. */
char	*dedup_norm_subject(const char *);

/*
 * UIDs that cannot collide: the kept copies after the first of an
 * undecided group and every removed copy get a derived UID (a->uid,
 * owned by the item), then any two kept items that one file would
 * still write with one UID, or a removed copy sharing a UID with any
 * item, get one too. Derived UIDs are "pstdedup-copy-NID-UID" or
 * "pstdedup-removed-NID-UID": deterministic, not Outlook's hex form (so
 * Outlook wraps them as vCal-Uid GOIDs), distinct. uid gives the UID an
 * item would be written with (owned by caller, e.g. writer_uid); file
 * names the output file a kept item goes to, NULL when all go to one.
 */
void	dedup_uids(struct appt_list *, const struct dedup_result *,
	    char *(*)(const struct appt *),
	    const char *(*)(const struct appt *));

/* "revision", "user-changes", "avoid", "prefer", "calendar-folder",
 * "policy", "order", "undecided". Borrowed, static. */
const char *dedup_rule_name(enum dedup_rule);

/* A group's kind as the JSON and CSV reports name it ("same-meeting",
 * "same-content", "conflict"), and in words for people ("same
 * meeting"...). Borrowed, static. */
const char *dedup_kind_name(enum dedup_kind);
const char *dedup_kind_words(enum dedup_kind);

#endif

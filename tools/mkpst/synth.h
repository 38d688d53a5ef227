/* synth.h: synthetic PSTs from a seed, for scale tests and benchmarks.
 *
 * Writes opts->n calendar items (a deterministic mix of singles,
 * all-day events, meetings and weekly series with exceptions), of which
 * a share are planted duplicates, plus optional mails in an Inbox. Each
 * message is written as soon as it is made, so memory stays flat.
 *
 * Errors: 0, or -1 with *cause allocated and *kind one of FIXTURE_E*.
 */
#ifndef SYNTH_H
#define SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "pstwrite.h"

struct synth_opts {
	uint64_t	 n;		/* calendar items, copies included */
	uint64_t	 seed;
	double		 dup_share;	/* 0..1: share of n that are copies */
	size_t		 body_bytes;	/* body length of each appointment */
	uint64_t	 mails;		/* IPM.Note items in "Inbox" */
	size_t		 attach_bytes;	/* 0: no attachments */
	struct pstw_opts pst;		/* file form and encoding */
};

/* What was planted: pstdedup should remove exactly goid_dups +
 * content_dups items. */
struct synth_stats {
	uint64_t	 items;		/* calendar items written */
	uint64_t	 originals;
	uint64_t	 singles;
	uint64_t	 all_day;
	uint64_t	 meetings;
	uint64_t	 series;
	uint64_t	 exceptions;	/* on originals */
	uint64_t	 goid_dups;	/* same GOID, other creator */
	uint64_t	 content_dups;	/* same content, neither has a GOID */
	uint64_t	 mails;
	uint64_t	 attachments;
};

int	synth_run(const char *, const struct synth_opts *,
	    struct synth_stats *, int *, char **);

#endif

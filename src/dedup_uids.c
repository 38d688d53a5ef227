/* dedup_uids.c: UIDs of their own for the copies that are kept side
 * by side or removed, so that no two written events clash
 * (dedup_uids() in dedup.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "dedup.h"
#include "xmalloc.h"

static void dedup_derive(struct appt *, const char *,
    char *(*)(const struct appt *));
static int dedup_uid_cmp(const void *, const void *);

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

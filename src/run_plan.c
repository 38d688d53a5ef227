/* run_plan.c: which folder's items go to which file (run_int.h,
 * run.h).
 *
 * A folder that had items, or skipped ones, gets its counts and its
 * path below the top of the store; the default calendar gets the names
 * given (-o, -r), every other folder a name derived from them with its
 * path, numbered where two would be equal ignoring case, as Windows
 * compares them. Nothing here fails or prints. */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dedup.h"
#include "run.h"
#include "run_int.h"
#include "xmalloc.h"

char *
run_output_name(const char *file, const char *folder)
{
	const char	*p;
	char		*out, *q;
	size_t		 len, i, n;

	if (folder == NULL)
		return xstrdup(file);
	len = strlen(file);
	if (len > 4 && strcasecmp(file + len - 4, ".ics") == 0)
		len -= 4;
	n = strlen(folder);
	out = xmalloc(len + 1 + n + 5);
	memcpy(out, file, len);
	q = out + len;
	*q++ = '-';
	for (p = folder, i = 0; i < n; i++, p++) {
		if (*p == '/')
			q[i] = '-';
		else if ((unsigned char)*p < 0x20 || *p == 0x7F ||
		    strchr("<>:\"\\|?*", *p) != NULL)
			q[i] = '_';
		else
			q[i] = *p;
	}
	/* Windows drops a trailing dot or space from a name. */
	if (n > 0 && (q[n - 1] == '.' || q[n - 1] == ' '))
		q[n - 1] = '_';
	memcpy(q + n, ".ics", 5);
	return out;
}

/* Which folders get which files. */
void
pl_plan(struct run *r)
{
	const struct cli_opts		*o = r->o;
	const struct reader_folder	*rf;
	struct run_folder		*fv;
	ssize_t				 def;
	size_t				 i, j, kept;
	char				*part;
	int				 clash, k;

	def = pl_default(&r->rr);
	r->fv = xreallocarray(NULL, r->rr.nfolders + 1, sizeof *r->fv);
	for (i = 0; i < r->rr.nfolders; i++) {
		rf = &r->rr.folders[i];
		fv = &r->fv[r->nf];
		memset(fv, 0, sizeof *fv);
		fv->rf = rf;
		for (j = 0; j < r->rr.nskips; j++) {
			if (strcmp(r->rr.skips[j].folder, rf->path) == 0)
				fv->skipped++;
		}
		if (rf->count == 0 && fv->skipped == 0)
			continue;
		for (j = rf->first; j < rf->first + rf->count; j++) {
			if (r->dr.dup_of[j] == DEDUP_KEPT)
				fv->kept++;
			else
				fv->removed++;
		}
		fv->rel = pl_rel(&r->rr, rf->path);
		r->nf++;
		if ((ssize_t)i == def)
			continue;
		/* Equal ignoring case is equal on Windows: number them. */
		part = run_output_name("", fv->rel);
		part[strlen(part) - 4] = '\0';
		memmove(part, part + 1, strlen(part));
		for (k = 1;; k++) {
			if (k > 1) {
				free(fv->part);
				xasprintf(&fv->part, "%s-%d", part, k);
			} else
				fv->part = xstrdup(part);
			clash = 0;
			for (j = 0; j + 1 < r->nf; j++) {
				if (r->fv[j].part != NULL &&
				    strcasecmp(r->fv[j].part, fv->part) == 0)
					clash = 1;
			}
			if (!clash)
				break;
		}
		free(part);
	}
	kept = 0;
	for (i = 0; i < r->nf; i++)
		kept += r->fv[i].kept;
	/* --allow-empty: one empty calendar, the default one's. */
	if (kept == 0 && o->allow_empty && o->output != NULL) {
		for (i = 0; i < r->nf && r->fv[i].part != NULL; i++)
			;
		if (i == r->nf) {
			fv = &r->fv[r->nf++];
			memset(fv, 0, sizeof *fv);
		}
		r->fv[i].cal.path = xstrdup(o->output);
	}
	for (i = 0; i < r->nf; i++) {
		fv = &r->fv[i];
		if (o->output != NULL && fv->kept > 0)
			fv->cal.path = run_output_name(o->output,
			    strcmp(o->output, "-") == 0 ? NULL : fv->part);
		/* The default calendar's even when empty, as before. */
		if (o->removed != NULL && (fv->removed > 0 ||
		    (fv->part == NULL && fv->cal.path != NULL)))
			fv->rm.path = run_output_name(o->removed,
			    strcmp(o->removed, "-") == 0 ? NULL : fv->part);
	}
}

/* The default calendar: the folder PidTagIpmAppointmentEntryId names,
 * else the first calendar folder right below the top of the store. */
ssize_t
pl_default(const struct reader_result *rr)
{
	size_t	 i;
	char	*rel;
	int	 top;

	for (i = 0; i < rr->nfolders; i++) {
		if (rr->folders[i].is_default)
			return (ssize_t)i;
	}
	for (i = 0; i < rr->nfolders; i++) {
		if (!rr->folders[i].is_calendar)
			continue;
		rel = pl_rel(rr, rr->folders[i].path);
		top = strchr(rel, '/') == NULL;
		free(rel);
		if (top)
			return (ssize_t)i;
	}
	return -1;
}

/* A folder's path below the top of the store ("Calendar/Holidays");
 * with the top unknown, below the root's first level. */
char *
pl_rel(const struct reader_result *rr, const char *path)
{
	const char	*p, *slash;
	size_t		 n;

	if (rr->top != NULL && (n = strlen(rr->top)) > 0 &&
	    strncmp(path, rr->top, n) == 0 && path[n] == '/' &&
	    path[n + 1] != '\0')
		return xstrdup(path + n + 1);
	p = *path == '/' ? path + 1 : path;
	if ((slash = strchr(p, '/')) != NULL && slash[1] != '\0')
		return xstrdup(slash + 1);
	return xstrdup(*p != '\0' ? p : "folder");
}

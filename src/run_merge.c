/* run_merge.c: --merge, many inputs read as one (run_int.h).
 *
 * Every input is read, then their results become one reader_result: a
 * folder is the same folder in every file by its path below the top of
 * the store (ignoring case), and each file's default calendar is the
 * first file's. The merged folders come in the order they first
 * appear; their items follow folder by folder, each file's in turn, so
 * that every folder is one run of the list as the reader makes it.
 * Items outside every folder's range and all skips are kept. The
 * sources' items and pooled values move into the merged result; the
 * sources are freed. */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pack.h"
#include "reader.h"
#include "run_int.h"
#include "xmalloc.h"

/* The sources while they are merged. */
struct merge {
	struct reader_result	*src;	/* n of them */
	size_t			 n;
	struct reader_result	*dst;
	char			**key;	/* per merged folder: its key,
					   borrowed from fkey */
	char			***fkey; /* per source folder: its key, ""
					   for a default calendar */
};

static void	 merge_folders(struct merge *);
static void	 merge_items(struct merge *);
static void	 merge_rest(struct merge *);

/* Each source folder's key, and the merged folders: the first source
 * folder of a key gives its path and class, all add their counts. */
static void
merge_folders(struct merge *mg)
{
	struct reader_result	*src = mg->src, *dst = mg->dst;
	struct reader_folder	*f, *m;
	char			**key, ***fkey;
	size_t			 n = mg->n, i, j, mi;
	ssize_t			 def;

	fkey = xreallocarray(NULL, n, sizeof *fkey);
	key = NULL;
	for (i = 0; i < n; i++) {
		def = pl_default(&src[i]);
		fkey[i] = xreallocarray(NULL, src[i].nfolders + 1,
		    sizeof **fkey);
		for (j = 0; j < src[i].nfolders; j++) {
			f = &src[i].folders[j];
			fkey[i][j] = (ssize_t)j == def ? xstrdup("") :
			    pl_rel(&src[i], f->path);
			for (mi = 0; mi < dst->nfolders; mi++)
				if (strcasecmp(key[mi], fkey[i][j]) == 0)
					break;
			if (mi == dst->nfolders) {
				dst->folders = xreallocarray(dst->folders,
				    mi + 1, sizeof *dst->folders);
				key = xreallocarray(key, mi + 1, sizeof *key);
				key[mi] = fkey[i][j];
				m = &dst->folders[dst->nfolders++];
				*m = *f;
				m->path = xstrdup(f->path);
				m->container_class = f->container_class !=
				    NULL ? xstrdup(f->container_class) : NULL;
				m->nappts = m->nother = m->count = 0;
				m->is_default = (ssize_t)j == def;
			}
			m = &dst->folders[mi];
			m->is_calendar |= f->is_calendar;
			m->selected |= f->selected;
			m->nappts += f->nappts;
			m->nother += f->nother;
		}
	}
	mg->key = key;
	mg->fkey = fkey;
}

/* The items, folder by folder, each file's in turn; the skips of a
 * source folder name the merged folder. */
static void
merge_items(struct merge *mg)
{
	struct reader_result	*src = mg->src, *dst = mg->dst;
	struct reader_folder	*f, *m;
	struct appt		*a;
	char			**key = mg->key, ***fkey = mg->fkey;
	size_t			 n = mg->n, i, j, k, mi, first;

	for (mi = 0; mi < dst->nfolders; mi++) {
		m = &dst->folders[mi];
		first = dst->appts.n;
		for (i = 0; i < n; i++) {
			for (j = 0; j < src[i].nfolders; j++) {
				f = &src[i].folders[j];
				if (strcasecmp(fkey[i][j], key[mi]) != 0)
					continue;
				for (k = f->first; k < f->first + f->count &&
				    k < src[i].appts.n; k++) {
					if ((a = src[i].appts.v[k]) == NULL)
						continue;
					/* A packed item's folder is not its
					   own (pack.h): it borrows the merged
					   folder's path, freed after it. */
					if (a->pack == NULL) {
						free(a->folder);
						a->folder = xstrdup(m->path);
					} else
						a->folder = m->path;
					appt_list_push(&dst->appts, a);
					src[i].appts.v[k] = NULL;
				}
				for (k = 0; k < src[i].nskips; k++) {
					if (src[i].skips[k].folder != NULL &&
					    strcmp(src[i].skips[k].folder,
					    f->path) == 0) {
						free(src[i].skips[k].folder);
						src[i].skips[k].folder =
						    xstrdup(m->path);
					}
				}
			}
		}
		m->first = first;
		m->count = dst->appts.n - first;
	}
}

/* What is left of each source: items outside every folder's range
 * (kept as they are), the skips, the pooled values; then the source and
 * the keys are freed. */
static void
merge_rest(struct merge *mg)
{
	struct reader_result	*src = mg->src, *dst = mg->dst;
	size_t			 i, j, k;

	for (i = 0; i < mg->n; i++) {
		for (k = 0; k < src[i].appts.n; k++) {
			if (src[i].appts.v[k] != NULL)
				appt_list_push(&dst->appts, src[i].appts.v[k]);
		}
		src[i].appts.n = 0;
		dst->skips = xreallocarray(dst->skips, dst->nskips +
		    src[i].nskips + 1, sizeof *dst->skips);
		if (src[i].nskips > 0)
			memcpy(dst->skips + dst->nskips, src[i].skips,
			    src[i].nskips * sizeof *src[i].skips);
		dst->nskips += src[i].nskips;
		src[i].nskips = 0;
		for (j = 0; j < src[i].nfolders; j++)
			free(mg->fkey[i][j]);
		free(mg->fkey[i]);
		appt_pool_adopt(dst->pool, src[i].pool);
		reader_result_free(&src[i]);
	}
	free(mg->fkey);
	free(mg->key);
}

int
pl_read_merged(struct run *r, const struct reader_opts *ropts,
    const char **who, char **cause)
{
	const struct cli_opts	*o = r->o;
	struct reader_result	*src, *dst = &r->rr;
	struct merge		 mg;
	size_t			 n = (size_t)o->ninputs, i;
	int			 error;

	src = xreallocarray(NULL, n, sizeof *src);
	for (i = 0; i < n; i++) {
		if ((error = reader_read(o->inputs[i], ropts, &src[i],
		    cause)) != 0) {
			*who = o->inputs[i];
			while (i-- > 0)
				reader_result_free(&src[i]);
			free(src);
			return error;
		}
	}
	memset(dst, 0, sizeof *dst);
	appt_list_init(&dst->appts);
	dst->file_type = src[0].file_type;
	dst->store_name = src[0].store_name != NULL ?
	    xstrdup(src[0].store_name) : NULL;
	dst->top = src[0].top != NULL ? xstrdup(src[0].top) : NULL;
	dst->pool = appt_pool_new();
	for (i = 0; i < n; i++) {
		dst->password |= src[i].password;
		dst->left_out += src[i].left_out;
	}
	memset(&mg, 0, sizeof mg);
	mg.src = src;
	mg.n = n;
	mg.dst = dst;
	merge_folders(&mg);
	merge_items(&mg);
	merge_rest(&mg);
	free(src);
	return 0;
}

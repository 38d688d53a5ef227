/* folder.c: folders and their messages, over the NDB and LTP layers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "xmalloc.h"
#include "pst/mapi.h"
#include "pst/pstint.h"

static int	folder_read(struct pst *, struct pst_folder *);
static int	cmp_u32(const void *, const void *);

static int
folder_read(struct pst *f, struct pst_folder *fo)
{
	struct pst_pc	*pc;
	struct pst_prop	 v;
	char		*why = NULL;
	int		 r;

	if (pst_pc_open(f, fo->nid, &pc, &why) != 0)
		goto bad;
	if ((r = pst_pc_get(pc, MAPI_ID_DISPLAY_NAME, &v, &why)) < 0)
		goto badpc;
	if (r == 0 || pst_prop_utf8(&v, &fo->name) != 0)
		fo->name = xstrdup("");
	if ((r = pst_pc_get(pc, MAPI_ID_CONTAINER_CLASS, &v, &why)) < 0)
		goto badpc;
	if (r == 1)
		pst_prop_utf8(&v, &fo->container_class);
	if ((r = pst_pc_get(pc, MAPI_ID_CONTENT_COUNT, &v, &why)) < 0)
		goto badpc;
	if (r == 1 && v.type == MAPI_PT_LONG)
		fo->content_count = le_get32(v.p);
	pst_pc_free(pc);
	fo->ok = 1;
	return 0;
badpc:
	pst_pc_free(pc);
bad:
	free(fo->name);
	fo->name = xstrdup("");
	fo->err = why;
	return -1;
}

int
pst_folders(struct pst *f, struct pst_folder **out, size_t *n, char **cause)
{
	size_t			 i, k = 0;
	struct pst_folder	*v;
	unsigned		 t;

	(void)cause;
	v = xcalloc(f->nnodes + 1, sizeof *v);
	for (i = 0; i < f->nnodes; i++) {
		t = pst_nid_type(f->nodes[i].nid);
		if (t != PST_NID_TYPE_NORMAL_FOLDER &&
		    t != PST_NID_TYPE_SEARCH_FOLDER)
			continue;
		v[k].nid = f->nodes[i].nid;
		v[k].parent = f->nodes[i].parent;
		v[k].content_count = -1;
		folder_read(f, &v[k]);
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

void
pst_folders_free(struct pst_folder *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].container_class);
		free(v[i].err);
	}
	free(v);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
pst_folder_messages(struct pst *f, uint32_t folder, struct pst_msglist *ml,
    char **cause)
{
	struct pst_tc	*tc = NULL;
	const uint32_t	*kids;
	uint32_t	*seen, id;
	size_t		 nkids, i, nseen = 0, rows;
	char		*why = NULL;

	memset(ml, 0, sizeof *ml);
	kids = pst_children(f, folder, &nkids);
	if (pst_tc_open(f, pst_nid_sibling(folder,
	    PST_NID_TYPE_CONTENTS_TABLE), &tc, &why) == 0)
		ml->table_ok = 1;
	rows = ml->table_ok ? pst_tc_rows(tc) : 0;
	ml->nid = xcalloc(rows + nkids + 1, sizeof *ml->nid);
	seen = xcalloc(rows + 1, sizeof *seen);
	for (i = 0; i < rows; i++) {
		if (pst_tc_row_id(tc, i, &id, NULL) != 0)
			continue;
		ml->table_rows++;
		if (pst_node_find(f, id) == NULL) {
			ml->missing++;
			continue;
		}
		ml->nid[ml->n++] = id;
		seen[nseen++] = id;
	}
	pst_tc_free(tc);
	qsort(seen, nseen, sizeof *seen, cmp_u32);
	for (i = 0; i < nkids; i++) {
		unsigned t = pst_nid_type(kids[i]);

		if (t != PST_NID_TYPE_NORMAL_MESSAGE &&
		    t != PST_NID_TYPE_ASSOC_MESSAGE)
			continue;
		if (bsearch(&kids[i], seen, nseen, sizeof *seen, cmp_u32) !=
		    NULL)
			continue;
		if (t == PST_NID_TYPE_ASSOC_MESSAGE)
			continue;	/* FAI items live in their own table */
		ml->nid[ml->n++] = kids[i];
		ml->extra++;
	}
	free(seen);
	if (!ml->table_ok && ml->n == 0 && pst_node_find(f, folder) == NULL) {
		pst_err(cause, "folder 0x%x: %s", folder, why ? why :
		    "not found");
		free(why);
		pst_msglist_free(ml);
		return -1;
	}
	free(why);
	return 0;
}

void
pst_msglist_free(struct pst_msglist *ml)
{
	free(ml->nid);
	memset(ml, 0, sizeof *ml);
}

/* walk.c: read every folder, message, table row and attachment once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "pst/mapi.h"
#include "pst/walk.h"

#define WALK_MAX_DEPTH	8	/* messages embedded in messages */

static void	walk_err(struct pst_walk *, char *);
static void	walk_message(struct pst_pc *, struct pst_walk *, int);
static void	walk_table(struct pst_tc *, struct pst_walk *);

static void
walk_err(struct pst_walk *w, char *cause)
{
	w->errors++;
	if (w->first_error == NULL)
		w->first_error = cause;
	else
		free(cause);
}

static void
walk_table(struct pst_tc *tc, struct pst_walk *w)
{
	struct pst_prop	 v;
	size_t		 r, c;
	char		*cause = NULL;

	for (r = 0; r < pst_tc_rows(tc); r++)
		for (c = 0; c < pst_tc_cols(tc); c++) {
			if (pst_tc_get(tc, r, MAPI_TAG_ID(pst_tc_col_tag(tc,
			    c)), &v, &cause) < 0) {
				walk_err(w, cause);
				cause = NULL;
			} else
				w->props++;
		}
}

static void
walk_message(struct pst_pc *pc, struct pst_walk *w, int depth)
{
	struct pst_tc	*tc;
	struct pst_pc	*ap, *em;
	struct pst_prop	 v;
	size_t		 i;
	uint32_t	 id, nid;
	char		*cause = NULL;

	for (i = 0; i < pst_pc_count(pc); i++) {
		if (pst_pc_at(pc, i, &v, &cause) != 0) {
			walk_err(w, cause);
			cause = NULL;
		} else
			w->props++;
	}
	if (pst_tc_open_sub(pc, PST_NID_RECIPIENT_TABLE, &tc, &cause) == 0) {
		w->recipients += pst_tc_rows(tc);
		walk_table(tc, w);
		pst_tc_free(tc);
	} else {
		free(cause);	/* messages may lack one */
		cause = NULL;
	}
	if (pst_tc_open_sub(pc, PST_NID_ATTACHMENT_TABLE, &tc, &cause) != 0) {
		free(cause);
		return;
	}
	walk_table(tc, w);
	for (i = 0; i < pst_tc_rows(tc); i++) {
		if (pst_tc_row_id(tc, i, &id, &cause) != 0 ||
		    pst_pc_open_sub(pc, id, &ap, &cause) != 0) {
			walk_err(w, cause);
			cause = NULL;
			continue;
		}
		w->attachments++;
		if (pst_pc_get(ap, MAPI_ID_ATTACH_METHOD, &v, NULL) == 1 &&
		    v.len == 4 && le_get32(v.p) == MAPI_ATTACH_EMBEDDED_MSG &&
		    pst_pc_get(ap, MAPI_ID_ATTACH_DATA, &v, &cause) == 1 &&
		    pst_prop_object(&v, &nid) == 0) {
			if (pst_pc_open_sub(ap, nid, &em, &cause) != 0) {
				walk_err(w, cause);
				cause = NULL;
			} else {
				w->embedded++;
				w->messages++;
				if (depth < WALK_MAX_DEPTH)
					walk_message(em, w, depth + 1);
				pst_pc_free(em);
			}
		}
		free(cause);
		cause = NULL;
		pst_pc_free(ap);
	}
	pst_tc_free(tc);
}

void
pst_walk(struct pst *f, struct pst_walk *w)
{
	struct pst_folder	*fo;
	struct pst_msglist	 ml;
	struct pst_pc		*pc;
	size_t			 nf, i, j;
	uint16_t		 id;
	char			*cause = NULL;

	memset(w, 0, sizeof *w);
	if (pst_named_lid(f, mapi_psetid_appointment,
	    MAPI_LID_APPT_START_WHOLE, &id, &cause) != 0) {
		walk_err(w, cause);
		cause = NULL;
	}
	pst_folders(f, &fo, &nf, NULL);
	for (i = 0; i < nf; i++) {
		w->folders++;
		if (!fo[i].ok) {
			walk_err(w, fo[i].err);
			fo[i].err = NULL;
			continue;
		}
		if (pst_folder_messages(f, fo[i].nid, &ml, &cause) != 0) {
			walk_err(w, cause);
			cause = NULL;
			continue;
		}
		for (j = 0; j < ml.n; j++) {
			if (pst_pc_open(f, ml.nid[j], &pc, &cause) != 0) {
				walk_err(w, cause);
				cause = NULL;
				continue;
			}
			w->messages++;
			walk_message(pc, w, 0);
			pst_pc_free(pc);
		}
		pst_msglist_free(&ml);
	}
	pst_folders_free(fo, nf);
}

/* reader.c: calendar items out of a PST/OST, backend-neutral part.
 *
 * Here: the choice of backend (and the fallback to libpff), the folder
 * walk, which messages become items and which are skipped or only
 * counted, and the folder and store bookkeeping (the top of the store,
 * the default calendar). Its parts (reader_int.h): the property slots
 * in reader_slots.c, value decoding and codepages in reader_props.c,
 * an item to struct appt in reader_appt.c. A backend (reader_impl.h)
 * finds items and their raw values in the file. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "compat.h"
#include "icsread.h"
#include "le.h"
#include "pack.h"
#include "reader.h"
#include "reader_int.h"
#include "text.h"
#include "xmalloc.h"

#define MAX_DEPTH	256	/* folder nesting; a cycle guard */
/* What READER_DEFAULT means. */
#define READER_DEFAULT_KIND	READER_PST
#define PROGRESS_EVERY	100

/* One folder during the walk. */
struct fctx {
	const char	*path;
	int		 is_calendar;
	int		 selected;
	size_t		 nappts, nother;
	uint32_t	 nid;
	size_t		 first;		/* appts.n when the walk came in */
	uint8_t		 fid[8];	/* MAPI_ID_OST_FOLDER_ID, or zeros */
};

static int	 has_prefix(const char *, const char *);
static void	 add_skip(struct rdn *, uint64_t, const char *, const char *,
		    const char *, int, const char *, ...)
		    __attribute__((format(printf, 7, 8)));
static void	 add_folder(struct rdn *, const struct fctx *, const char *);
static int	 folder_matches(const char *, const char *);
static void	 read_message(struct rdn *, void *, struct fctx *);
static void	 walk(struct rdn *, void *, const char *, int);
static void	 progress(struct rdn *);
static uint32_t	 entryid_nid(const uint8_t *, size_t);
static void	 store_props(struct rdn *, const struct rd_props *);
static void	 folder_store_props(struct rdn *, const struct rd_props *,
		    struct fctx *, const char *, int);
static void	 store_default(struct rdn *);
static int	 read_with(const struct rd_backend *, const char *,
		    const struct reader_opts *, struct reader_result *,
		    char **);

static int
has_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static void
add_skip(struct rdn *rn, uint64_t id, const char *folder, const char *cls,
    const char *subject, int damaged, const char *fmt, ...)
{
	struct reader_result *res = rn->rd.res;
	struct reader_skip *s;
	va_list ap;
	char reason[2048];

	if (res->nskips == rn->skipcap) {
		rn->skipcap = rn->skipcap ? rn->skipcap * 2 : 16;
		res->skips = xreallocarray(res->skips, rn->skipcap,
		    sizeof *res->skips);
	}
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	s = &res->skips[res->nskips++];
	s->id = id;
	s->folder = xstrdup(folder != NULL ? folder : "");
	s->msgclass = cls != NULL ? xstrdup(cls) : NULL;
	s->subject = subject != NULL ? xstrdup(subject) : NULL;
	s->reason = text_clean(xstrdup(reason));
	s->damaged = damaged;
}

static void
add_folder(struct rdn *rn, const struct fctx *f, const char *cls)
{
	struct reader_result *res = rn->rd.res;
	struct reader_folder *rf;

	if (res->nfolders == rn->foldercap) {
		rn->foldercap = rn->foldercap ? rn->foldercap * 2 : 8;
		res->folders = xreallocarray(res->folders, rn->foldercap,
		    sizeof *res->folders);
	}
	rf = &res->folders[res->nfolders++];
	rf->path = xstrdup(f->path);
	rf->container_class = cls != NULL ? xstrdup(cls) : NULL;
	rf->is_calendar = f->is_calendar;
	rf->selected = f->selected;
	rf->nappts = f->nappts;
	rf->nother = f->nother;
	rf->nid = f->nid;
	rf->first = f->first;
	rf->count = res->appts.n - f->first;
	rf->is_default = 0;
	rn->store.fids = xreallocarray(rn->store.fids, rn->foldercap,
	    sizeof *rn->store.fids);
	memcpy(rn->store.fids[res->nfolders - 1], f->fid, 8);
}

/* --folder: the full path (leading slash optional) or the last
 * component, case-insensitively. */
static int
folder_matches(const char *path, const char *want)
{
	const char *last;

	if (*want == '/')
		want++;
	if (*path == '/')
		path++;
	if (strcasecmp(path, want) == 0)
		return 1;
	last = strrchr(path, '/');
	return strcasecmp(last != NULL ? last + 1 : path, want) == 0;
}

static void
progress(struct rdn *rn)
{
	if (rn->rd.opts->progress != NULL &&
	    rn->nitems % PROGRESS_EVERY == 0)
		rn->rd.opts->progress(rn->rd.opts->progress_arg, rn->nfolders,
		    rn->nitems);
}

static void
read_message(struct rdn *rn, void *msg, struct fctx *f)
{
	struct rd_props p;
	struct appt *a;
	char *cause = NULL, *cls = NULL, *subject = NULL;
	uint64_t id;

	rn->nitems++;
	progress(rn);
	/* Outside the selected folders a message is only counted: its class
	 * is all that is needed, if the backend can tell it cheaply. */
	if (!f->selected && rn->rd.be->msgclass != NULL) {
		if (rn->rd.be->msgclass(&rn->rd, msg, &cls, &cause) != 0) {
			free(cause);
			return;
		}
		if (!has_prefix(cls, "IPM.Appointment"))
			f->nother++;
		else {
			f->nappts++;
			rn->rd.res->left_out++;
		}
		free(cls);
		return;
	}
	id = rn->rd.be->item_id(&rn->rd, msg);
	if (rn_item_props(rn, msg, &p, &cause) != 0 ||
	    rn_prop_string(rn, &p, S_CLASS, 0, &cls, &cause) != 0) {
		/* Unreadable: only what the folder promised to show. Outside
		 * calendar folders it is listed but not counted as a damaged
		 * calendar item: it is most likely mail or a contact. */
		if (f->selected) {
			f->nother++;
			if (f->is_calendar)
				add_skip(rn, id, f->path, NULL, NULL, 1, "%s",
				    cause);
			else
				add_skip(rn, id, f->path, NULL, NULL, 0,
				    "unreadable item outside calendar "
				    "folders: %s", cause);
		}
		free(cause);
		rd_props_free(&p);
		return;
	}
	if (!has_prefix(cls, "IPM.Appointment")) {
		f->nother++;
		if (f->selected && f->is_calendar) {
			if (rn_prop_string(rn, &p, S_SUBJECT, 1, &subject,
			    &cause) != 0) {
				free(cause);
				subject = NULL;
			}
			if (has_prefix(cls, "IPM.Schedule.Meeting."))
				add_skip(rn, id, f->path, cls, subject, 0,
				    "meeting request");
			else
				add_skip(rn, id, f->path, cls, subject, 0,
				    "not an appointment (%s)",
				    cls != NULL ? cls : "no message class");
		}
		free(subject);
		free(cls);
		rd_props_free(&p);
		return;
	}
	f->nappts++;
	if (!f->selected) {
		rn->rd.res->left_out++;
		free(cls);
		rd_props_free(&p);
		return;
	}
	a = appt_new();
	a->id = id;
	a->in_calendar = f->is_calendar;
	if (rn_fill_appt(rn, msg, &p, a, 0, f->path, &cause) != 0) {
		add_skip(rn, id, f->path, cls, a->subject, 1, "%s", cause);
		free(cause);
		appt_free(a);
	} else if (a->start == APPT_NOTIME) {
		add_skip(rn, id, f->path, cls, a->subject, 1, "no start time");
		appt_free(a);
	} else if (a->end == APPT_NOTIME) {
		add_skip(rn, id, f->path, cls, a->subject, 1, "no end time");
		appt_free(a);
	} else if (a->end < a->start) {
		add_skip(rn, id, f->path, cls, a->subject, 1,
		    "end before start");
		appt_free(a);
	} else {
		/* Bodies wait on disk with the attachment bytes. */
		if (rn->rd.opts->spool != NULL && rn->spool_cause == NULL &&
		    appt_spool(a, rn->rd.opts->spool, &cause) != 0)
			rn->spool_cause = cause;
		/* What is left is small and fixed: into one allocation,
		 * the values items share stored once (pack.h). */
		if (rn->rd.opts->spool != NULL && rn->spool_cause == NULL) {
			if (rn->rd.res->pool == NULL)
				rn->rd.res->pool = appt_pool_new();
			a = appt_pack(a, rn->rd.res->pool);
		}
		appt_list_push(&rn->rd.res->appts, a);
	}
	free(cls);
	rd_props_free(&p);
}

/* One folder: its messages, then its sub-folders, in the order the
 * backend lists them. */
static void
walk(struct rdn *rn, void *folder, const char *parent, int depth)
{
	const struct rd_backend *be = rn->rd.be;
	struct rd_props p;
	struct fctx f;
	void *child;
	char *name = NULL, *path, *cls = NULL, *cause = NULL;
	int i, n = 0, *subs = NULL, nsubs = 0;
	uint32_t id;

	rn->nfolders++;
	if (depth > 0)
		name = be->folder_name(&rn->rd, folder);
	if (depth == 0)
		path = xstrdup("");
	else
		xasprintf(&path, "%s/%s", parent, name != NULL ? name : "");
	free(name);

	memset(&f, 0, sizeof f);
	f.path = path;
	f.first = rn->rd.res->appts.n;
	f.nid = (uint32_t)be->item_id(&rn->rd, folder);
	if (rn_item_props(rn, folder, &p, &cause) != 0 ||
	    rn_prop_string(rn, &p, S_CONTAINER_CLASS, 0, &cls, &cause) != 0) {
		/* Cannot tell whether it is a calendar: say so. */
		add_skip(rn, 0, path, NULL, NULL, 1,
		    "folder properties unreadable: %s", cause);
		free(cause);
		cause = NULL;
	}
	folder_store_props(rn, &p, &f, parent, depth);
	rd_props_free(&p);
	f.is_calendar = has_prefix(cls, "IPF.Appointment");
	if (rn->rd.opts->folder != NULL)
		f.selected = folder_matches(path, rn->rd.opts->folder) &&
		    (f.is_calendar || rn->rd.opts->all_folders);
	else
		f.selected = f.is_calendar || rn->rd.opts->all_folders;

	if (be->nchildren(&rn->rd, folder, &n, &cause) != 0) {
		add_skip(rn, 0, path, NULL, NULL, 1, "folder unreadable: %s",
		    cause);
		free(cause);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		child = NULL;
		id = 0;
		if (be->child(&rn->rd, folder, i, &child, &id, &cause) != 0) {
			f.nother++;
			add_skip(rn, 0, path, NULL, NULL, 1, "%s", cause);
			free(cause);
			continue;
		}
		switch (id & 0x1F) {
		case PST_NID_TYPE_NORMAL_MESSAGE:
			read_message(rn, child, &f);
			break;
		case PST_NID_TYPE_NORMAL_FOLDER:
		case PST_NID_TYPE_SEARCH_FOLDER:
			subs = xreallocarray(subs, nsubs + 1, sizeof *subs);
			subs[nsubs++] = i;
			break;
		}
		be->release(&rn->rd, child);
	}
	if (f.is_calendar || f.nappts > 0)
		add_folder(rn, &f, cls);
	free(cls);

	for (i = 0; i < nsubs; i++) {
		child = NULL;
		if (be->child(&rn->rd, folder, subs[i], &child, &id,
		    &cause) != 0) {
			add_skip(rn, 0, path, NULL, NULL, 1, "%s", cause);
			free(cause);
			continue;
		}
		if (depth + 1 >= MAX_DEPTH)
			add_skip(rn, 0, path, NULL, NULL, 1,
			    "folders nested too deep");
		else
			walk(rn, child, path, depth + 1);
		be->release(&rn->rd, child);
	}
	free(subs);
	free(path);
}

int
reader_read(const char *path, const struct reader_opts *opts,
    struct reader_result *res, char **cause)
{
	enum reader_kind kind;
	struct stat sb;
	char *why, *p;
	int fd, codepage, ret;
	uint8_t head[64];
	ssize_t nhead;

	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
	codepage = opts->codepage != 0 ? opts->codepage : 1252;
	if (!reader_codepage_ok(codepage)) {
		xasprintf(cause, "unsupported codepage %d", codepage);
		return READER_DATAERR;
	}
	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s", strerror(errno));
		if (fd != -1)
			close(fd);
		return READER_NOINPUT;
	}
	nhead = S_ISDIR(sb.st_mode) ? -1 : read(fd, head, sizeof head);
	close(fd);
	if (S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "%s", strerror(EISDIR));
		return READER_NOINPUT;
	}
	/* iCalendar, by its content: the .ics reader (icsread.h). */
	if (nhead > 0 && icsread_sniff(head, (size_t)nhead))
		return icsread_read(path, opts, res, cause);
	kind = opts->reader != READER_DEFAULT ? opts->reader :
	    READER_DEFAULT_KIND;
	if (kind == READER_LIBPFF)
		return read_with(&rd_libpff_backend, path, opts, res, cause);
	if ((ret = read_with(&rd_pst_backend, path, opts, res,
	    cause)) != RD_DAMAGED)
		return ret;
	/* A PST we cannot read: libpff may know a way round the damage. */
	why = *cause;
	*cause = NULL;
	if ((ret = read_with(&rd_libpff_backend, path, opts, res,
	    cause)) != 0) {
		/* Neither can read it: both reasons. */
		if (ret == READER_DATAERR && *cause != NULL) {
			p = *cause;
			xasprintf(cause, "%s (our reader: %s)", p, why);
			free(p);
		}
		free(why);
		return ret;
	}
	res->fallback = why;
	return 0;
}

int
reader_kind_parse(const char *name, enum reader_kind *kind)
{
	if (strcmp(name, "pst") == 0)
		*kind = READER_PST;
	else if (strcmp(name, "libpff") == 0)
		*kind = READER_LIBPFF;
	else
		return -1;
	return 0;
}

/* One backend over the whole file. */
static int
read_with(const struct rd_backend *be, const char *path,
    const struct reader_opts *opts, struct reader_result *res, char **cause)
{
	struct rdn rn;
	struct rd_props p;
	void *root = NULL, *store = NULL;
	int32_t pw = 0;
	char *why = NULL;
	int r, ret = READER_DATAERR, opened = 0;

	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
	memset(&rn, 0, sizeof rn);
	rn.rd.opts = opts;
	rn.rd.res = res;
	rn.rd.be = be;
	rn.cd_file = rn.cd_1252 = rn.cd_msg = (iconv_t)-1;
	rn.rd.codepage = opts->codepage != 0 ? opts->codepage : 1252;

	if (rn_conv_open(&rn, cause) != 0)
		goto out;
	if ((ret = be->open(&rn.rd, path, cause)) != 0)
		goto out;
	opened = 1;
	ret = READER_DATAERR;
	if (opts->progress != NULL)
		opts->progress(opts->progress_arg, 0, 0);

	if (be->store(&rn.rd, &store, &why) == 1 &&
	    rn_item_props(&rn, store, &p, &why) == 0) {
		store_props(&rn, &p);
		if (rn_prop_i32(&p, S_PASSWORD, &pw, &why) == 0 && pw != 0 &&
		    pw != -1)
			/* OSTs carry 0xFFFFFFFF: no password. */
			res->password = 1;
		rd_props_free(&p);
	}
	free(why);
	why = NULL;
	if (store != NULL)
		be->release(&rn.rd, store);

	if ((r = be->root(&rn.rd, &root, &why)) != 1) {
		if (r == 0)
			why = xstrdup("no root folder");
		*cause = why;
		if (be != &rd_libpff_backend)
			ret = RD_DAMAGED;
		goto out;
	}
	walk(&rn, root, "", 0);
	be->release(&rn.rd, root);
	store_default(&rn);
	if (opts->progress != NULL)
		opts->progress(opts->progress_arg, rn.nfolders, rn.nitems);
	if (opts->spool != NULL && rn.spool_cause == NULL &&
	    fflush(opts->spool) != 0)
		rn_spool_failed(&rn, errno);
	if (rn.spool_cause != NULL) {
		*cause = rn.spool_cause;
		rn.spool_cause = NULL;
		ret = READER_IOERR;
		goto out;
	}
	ret = 0;

out:
	free(rn.spool_cause);
	free(rn.store.appt_eid);
	free(rn.store.fids);
	if (opened)
		be->close(&rn.rd);
	rn_conv_close(&rn);
	if (ret != 0)
		reader_result_free(res);
	else
		res->reader = be->name;
	return ret;
}

void
reader_result_free(struct reader_result *res)
{
	size_t i;

	appt_list_free(&res->appts);
	/* After the items that borrow from it. */
	appt_pool_free(res->pool);
	for (i = 0; i < res->nfolders; i++) {
		free(res->folders[i].path);
		free(res->folders[i].container_class);
	}
	free(res->folders);
	for (i = 0; i < res->nskips; i++) {
		free(res->skips[i].folder);
		free(res->skips[i].msgclass);
		free(res->skips[i].subject);
		free(res->skips[i].reason);
	}
	free(res->skips);
	free(res->fallback);
	free(res->store_name);
	free(res->top);
	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
}


/* The folder NID of a 24-byte PST folder EntryID (4 flag bytes, the
 * store's 16-byte UID, the NID); 0 for any other form. */
static uint32_t
entryid_nid(const uint8_t *eid, size_t len)
{
	if (eid == NULL || len != 24)
		return 0;
	return le_get32(eid + 20);
}

/* The store's display name (PidTagDisplayName: 0x3001, in the slot
 * table as a recipient's name) and where its IPM subtree is. */
static void
store_props(struct rdn *rn, const struct rd_props *p)
{
	const uint8_t *eid;
	size_t len;
	char *name = NULL, *cause = NULL;

	if (rn_prop_string(rn, p, S_R_NAME, 0, &name, &cause) == 0 &&
	    name != NULL && *name != '\0')
		rn->rd.res->store_name = name;
	else
		free(name);
	free(cause);
	if (rn_slot_raw(p, S_IPM_SUBTREE_EID, &eid, &len))
		rn->store.ipm_nid = entryid_nid(eid, len);
}

/* During the walk: the top of the store, the first
 * PidTagIpmAppointmentEntryId (on the root folder of a PST, the Inbox
 * of an OST), and the folder's OST folder id (0x67F4: replica id, then
 * the 6-byte global counter that a long-term EntryID carries). */
static void
folder_store_props(struct rdn *rn, const struct rd_props *p, struct fctx *f,
    const char *parent, int depth)
{
	struct reader_result *res = rn->rd.res;
	const uint8_t *v;
	const char *name;
	size_t len;

	name = strrchr(f->path, '/');
	name = name != NULL ? name + 1 : f->path;
	if (res->top == NULL) {
		if (rn->store.ipm_nid != 0 && f->nid == rn->store.ipm_nid)
			res->top = xstrdup(f->path);
		/* An OST names no subtree in its store: Exchange's is the
		 * mailbox root's IPM_SUBTREE. */
		else if (rn->store.ipm_nid == 0 && depth == 2 &&
		    strcmp(name, "IPM_SUBTREE") == 0 &&
		    has_prefix(parent, "/Root - Mailbox"))
			res->top = xstrdup(f->path);
	}
	if (rn->store.appt_eid == NULL && depth <= 3 &&
	    rn_slot_raw(p, S_APPT_EID, &v, &len)) {
		rn->store.appt_eid = xmalloc(len + 1);
		if (len > 0)
			memcpy(rn->store.appt_eid, v, len);
		rn->store.appt_eidlen = len;
	}
	if (rn_slot_raw(p, S_FOLDER_ID, &v, &len) && len == 8)
		memcpy(f->fid, v, 8);
}

/* Mark the folder PidTagIpmAppointmentEntryId names: by NID for a PST
 * EntryID, by global counter for an OST's 46-byte long-term one (flags
 * 4, provider UID 16, folder type 2, database GUID 16, counter 6). */
static void
store_default(struct rdn *rn)
{
	static const uint8_t zero[6];
	struct reader_result *res = rn->rd.res;
	const uint8_t *eid = rn->store.appt_eid;
	uint32_t nid;
	size_t i;

	if (eid == NULL)
		return;
	nid = entryid_nid(eid, rn->store.appt_eidlen);
	for (i = 0; i < res->nfolders; i++) {
		if (!res->folders[i].is_calendar)
			continue;
		if (nid != 0 && res->folders[i].nid == nid) {
			res->folders[i].is_default = 1;
			return;
		}
		if (rn->store.appt_eidlen == 46 &&
		    memcmp(rn->store.fids[i] + 2, zero, 6) != 0 &&
		    memcmp(rn->store.fids[i] + 2, eid + 38, 6) == 0) {
			res->folders[i].is_default = 1;
			return;
		}
	}
}

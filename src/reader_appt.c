/* reader_appt.c: one item's properties as a struct appt (reader_int.h).
 *
 * Every property the model holds, the recipient table, and the
 * attachments: a file attachment's bytes (into the content spool when
 * there is one), an embedded message's subject as its name, and a
 * master's exceptions, hidden embedded messages that become items of
 * their own in a->excs. A broken attachment is left out and kept as a
 * note that the item is degraded; a broken property fails the item,
 * which the walk (reader.c) then skips as damaged. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "pst/mapi.h"
#include "reader_int.h"
#include "text.h"
#include "xmalloc.h"

static const char exception_class[] =
    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}";

static int	 read_recipients(struct rdn *, void *, struct appt *,
		    char **);
static int	 attach_name(struct rdn *, const struct rd_props *,
		    struct appt_attach *, char **);
static int	 attach_data(struct rdn *, void *, struct appt_attach *,
		    char **);
static int	 read_attach(struct rdn *, void *, enum rd_att_type,
		    int32_t, const struct rd_props *, struct appt_attach *,
		    char **);
static void	 read_attachments(struct rdn *, void *, struct appt *,
		    const char *, int);
static void	 unread_attach(struct appt *, char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* The recipient table: one row of properties each. */
static int
read_recipients(struct rdn *rn, void *msg, struct appt *a, char **cause)
{
	struct appt_person *r;
	struct rd_props p;
	int i, n = 0, ret;

	if (rn->rd.be->nrecipients(&rn->rd, msg, &n, cause) != 0)
		return -1;
	if (n > 0)
		a->rcpts = xcalloc(n, sizeof *a->rcpts);
	ret = 0;
	for (i = 0; i < n && ret == 0; i++) {
		memset(&p, 0, sizeof p);
		if (rn->rd.be->recipient(&rn->rd, msg, i, &p, cause) != 0) {
			rd_props_free(&p);
			ret = -1;
			break;
		}
		r = &a->rcpts[a->nrcpts++];
		r->type = r->flags = r->track_status = APPT_ABSENT;
		if (rn_prop_string(rn, &p, S_R_NAME, 0, &r->name, cause) != 0 ||
		    rn_prop_string(rn, &p, S_R_ADDRTYPE, 0, &r->addrtype,
		    cause) != 0 ||
		    rn_prop_string(rn, &p, S_R_SMTP, 0, &r->email,
		    cause) != 0 ||
		    rn_prop_i32(&p, S_R_TYPE, &r->type, cause) != 0 ||
		    rn_prop_i32(&p, S_R_FLAGS, &r->flags, cause) != 0 ||
		    rn_prop_i32(&p, S_R_TRACK, &r->track_status, cause) != 0)
			ret = -1;
		else if ((r->email == NULL || *r->email == '\0') &&
		    r->addrtype != NULL &&
		    strcasecmp(r->addrtype, "SMTP") == 0) {
			free(r->email);
			if (rn_prop_string(rn, &p, S_R_EMAIL, 0, &r->email,
			    cause) != 0)
				ret = -1;
		}
		rd_props_free(&p);
	}
	return ret;
}

/* Every property we model, from an item's properties. */
int
rn_fill_appt(struct rdn *rn, void *item, const struct rd_props *p,
    struct appt *a, int embedded, const char *folder, char **cause)
{
	char *addrtype = NULL;

	a->folder = folder != NULL ? xstrdup(folder) : NULL;
	if (rn_prop_string(rn, p, S_CLASS, 0, &a->msgclass, cause) != 0 ||
	    rn_prop_string(rn, p, S_CREATOR, 0, &a->creator, cause) != 0 ||
	    rn_prop_string(rn, p, S_MODIFIER, 0, &a->modifier, cause) != 0 ||
	    rn_prop_time(p, S_CREATED, &a->created, cause) != 0 ||
	    rn_prop_time(p, S_MODIFIED, &a->modified, cause) != 0 ||
	    rn_prop_time(p, S_CRIT_CHANGE, &a->crit_change, cause) != 0 ||
	    rn_prop_blob(p, S_GOID, &a->goid, cause) != 0 ||
	    rn_prop_blob(p, S_CLEAN_GOID, &a->clean_goid, cause) != 0 ||
	    rn_prop_blob(p, S_SEARCH_KEY, &a->search_key, cause) != 0 ||
	    rn_prop_string(rn, p, S_SUBJECT, 1, &a->subject, cause) != 0 ||
	    rn_prop_string(rn, p, S_LOCATION, 0, &a->location, cause) != 0 ||
	    rn_prop_string(rn, p, S_BODY, 0, &a->body, cause) != 0 ||
	    rn_prop_blob(p, S_RTF, &a->rtf, cause) != 0 ||
	    rn_prop_time(p, S_START, &a->start, cause) != 0 ||
	    rn_prop_time(p, S_END, &a->end, cause) != 0 ||
	    rn_prop_bool(p, S_SUBTYPE, &a->all_day, cause) != 0 ||
	    rn_prop_i32(p, S_BUSY, &a->busy, cause) != 0 ||
	    rn_prop_i32(p, S_INTENDED_BUSY, &a->intended_busy, cause) != 0 ||
	    rn_prop_i32(p, S_SENSITIVITY, &a->sensitivity, cause) != 0 ||
	    rn_prop_i32(p, S_IMPORTANCE, &a->importance, cause) != 0 ||
	    rn_prop_bool(p, S_REMINDER_SET, &a->reminder_set, cause) != 0 ||
	    rn_prop_i32(p, S_REMINDER_DELTA, &a->reminder_min, cause) != 0 ||
	    rn_prop_categories(rn, p, a, cause) != 0 ||
	    rn_prop_i32(p, S_SEQUENCE, &a->sequence, cause) != 0 ||
	    rn_prop_i32(p, S_STATE, &a->state, cause) != 0 ||
	    rn_prop_i32(p, S_RESPONSE, &a->response, cause) != 0 ||
	    rn_prop_string(rn, p, S_ORG_NAME, 0, &a->org_name, cause) != 0 ||
	    rn_prop_string(rn, p, S_ORG_SMTP, 0, &a->org_email, cause) != 0 ||
	    rn_prop_string(rn, p, S_ORG_ADDRTYPE, 0, &addrtype, cause) != 0 ||
	    rn_prop_bool(p, S_RECURRING, &a->recurring, cause) != 0 ||
	    rn_prop_blob(p, S_RECUR, &a->recur, cause) != 0 ||
	    rn_prop_blob(p, S_TZ_STRUCT, &a->tz_struct, cause) != 0 ||
	    rn_prop_string(rn, p, S_TZ_DESC, 0, &a->tz_desc, cause) != 0 ||
	    rn_prop_blob(p, S_TZDEF_START, &a->tzdef_start, cause) != 0 ||
	    rn_prop_blob(p, S_TZDEF_END, &a->tzdef_end, cause) != 0 ||
	    rn_prop_blob(p, S_TZDEF_RECUR, &a->tzdef_recur, cause) != 0 ||
	    rn_prop_time(p, S_REPLACE, &a->replace_time, cause) != 0 ||
	    rn_prop_bool(p, S_EXC_BODY, &a->exc_body, cause) != 0 ||
	    rn_entry_int(p, S_OWNER_APPT_ID, &a->owner_appt_id,
	    &a->has_owner_appt_id, cause) != 0 ||
	    rn_prop_bool(p, S_NO_COUNTER, &a->no_counter, cause) != 0 ||
	    rn_prop_time(p, S_SEQ_TIME, &a->seq_time, cause) != 0 ||
	    rn_prop_i32(p, S_LAST_SEQ, &a->last_sequence, cause) != 0 ||
	    rn_prop_i32(p, S_CONF_TYPE, &a->conf_type, cause) != 0 ||
	    rn_prop_bool(p, S_AUTOFILL_LOC, &a->autofill_loc, cause) != 0 ||
	    rn_prop_bool(p, S_EXTERN_CHECK, &a->extern_check, cause) != 0)
		goto fail;
	/* Nearly always a copy of the start zone: not kept twice. */
	if (appt_blob_eq(&a->tzdef_end, &a->tzdef_start))
		appt_blob_clear(&a->tzdef_end);
	if ((a->org_email == NULL || *a->org_email == '\0') &&
	    addrtype != NULL && strcasecmp(addrtype, "SMTP") == 0) {
		free(a->org_email);
		if (rn_prop_string(rn, p, S_ORG_EMAIL, 0, &a->org_email,
		    cause) != 0)
			goto fail;
	}
	free(addrtype);
	addrtype = NULL;

	if (rn_prop_html(rn, p, &a->html, cause) != 0)
		goto fail;
	if (read_recipients(rn, item, a, cause) != 0)
		goto fail;
	read_attachments(rn, item, a, folder, embedded);
	return 0;

fail:
	free(addrtype);
	return -1;
}

/* An attachment's name: the long file name, else the short one, else
 * its display name (PidTagDisplayName, the recipients' S_R_NAME tag).
 * An empty name counts as none. */
static int
attach_name(struct rdn *rn, const struct rd_props *ap, struct appt_attach *at,
    char **cause)
{
	static const enum rd_slot order[] = {
		S_ATT_LONGNAME, S_ATT_SHORTNAME, S_R_NAME
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0] && at->name == NULL;
	    i++) {
		if (rn_prop_string(rn, ap, order[i], 0, &at->name, cause) != 0)
			return -1;
		if (at->name != NULL && *at->name == '\0') {
			free(at->name);
			at->name = NULL;
		}
	}
	return 0;
}

/* The first failure of the content spool ends the run (READER_IOERR). */
void
rn_spool_failed(struct rdn *rn, int error)
{
	if (rn->spool_cause == NULL)
		xasprintf(&rn->spool_cause, "cannot write the scratch file: %s",
		    strerror(error != 0 ? error : EIO));
}

/* A file attachment's bytes through the backend's data stream, which
 * follows the value into its data tree however large it is. No value:
 * no data. With a spool the bytes go there, 64 KiB at a time, and the
 * model keeps only where; else the buffer grows with the bytes actually
 * read, not with the size the file claims. */
static int
attach_data(struct rdn *rn, void *att, struct appt_attach *at, char **cause)
{
	const struct rd_backend *be = rn->rd.be;
	FILE *spool = rn->rd.opts != NULL ? rn->rd.opts->spool : NULL;
	struct appt_blob *b = &at->data;
	uint64_t size = 0;
	ssize_t got;
	size_t off, cap;
	uint8_t *buf;
	int r;

	if ((r = be->data_size(&rn->rd, att, &size, cause)) != 1)
		return r;
	if (size > RD_MAX_VALUE) {
		xasprintf(cause, "data of %llu bytes",
		    (unsigned long long)size);
		return -1;
	}
	if (be->data_rewind(&rn->rd, att, cause) != 0)
		return -1;
	cap = size < 65536 ? size : 65536;
	buf = xmalloc(cap + 1);
	if (spool != NULL && (at->spool_off = ftello(spool)) == -1)
		rn_spool_failed(rn, errno);
	for (off = 0; off < size; off += (size_t)got) {
		if (spool == NULL && off == cap) {
			cap = size - cap > cap ? cap * 2 : size;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		got = be->data_read(&rn->rd, att,
		    spool != NULL ? buf : buf + off,
		    spool != NULL ? (size - off < cap ? size - off : cap) :
		    cap - off, cause);
		if (got <= 0 || (size_t)got > cap - (spool != NULL ? 0 : off)) {
			if (got >= 0)
				*cause = xstrdup("data shorter than its size");
			free(buf);
			return -1;
		}
		if (spool != NULL && rn->spool_cause == NULL &&
		    fwrite(buf, 1, (size_t)got, spool) != (size_t)got)
			rn_spool_failed(rn, errno);
	}
	if (spool != NULL) {
		free(buf);
		at->spooled = 1;
		b->data = NULL;
	} else
		b->data = buf;
	b->len = size;
	return 0;
}

/* The rest of an ordinary attachment, named already: a file's bytes, or
 * for an embedded message, which is not exported, its subject when the
 * attachment has no name. A reference attachment has no bytes here. */
static int
read_attach(struct rdn *rn, void *att, enum rd_att_type type,
    int32_t method, const struct rd_props *ap, struct appt_attach *at,
    char **cause)
{
	struct rd_props ep;
	void *emb = NULL;
	int r;

	if (rn_prop_string(rn, ap, S_ATT_MIME, 0, &at->mime, cause) != 0)
		return -1;
	if (method != MAPI_ATTACH_EMBEDDED_MSG && type != RD_ATT_ITEM) {
		if (type != RD_ATT_DATA)
			return 0;
		return attach_data(rn, att, at, cause);
	}
	at->embedded = 1;
	if (at->name != NULL)
		return 0;
	if (rn->rd.be->attach_item(&rn->rd, att, &emb, cause) != 0)
		return -1;
	if ((r = rn_item_props(rn, emb, &ep, cause)) == 0) {
		r = rn_prop_string(rn, &ep, S_SUBJECT, 1, &at->name, cause);
		rd_props_free(&ep);
	}
	rn->rd.be->release(&rn->rd, emb);
	return r;
}

/* Exceptions are hidden embedded messages (attach method 5) on a master;
 * every other attachment, and all of an exception's own, is kept in
 * a->attachs. A broken attachment is reported and left out, the item
 * kept. */
static void
read_attachments(struct rdn *rn, void *msg, struct appt *a,
    const char *folder, int embedded)
{
	const struct rd_backend *be = rn->rd.be;
	struct appt_exception *x;
	struct appt_attach at;
	struct rd_props ap, ep;
	struct appt *ea;
	enum rd_att_type type;
	void *att, *emb;
	char *cause = NULL, *cls;
	int i, n = 0, hidden;
	int32_t method;

	if (be->nattach(&rn->rd, msg, &n, &cause) != 0) {
		unread_attach(a, NULL, "attachments unreadable, left out: %s",
		    cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		att = emb = NULL;
		ea = NULL;
		cls = NULL;
		memset(&at, 0, sizeof at);
		memset(&ap, 0, sizeof ap);
		memset(&ep, 0, sizeof ep);
		type = RD_ATT_OTHER;
		if (be->attach(&rn->rd, msg, i, &att, &type, &ap, &cause) != 0)
			goto broken;
		method = APPT_ABSENT;
		hidden = 0;
		if (attach_name(rn, &ap, &at, &cause) != 0 ||
		    rn_prop_i32(&ap, S_ATT_METHOD, &method, &cause) != 0 ||
		    rn_prop_bool(&ap, S_ATT_HIDDEN, &hidden, &cause) != 0)
			goto broken;
		if (embedded || (method != MAPI_ATTACH_EMBEDDED_MSG &&
		    type != RD_ATT_ITEM))
			goto ordinary;
		if (be->attach_item(&rn->rd, att, &emb, &cause) != 0)
			goto broken;
		if (rn_item_props(rn, emb, &ep, &cause) != 0 ||
		    rn_prop_string(rn, &ep, S_CLASS, 0, &cls, &cause) != 0)
			goto broken;
		if (hidden != 1 && (cls == NULL ||
		    strcasecmp(cls, exception_class) != 0)) {
			/* libpff does not open an embedded item twice. */
			if (at.name == NULL && rn_prop_string(rn, &ep,
			    S_SUBJECT, 1, &at.name, &cause) != 0)
				goto broken;
			free(cls);
			cls = NULL;
			rd_props_free(&ep);
			be->release(&rn->rd, emb);
			emb = NULL;
			goto ordinary;
		}
		free(cls);
		cls = NULL;
		free(at.name);
		at.name = NULL;
		ea = appt_new();
		ea->id = be->item_id(&rn->rd, emb);
		if (rn_fill_appt(rn, emb, &ep, ea, 1, folder, &cause) != 0)
			goto broken;
		a->excs = xreallocarray(a->excs, a->nexcs + 1,
		    sizeof *a->excs);
		x = &a->excs[a->nexcs++];
		x->replace_time = ea->replace_time;
		x->att_replace_time = x->att_start = x->att_end = APPT_NOTIME;
		x->item = ea;
		if (rn_prop_time(&ap, S_ATT_REPLACE, &x->att_replace_time,
		    &cause) != 0 ||
		    rn_prop_time(&ap, S_ATT_START, &x->att_start,
		    &cause) != 0 ||
		    rn_prop_time(&ap, S_ATT_END, &x->att_end, &cause) != 0) {
			/* Keep the exception; its attachment times are
			 * informational only. */
			free(cause);
			cause = NULL;
		}
		rd_props_free(&ep);
		rd_props_free(&ap);
		be->release(&rn->rd, emb);
		be->release(&rn->rd, att);
		continue;
ordinary:
		if (read_attach(rn, att, type, method, &ap, &at, &cause) != 0)
			goto broken;
		a->attachs = xreallocarray(a->attachs, a->nattach + 1,
		    sizeof *a->attachs);
		a->attachs[a->nattach++] = at;
		rd_props_free(&ap);
		be->release(&rn->rd, att);
		continue;
broken:
		/* The item is written without it: degraded, not skipped. */
		unread_attach(a, at.name, "attachment %d%s%s%s unreadable, "
		    "left out: %s", i + 1, at.name != NULL ? " \"" : "",
		    at.name != NULL ? at.name : "", at.name != NULL ? "\"" : "",
		    cause);
		at.name = NULL;
		free(cause);
		cause = NULL;
		free(cls);
		free(at.mime);
		appt_blob_clear(&at.data);
		appt_free(ea);
		rd_props_free(&ep);
		rd_props_free(&ap);
		if (emb != NULL)
			be->release(&rn->rd, emb);
		if (att != NULL)
			be->release(&rn->rd, att);
	}
}

/* An attachment that could not be read: kept as its name and why, so
 * that the writer reports the item as degraded (model.h). name is
 * taken. */
static void
unread_attach(struct appt *a, char *name, const char *fmt, ...)
{
	struct appt_attach *u;
	va_list ap;
	char why[2048];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	a->attachs = xreallocarray(a->attachs, a->nattach + 1,
	    sizeof *a->attachs);
	u = &a->attachs[a->nattach++];
	memset(u, 0, sizeof *u);
	u->name = name;
	u->unread = text_clean(xstrdup(why));
}

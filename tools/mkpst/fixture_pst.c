/* fixture_pst.c: a struct fixture_appt -> Outlook-shaped PST messages
 * (appointment, recurrence blob, exceptions, recipients, attachments). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_int.h"
#include "ft.h"
#include "le.h"
#include "model.h"
#include "pst/mapi.h"
#include "pstwrite.h"
#include "text.h"
#include "tz.h"
#include "xmalloc.h"

static uint32_t
ft_to_min(int64_t ft)
{
	return (uint32_t)(ft / FT_MIN);
}

static int64_t
min_to_ft(uint32_t min)
{
	return (int64_t)min * FT_MIN;
}

static int64_t
to_local(const struct tz_rule *tz, int64_t utc)
{
	return tz != NULL ? tz_utc_to_local(tz, utc) : utc;
}

void
fixture_appt_init(struct fixture_appt *a)
{
	memset(a, 0, sizeof *a);
	a->busy = 2;
	a->intended_busy = -1;
	a->importance = 1;
	a->reminder_min = -1;
	a->sequence = -1;
	a->state = -1;
	a->response = -1;
	a->start = a->end = INT64_MIN;
}

static void
people_free(struct fixture_person *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].email);
	}
	free(v);
}

void
fixture_appt_free(struct fixture_appt *a)
{
	size_t i, j;

	free(a->folder);
	free(a->folder_class);
	free(a->msgclass);
	free(a->subject);
	free(a->location);
	free(a->body);
	free(a->html);
	free(a->rtf);
	for (i = 0; i < a->ncategories; i++)
		free(a->categories[i]);
	free(a->categories);
	free(a->creator);
	free(a->modifier);
	free(a->goid);
	free(a->clean_goid);
	free(a->org_name);
	free(a->org_email);
	people_free(a->rcpts, a->nrcpts);
	free(a->exdates);
	for (i = 0; i < a->nexcs; i++) {
		free(a->excs[i].subject);
		free(a->excs[i].location);
		free(a->excs[i].body);
		people_free(a->excs[i].rcpts, a->excs[i].nrcpts);
	}
	free(a->excs);
	for (i = 0; i < a->nraw; i++) {
		free(a->raw[i].name);
		free(a->raw[i].val);
		for (j = 0; j < a->raw[i].nmv; j++)
			free(a->raw[i].mv[j]);
		free(a->raw[i].mv);
	}
	free(a->raw);
	free(a->attach_name);
	free(a->attach_data);
	memset(a, 0, sizeof *a);
}

/* ---- folders ------------------------------------------------------- */

struct folder_ent {
	char		*path;
	uint32_t	 nid;
};

struct fixture_folders {
	struct folder_ent *v;
	size_t		 n;
};

struct fixture_folders *
fixture_folders_new(void)
{
	return xcalloc(1, sizeof(struct fixture_folders));
}

void
fixture_folders_free(struct fixture_folders *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		free(f->v[i].path);
	free(f->v);
	free(f);
}

static int
folder_get(struct pstw *w, struct fixture_folders *f, const char *path,
    const char *cls, uint32_t *nid, char **cause)
{
	char *prefix, *slash;
	uint32_t parent;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].path, path) == 0) {
			*nid = f->v[i].nid;
			return 0;
		}
	}
	if (strcmp(path, "Deleted Items") == 0)
		*nid = pstw_deleted_items(w);
	else {
		prefix = xstrdup(path);
		slash = strrchr(prefix, '/');
		if (slash == NULL)
			parent = pstw_ipm_subtree(w);
		else {
			*slash = '\0';
			if (folder_get(w, f, prefix, NULL, &parent,
			    cause) != 0) {
				free(prefix);
				return -1;
			}
		}
		if (pstw_folder(w, parent, slash != NULL ? slash + 1 : path,
		    cls != NULL ? cls : "IPF.Appointment", nid, cause) != 0) {
			free(prefix);
			return -1;
		}
		free(prefix);
	}
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n].path = xstrdup(path);
	f->v[f->n].nid = *nid;
	f->n++;
	return 0;
}

/* ---- message properties -------------------------------------------- */

static uint16_t
lid_appt(struct pstw *w, uint32_t lid)
{
	return pstw_named_lid(w, pstw_psetid_appointment, lid);
}

static uint16_t
lid_common(struct pstw *w, uint32_t lid)
{
	return pstw_named_lid(w, pstw_psetid_common, lid);
}

static uint16_t
lid_meeting(struct pstw *w, uint32_t lid)
{
	return pstw_named_lid(w, pstw_psetid_meeting, lid);
}

static void
set_subject(struct pstw_props *p, const char *subject)
{
	char *pre;

	xasprintf(&pre, "\001\001%s", subject);
	pstw_set_str(p, MAPI_ID_SUBJECT, pre);
	pstw_set_str(p, MAPI_ID_NORMALIZED_SUBJECT, subject);
	pstw_set_str(p, MAPI_ID_CONVERSATION_TOPIC, subject);
	free(pre);
}

/* A one-off EntryID (MS-OXCDATA 2.2.5.1) with Unicode strings. */
static void
set_one_off(struct pstw_props *p, const char *name, const char *email)
{
	size_t n1 = 2 * text_utf8_to_utf16le(name, NULL);
	size_t n2 = 2 * text_utf8_to_utf16le("SMTP", NULL);
	size_t n3 = 2 * text_utf8_to_utf16le(email, NULL), len, off;
	uint8_t *b;

	len = 4 + 16 + 4 + n1 + 2 + n2 + 2 + n3 + 2;
	b = xcalloc(1, len);
	memcpy(b + 4, mapi_one_off_uid, 16);
	le_put16(b + 22, 0x8000 | 0x0190);
	off = 24;
	off += 2 * text_utf8_to_utf16le(name, b + off) + 2;
	off += 2 * text_utf8_to_utf16le("SMTP", b + off) + 2;
	text_utf8_to_utf16le(email, b + off);
	pstw_set_bin(p, MAPI_ID_ENTRY_ID, b, len);
	free(b);
}

static void
set_recipients(struct pstw_msg *m, const struct fixture_person *v, size_t n)
{
	struct pstw_props *r;
	char *key, *q;
	size_t i;

	for (i = 0; i < n; i++) {
		r = pstw_msg_recipient(m);
		pstw_set_i4(r, MAPI_ID_RECIPIENT_TYPE, v[i].type);
		pstw_set_bool(r, MAPI_ID_RESPONSIBILITY, 1);
		pstw_set_i4(r, MAPI_ID_OBJECT_TYPE, 6);
		pstw_set_i4(r, MAPI_ID_DISPLAY_TYPE, 0);
		if (v[i].name != NULL) {
			pstw_set_str(r, MAPI_ID_DISPLAY_NAME, v[i].name);
			pstw_set_str(r, MAPI_ID_RECIPIENT_DISPLAY_NAME,
			    v[i].name);
		}
		if (v[i].email != NULL) {
			pstw_set_str(r, MAPI_ID_ADDRTYPE, "SMTP");
			pstw_set_str(r, MAPI_ID_EMAIL_ADDRESS, v[i].email);
			pstw_set_str(r, MAPI_ID_SMTP_ADDRESS, v[i].email);
			xasprintf(&key, "SMTP:%s", v[i].email);
			for (q = key; *q != '\0'; q++)
				if (*q >= 'a' && *q <= 'z')
					*q -= 'a' - 'A';
			pstw_set_bin(r, MAPI_ID_SEARCH_KEY, key,
			    strlen(key) + 1);
			free(key);
			set_one_off(r, v[i].name != NULL ? v[i].name :
			    v[i].email, v[i].email);
		}
		pstw_set_i4(r, MAPI_ID_RECIPIENT_FLAGS, v[i].flags);
		pstw_set_i4(r, MAPI_ID_RECIPIENT_TRACK_STATUS, v[i].track);
	}
}

/* "; "-joined names of the non-organizer rows of one type. */
static char *
display_list(const struct fixture_person *v, size_t n, int type)
{
	char *s = NULL, *t;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((v[i].flags & 0x2) || (type != 0 && v[i].type != type))
			continue;
		t = s;
		xasprintf(&s, "%s%s%s", t != NULL ? t : "",
		    t != NULL ? "; " : "",
		    v[i].name != NULL ? v[i].name : v[i].email);
		free(t);
	}
	return s;
}

static void
set_raw(struct pstw *w, struct pstw_props *p, const struct fixture_raw *r)
{
	uint16_t id;

	if (r->named == 1)
		id = pstw_named_lid(w, r->guid, r->lid);
	else if (r->named == 2)
		id = pstw_named_str(w, r->guid, r->name);
	else
		id = r->tag;
	if (r->type == PSTW_MV_UNICODE)
		pstw_set_mvstr(p, id, (const char *const *)r->mv, r->nmv);
	else if (r->type == PSTW_UNICODE)
		pstw_set_str(p, id, (const char *)r->val);
	else if (r->type == PSTW_STRING8)
		pstw_set_str8(p, id, (const char *)r->val);
	else
		pstw_set_raw(p, id, r->type, r->val, r->len);
}

/* PidTagSearchKey differs for every object created, as in a store. */
static uint32_t search_counter;

static void
set_common(struct pstw *w, struct pstw_props *p, const struct fixture_appt *a)
{
	uint8_t key[16];
	char *s;

	memcpy(key, "mkpst-search-key", 16);
	le_put32(key + 12, ++search_counter);
	pstw_set_bin(p, MAPI_ID_SEARCH_KEY, key, sizeof key);
	if (a->subject != NULL)
		set_subject(p, a->subject);
	pstw_set_i4(p, MAPI_ID_IMPORTANCE, a->importance);
	pstw_set_i4(p, MAPI_ID_SENSITIVITY, a->sensitivity);
	pstw_set_i4(p, MAPI_ID_MESSAGE_FLAGS, 1);
	pstw_set_i4(p, MAPI_ID_MESSAGE_STATUS, 0);
	if (a->created != 0)
		pstw_set_time(p, MAPI_ID_CREATION_TIME, a->created);
	if (a->modified != 0 || a->created != 0)
		pstw_set_time(p, MAPI_ID_LAST_MODIFICATION_TIME,
		    a->modified != 0 ? a->modified : a->created);
	if (a->creator != NULL)
		pstw_set_str(p, MAPI_ID_CREATOR_NAME, a->creator);
	if (a->modifier != NULL || a->creator != NULL)
		pstw_set_str(p, MAPI_ID_LAST_MODIFIER_NAME,
		    a->modifier != NULL ? a->modifier : a->creator);
	if (a->org_name != NULL || a->org_email != NULL) {
		s = a->org_name != NULL ? a->org_name : a->org_email;
		pstw_set_str(p, MAPI_ID_SENT_REPR_NAME, s);
		pstw_set_str(p, MAPI_ID_SENDER_NAME, s);
	}
	if (a->org_email != NULL) {
		pstw_set_str(p, MAPI_ID_SENT_REPR_ADDRTYPE, "SMTP");
		pstw_set_str(p, MAPI_ID_SENT_REPR_EMAIL, a->org_email);
		pstw_set_str(p, MAPI_ID_SENT_REPR_SMTP, a->org_email);
		pstw_set_str(p, MAPI_ID_SENDER_ADDRTYPE, "SMTP");
		pstw_set_str(p, MAPI_ID_SENDER_EMAIL, a->org_email);
	}
	if ((s = display_list(a->rcpts, a->nrcpts, 1)) != NULL) {
		pstw_set_str(p, MAPI_ID_DISPLAY_TO, s);
		free(s);
	}
	if ((s = display_list(a->rcpts, a->nrcpts, 2)) != NULL) {
		pstw_set_str(p, MAPI_ID_DISPLAY_CC, s);
		free(s);
	}
	if (a->body != NULL)
		pstw_set_str(p, MAPI_ID_BODY, a->body);
	if (a->html != NULL)
		pstw_set_bin(p, MAPI_ID_HTML, a->html, strlen(a->html));
	if (a->rtf != NULL)
		pstw_set_bin(p, MAPI_ID_RTF_COMPRESSED, a->rtf, a->rtflen);
	pstw_set_i4(p, MAPI_ID_NATIVE_BODY, a->rtf != NULL ? 2 :
	    a->html != NULL ? 3 : 1);
	if (a->ncategories > 0)
		pstw_set_mvstr(p, pstw_named_str(w, pstw_ps_public_strings,
		    "Keywords"), (const char *const *)a->categories,
		    a->ncategories);
	pstw_set_bool(p, MAPI_ID_HAS_ATTACHMENTS, a->nexcs > 0 ||
	    a->attach_name != NULL || a->attach_count > 0);
}

static int
set_tz_def(struct pstw *w, struct pstw_props *p, const struct fixture_appt *a,
    uint32_t lid, uint16_t flags, char **cause)
{
	struct tz_rule r = *a->tz;
	struct tz tz;
	uint8_t *b = NULL;
	size_t len = 0;

	r.year = 1601;
	r.flags = flags;
	tz.keyname = (char *)a->tzid;
	tz.rules = &r;
	tz.nrules = 1;
	if (tz_encode_def(&tz, &b, &len, cause) != 0)
		return -1;
	if (a->broken & FIXTURE_BROKEN_TZ_TRUNCATE)
		len = len > 10 ? 10 : len;
	pstw_set_bin(p, lid_appt(w, lid), b, len);
	free(b);
	return 0;
}

/* The recurrence blob: pattern plus deleted/modified dates and
 * exceptions derived from a's EXDATEs and modified occurrences. */
static int
recur_blob(const struct fixture_appt *a, uint8_t **blob, size_t *len,
    char **cause)
{
	struct recur r = a->pat;
	struct recur_exception *e;
	const struct fixture_exc *x;
	size_t i, pts;
	int rv;

	recur_exc_alloc(&r, a->nexdates, a->nexcs);
	for (i = 0; i < a->nexdates; i++)
		r.deleted[i] = recur_midnight(ft_to_min(to_local(a->tz,
		    a->exdates[i])));
	for (i = 0; i < a->nexcs; i++) {
		x = &a->excs[i];
		e = &r.excs[i];
		e->orig_start = ft_to_min(to_local(a->tz, x->orig_start));
		e->start = ft_to_min(to_local(a->tz, x->start));
		e->end = ft_to_min(to_local(a->tz, x->end));
		if (x->subject != NULL) {
			e->flags |= RECUR_ARO_SUBJECT;
			e->subject = x->subject;
		}
		if (x->location != NULL) {
			e->flags |= RECUR_ARO_LOCATION;
			e->location = x->location;
		}
		if (x->busy >= 0) {
			e->flags |= RECUR_ARO_BUSYSTATUS;
			e->busy = x->busy;
		}
		if (x->reminder_set >= 0) {
			e->flags |= RECUR_ARO_REMINDER;
			e->reminder_set = x->reminder_set;
		}
		if (x->reminder_min >= 0) {
			e->flags |= RECUR_ARO_REMINDERDELTA;
			e->reminder_delta = x->reminder_min;
		}
		if (x->body != NULL)
			e->flags |= RECUR_ARO_EXCEPTIONAL_BODY;
	}
	recur_exc_dates(&r, a->nexdates);
	rv = recur_encode(&r, blob, len, cause);
	recur_exc_free(&r);
	if (rv != 0)
		return -1;
	if (a->broken & FIXTURE_BROKEN_RECUR_TRUNCATE)
		*len = *len > 20 ? 20 : *len;
	if (a->broken & FIXTURE_BROKEN_RECUR_COUNT_LIE) {
		pts = r.pattern == RECUR_PAT_DAY ? 0 :
		    r.pattern == RECUR_PAT_MONTHNTH ? 8 : 4;
		if (*len >= 22 + pts + 16)
			le_put32(*blob + 22 + pts + 12, 0x10000000);
	}
	return 0;
}

static int
cmp_fexc(const void *x, const void *y)
{
	const struct fixture_exc *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

static void
write_exception(struct pstw *w, struct pstw_msg *m,
    const struct fixture_appt *a, const struct fixture_exc *x)
{
	struct pstw_attach *at = pstw_msg_attach(m);
	struct pstw_props *p = pstw_attach_props(at);
	struct pstw_msg *em;
	uint8_t *goid;
	int y, mo, d;

	pstw_set_i4(p, MAPI_ID_ATTACH_METHOD, 5);
	pstw_set_bool(p, MAPI_ID_ATTACHMENT_HIDDEN, 1);
	pstw_set_i4(p, MAPI_ID_ATTACHMENT_FLAGS, 2);
	pstw_set_i4(p, MAPI_ID_ATTACHMENT_LINK_ID, 0);
	/* Outlook stores these three as local time labelled UTC. */
	pstw_set_time(p, MAPI_ID_EXCEPTION_REPLACE_TIME, to_local(a->tz,
	    x->orig_start));
	pstw_set_time(p, MAPI_ID_EXCEPTION_START_TIME, to_local(a->tz,
	    x->start));
	pstw_set_time(p, MAPI_ID_EXCEPTION_END_TIME, to_local(a->tz, x->end));
	pstw_set_i4(p, MAPI_ID_RENDERING_POSITION, -1);
	pstw_set_str(p, MAPI_ID_DISPLAY_NAME, x->subject != NULL ? x->subject :
	    a->subject != NULL ? a->subject : "Untitled");
	pstw_set_str(p, MAPI_ID_ATTACH_FILENAME, "Untitled");
	pstw_set_i4(p, MAPI_ID_ATTACH_SIZE, 0);

	em = pstw_attach_embed(at, MAPI_CLASS_EXCEPTION);
	p = pstw_msg_props(em);
	pstw_set_time(p, lid_appt(w, MAPI_LID_APPT_START_WHOLE), x->start);
	pstw_set_time(p, lid_appt(w, MAPI_LID_APPT_END_WHOLE), x->end);
	pstw_set_time(p, lid_appt(w, MAPI_LID_EXCEPTION_REPLACE_TIME),
	    x->orig_start);
	pstw_set_i4(p, lid_appt(w, MAPI_LID_APPT_DURATION),
	    (int32_t)((x->end - x->start) / FT_MIN));
	pstw_set_bool(p, lid_appt(w, MAPI_LID_RECURRING), 0);
	pstw_set_bool(p, lid_appt(w, MAPI_LID_APPT_SUB_TYPE), a->all_day);
	pstw_set_bool(p, lid_appt(w, MAPI_LID_FEXCEPTIONAL_BODY),
	    x->body != NULL);
	if (x->subject != NULL)
		set_subject(p, x->subject);
	if (x->location != NULL)
		pstw_set_str(p, lid_appt(w, MAPI_LID_LOCATION), x->location);
	if (x->busy >= 0)
		pstw_set_i4(p, lid_appt(w, MAPI_LID_BUSY_STATUS), x->busy);
	if (x->body != NULL)
		pstw_set_str(p, MAPI_ID_BODY, x->body);
	if (x->reminder_set >= 0)
		pstw_set_bool(p, lid_common(w, MAPI_LID_REMINDER_SET),
		    x->reminder_set);
	if (x->reminder_min >= 0)
		pstw_set_i4(p, lid_common(w, MAPI_LID_REMINDER_DELTA),
		    x->reminder_min);
	if (a->goid != NULL && a->goidlen >= 20) {
		goid = xmemdup(a->goid, a->goidlen);
		ft_civil_from_days(x->orig_start / FT_DAY, &y, &mo, &d);
		goid[16] = y >> 8;
		goid[17] = y & 0xff;
		goid[18] = mo;
		goid[19] = d;
		pstw_set_bin(p, lid_meeting(w, MAPI_LID_GLOBAL_OBJECT_ID), goid,
		    a->goidlen);
		free(goid);
	}
	if (a->clean_goid != NULL)
		pstw_set_bin(p, lid_meeting(w, MAPI_LID_CLEAN_GLOBAL_OBJECT_ID),
		    a->clean_goid, a->cleanlen);
	if (x->nrcpts > 0) {
		pstw_set_bool(p, lid_appt(w, MAPI_LID_FEXCEPTIONAL_ATTENDEES),
		    1);
		set_recipients(em, x->rcpts, x->nrcpts);
	}
}

/* X-PST-ATTACH-COUNT: attachment i (1-based). */
static void
gen_attach(struct pstw_msg *m, uint32_t i)
{
	struct pstw_attach *at = pstw_msg_attach(m);
	struct pstw_props *p = pstw_attach_props(at);
	uint8_t data[300];
	char name[16];
	size_t k;

	snprintf(name, sizeof name, "gen%05u.bin", (unsigned)(i % 100000));
	for (k = 0; k < sizeof data; k++)
		data[k] = (uint8_t)(i * 31 + k);
	pstw_set_i4(p, MAPI_ID_ATTACH_METHOD, MAPI_ATTACH_BY_VALUE);
	pstw_set_str(p, MAPI_ID_ATTACH_FILENAME, name);
	pstw_set_str(p, MAPI_ID_ATTACH_LONG_FILENAME, name);
	pstw_set_str(p, MAPI_ID_DISPLAY_NAME, name);
	pstw_set_i4(p, MAPI_ID_RENDERING_POSITION, -1);
	pstw_attach_data(at, data, sizeof data);
}

static int
set_appointment(struct pstw *w, struct pstw_props *p,
    const struct fixture_appt *a, char **cause)
{
	int64_t clip_start = a->start, clip_end = a->end;
	uint8_t reg[48];
	size_t glen;
	char *s;

	pstw_set_time(p, lid_appt(w, MAPI_LID_APPT_START_WHOLE), a->start);
	pstw_set_time(p, lid_appt(w, MAPI_LID_APPT_END_WHOLE), a->end);
	pstw_set_time(p, MAPI_ID_START_DATE, a->start);
	pstw_set_time(p, MAPI_ID_END_DATE, a->end);
	pstw_set_time(p, lid_common(w, MAPI_LID_COMMON_START), a->start);
	pstw_set_time(p, lid_common(w, MAPI_LID_COMMON_END), a->end);
	pstw_set_i4(p, lid_appt(w, MAPI_LID_APPT_DURATION),
	    (int32_t)((a->end - a->start) / FT_MIN));
	pstw_set_bool(p, lid_appt(w, MAPI_LID_APPT_SUB_TYPE), a->all_day);
	pstw_set_i4(p, lid_appt(w, MAPI_LID_BUSY_STATUS), a->busy);
	if (a->intended_busy >= 0)
		pstw_set_i4(p, lid_appt(w, MAPI_LID_INTENDED_BUSY_STATUS),
		    a->intended_busy);
	if (a->location != NULL)
		pstw_set_str(p, lid_appt(w, MAPI_LID_LOCATION), a->location);
	pstw_set_bool(p, lid_common(w, MAPI_LID_PRIVATE), a->sensitivity == 2);
	pstw_set_bool(p, lid_common(w, MAPI_LID_REMINDER_SET), a->reminder_set);
	if (a->reminder_min >= 0)
		pstw_set_i4(p, lid_common(w, MAPI_LID_REMINDER_DELTA),
		    a->reminder_min);
	if (a->sequence >= 0)
		pstw_set_i4(p, lid_appt(w, MAPI_LID_APPT_SEQUENCE),
		    a->sequence);
	pstw_set_i4(p, lid_appt(w, MAPI_LID_APPT_STATE_FLAGS), a->state >= 0 ?
	    a->state : a->nrcpts > 0);
	pstw_set_i4(p, lid_appt(w, MAPI_LID_RESPONSE_STATUS), a->response >= 0 ?
	    a->response : a->nrcpts == 0 ? 0 :
	    (a->state >= 0 && (a->state & 2)) ? 3 : 1);
	if (a->dtstamp != 0)
		pstw_set_time(p, lid_meeting(w, MAPI_LID_OWNER_CRITICAL_CHANGE),
		    a->dtstamp);
	if ((s = display_list(a->rcpts, a->nrcpts, 0)) != NULL) {
		pstw_set_str(p, lid_appt(w, MAPI_LID_ALL_ATTENDEES_STRING), s);
		free(s);
	}
	if (a->goid != NULL) {
		glen = a->goidlen;
		if ((a->broken & FIXTURE_BROKEN_GOID_TRUNCATE) && glen > 30)
			glen = 30;
		pstw_set_bin(p, lid_meeting(w, MAPI_LID_GLOBAL_OBJECT_ID),
		    a->goid, glen);
	}
	if (a->clean_goid != NULL)
		pstw_set_bin(p, lid_meeting(w, MAPI_LID_CLEAN_GLOBAL_OBJECT_ID),
		    a->clean_goid, a->cleanlen);
	pstw_set_bool(p, lid_appt(w, MAPI_LID_RECURRING), a->recurring);
	pstw_set_bool(p, lid_meeting(w, MAPI_LID_IS_RECURRING), a->recurring);
	if (a->recurring) {
		pstw_set_i4(p, lid_appt(w, MAPI_LID_RECURRENCE_TYPE),
		    a->pat.freq == RECUR_FREQ_DAILY ? 1 :
		    a->pat.freq == RECUR_FREQ_WEEKLY ? 2 :
		    a->pat.freq == RECUR_FREQ_MONTHLY ? 3 : 4);
		clip_start = min_to_ft(a->pat.start_date);
		clip_end = a->pat.end_type == RECUR_END_NEVER ?
		    min_to_ft(RECUR_NO_END_DATE + 1439) :
		    min_to_ft(a->pat.end_date);
	}
	pstw_set_time(p, lid_appt(w, MAPI_LID_CLIP_START), clip_start);
	pstw_set_time(p, lid_appt(w, MAPI_LID_CLIP_END), clip_end);
	if (a->tz != NULL) {
		if (set_tz_def(w, p, a, MAPI_LID_TZDEF_START_DISPLAY,
		    TZ_RULE_EFFECTIVE, cause) != 0 ||
		    set_tz_def(w, p, a, MAPI_LID_TZDEF_END_DISPLAY,
		    TZ_RULE_EFFECTIVE, cause) != 0)
			return -1;
		if (a->recurring) {
			tz_encode_reg(a->tz, reg);
			pstw_set_bin(p, lid_appt(w, MAPI_LID_TIME_ZONE_STRUCT),
			    reg, (a->broken & FIXTURE_BROKEN_TZ_TRUNCATE) ? 20 :
			    sizeof reg);
			pstw_set_str(p, lid_appt(w,
			    MAPI_LID_TIME_ZONE_DESCRIPTION), a->tzdesc != NULL ?
			    a->tzdesc : a->tzid);
			if (set_tz_def(w, p, a, MAPI_LID_TZDEF_RECUR,
			    TZ_RULE_EFFECTIVE | TZ_RULE_RECUR_CURRENT,
			    cause) != 0)
				return -1;
		}
	}
	return 0;
}

int
fixture_write(struct pstw *w, struct fixture_folders *ff,
    const struct fixture_appt *a, int *kind, char **cause)
{
	struct fixture_exc *excs = NULL;
	struct pstw_msg *m;
	struct pstw_props *p;
	struct pstw_attach *at;
	uint8_t *blob = NULL;
	size_t len = 0, i;
	uint32_t folder;
	const char *cls;

	cls = a->folder_class != NULL ? a->folder_class :
	    a->mail ? "IPF.Note" : "IPF.Appointment";
	if (folder_get(w, ff, a->folder != NULL ? a->folder :
	    a->mail ? "Inbox" : "Calendar", cls, &folder, cause) != 0) {
		*kind = FIXTURE_EIO;
		return -1;
	}
	if (a->recurring && recur_blob(a, &blob, &len, cause) != 0) {
		*kind = FIXTURE_EDATA;
		return -1;
	}
	m = pstw_msg_new(a->msgclass != NULL ? a->msgclass :
	    a->mail ? "IPM.Note" : "IPM.Appointment");
	p = pstw_msg_props(m);
	set_common(w, p, a);
	if (!a->mail) {
		if (set_appointment(w, p, a, cause) != 0) {
			free(blob);
			pstw_msg_free(m);
			*kind = FIXTURE_EDATA;
			return -1;
		}
		if (blob != NULL)
			pstw_set_bin(p, lid_appt(w, MAPI_LID_APPT_RECUR), blob,
			    len);
	} else if (a->start != INT64_MIN) {
		pstw_set_time(p, MAPI_ID_CLIENT_SUBMIT_TIME, a->start);
		pstw_set_time(p, MAPI_ID_MESSAGE_DELIVERY_TIME, a->start);
	}
	free(blob);
	set_recipients(m, a->rcpts, a->nrcpts);
	if (a->nexcs > 0) {
		excs = xmemdup(a->excs, a->nexcs * sizeof *excs);
		qsort(excs, a->nexcs, sizeof *excs, cmp_fexc);
		for (i = 0; i < a->nexcs; i++)
			write_exception(w, m, a, &excs[i]);
		free(excs);
	}
	if (a->attach_name != NULL) {
		at = pstw_msg_attach(m);
		p = pstw_attach_props(at);
		pstw_set_i4(p, MAPI_ID_ATTACH_METHOD, a->attach_ole ?
		    MAPI_ATTACH_OLE : MAPI_ATTACH_BY_VALUE);
		pstw_set_str(p, MAPI_ID_ATTACH_FILENAME, a->attach_name);
		pstw_set_str(p, MAPI_ID_ATTACH_LONG_FILENAME, a->attach_name);
		pstw_set_str(p, MAPI_ID_DISPLAY_NAME, a->attach_name);
		pstw_set_i4(p, MAPI_ID_ATTACH_SIZE, (int32_t)a->attach_len);
		pstw_set_i4(p, MAPI_ID_RENDERING_POSITION, -1);
		pstw_set_bool(p, MAPI_ID_ATTACHMENT_HIDDEN, 0);
		if (a->attach_ole)
			pstw_attach_ole(at, a->attach_data, a->attach_len);
		else
			pstw_attach_data(at, a->attach_data, a->attach_len);
	}
	for (i = 0; i < (size_t)a->attach_count; i++)
		gen_attach(m, (uint32_t)i + 1);
	p = pstw_msg_props(m);
	for (i = 0; i < a->nraw; i++)
		set_raw(w, p, &a->raw[i]);
	if (pstw_msg_write(w, folder, m, NULL, cause) != 0) {
		*kind = FIXTURE_EIO;
		return -1;
	}
	return 0;
}

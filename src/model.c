/* model.c: the appointment model: lifetimes, blobs, the content spool. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "le.h"
#include "model.h"
#include "xmalloc.h"

struct appt *
appt_new(void)
{
	struct appt *a = xcalloc(1, sizeof *a);

	a->created = a->modified = a->crit_change = APPT_NOTIME;
	a->start = a->end = a->replace_time = APPT_NOTIME;
	a->all_day = APPT_ABSENT;
	a->busy = a->intended_busy = APPT_ABSENT;
	a->sensitivity = a->importance = APPT_ABSENT;
	a->reminder_set = APPT_ABSENT;
	a->reminder_min = APPT_ABSENT;
	a->sequence = a->state = a->response = APPT_ABSENT;
	a->recurring = APPT_ABSENT;
	a->exc_body = APPT_ABSENT;
	a->no_counter = a->last_sequence = a->conf_type = APPT_ABSENT;
	a->autofill_loc = a->extern_check = APPT_ABSENT;
	a->seq_time = APPT_NOTIME;
	return a;
}

/* What a packed item holds outside its pack (pack.h). */
static void
appt_free_unpacked(struct appt *a)
{
	size_t i;

	free(a->uid);
	free(a->body);
	free(a->html);
	free(a->rtf.data);
	for (i = 0; i < a->nattach && a->attachs != NULL; i++)
		free(a->attachs[i].data.data);
	for (i = 0; i < a->nexcs; i++) {
		if (a->excs[i].item != NULL)
			appt_free_unpacked(a->excs[i].item);
	}
}

void
appt_free(struct appt *a)
{
	size_t i;

	if (a == NULL)
		return;
	if (a->pack != NULL) {
		/* The struct is the start of its pack (pack.h). */
		appt_free_unpacked(a);
		free(a->pack);
		return;
	}
	free(a->folder);
	free(a->uid);
	free(a->msgclass);
	free(a->creator);
	free(a->modifier);
	appt_blob_clear(&a->goid);
	appt_blob_clear(&a->clean_goid);
	appt_blob_clear(&a->search_key);
	free(a->subject);
	free(a->location);
	free(a->body);
	free(a->html);
	appt_blob_clear(&a->rtf);
	for (i = 0; i < a->ncategories; i++)
		free(a->categories[i]);
	free(a->categories);
	free(a->org_name);
	free(a->org_email);
	for (i = 0; i < a->nrcpts; i++) {
		free(a->rcpts[i].name);
		free(a->rcpts[i].email);
		free(a->rcpts[i].addrtype);
	}
	free(a->rcpts);
	appt_blob_clear(&a->recur);
	appt_blob_clear(&a->tz_struct);
	free(a->tz_desc);
	appt_blob_clear(&a->tzdef_start);
	appt_blob_clear(&a->tzdef_end);
	appt_blob_clear(&a->tzdef_recur);
	for (i = 0; i < a->nexcs; i++)
		appt_free(a->excs[i].item);
	free(a->excs);
	for (i = 0; i < a->nattach && a->attachs != NULL; i++) {
		free(a->attachs[i].name);
		free(a->attachs[i].mime);
		free(a->attachs[i].uri);
		free(a->attachs[i].unread);
		appt_blob_clear(&a->attachs[i].data);
	}
	free(a->attachs);
	free(a);
}

void
appt_list_init(struct appt_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void
appt_list_push(struct appt_list *l, struct appt *a)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = a;
}

void
appt_list_free(struct appt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		appt_free(l->v[i]);
	free(l->v);
	appt_list_init(l);
}

void
appt_blob_set(struct appt_blob *b, const void *data, size_t len)
{
	free(b->data);
	b->data = xmemdup(data, len);
	b->len = len;
}

void
appt_blob_clear(struct appt_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

int
appt_blob_eq(const struct appt_blob *a, const struct appt_blob *b)
{
	if ((a->data == NULL) != (b->data == NULL) || a->len != b->len)
		return 0;
	return a->len == 0 || memcmp(a->data, b->data, a->len) == 0;
}

/* Append len bytes to the spool; where they went in *spot. */
static int
spool_put(FILE *fp, const void *p, size_t len, struct appt_spot *spot,
    char **cause)
{
	spot->present = 1;
	spot->len = len;
	if ((spot->off = ftello(fp)) == -1 ||
	    fwrite(p, 1, len, fp) != len) {
		xasprintf(cause, "cannot write the scratch file: %s",
		    strerror(errno != 0 ? errno : EIO));
		return -1;
	}
	return 0;
}

/* Read back len bytes at off, NUL-terminated. */
static int
spool_get(FILE *fp, int64_t off, size_t len, uint8_t **out, char **cause)
{
	size_t	done;
	ssize_t	got;

	*out = NULL;
	if (fflush(fp) != 0) {
		xasprintf(cause, "cannot write the scratch file: %s",
		    strerror(errno));
		return -1;
	}
	*out = xmalloc(len + 1);
	for (done = 0; done < len; done += (size_t)got) {
		got = pread(fileno(fp), *out + done, len - done,
		    (off_t)(off + (int64_t)done));
		if (got <= 0) {
			xasprintf(cause, "cannot read back the scratch file: "
			    "%s", got == 0 ? "it is shorter than written" :
			    strerror(errno));
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	(*out)[len] = '\0';
	return 0;
}

int
appt_spool(struct appt *a, FILE *fp, char **cause)
{
	struct appt_attach	*at;
	size_t			 i;
	struct appt_spot	 spot;

	if (a->spooled)
		return 0;
	errno = 0;
	for (i = 0; i < a->nattach && a->attachs != NULL; i++) {
		at = &a->attachs[i];
		if (at->spooled || at->data.data == NULL)
			continue;
		if (spool_put(fp, at->data.data, at->data.len, &spot,
		    cause) != 0)
			return -1;
		at->spooled = 1;
		at->spool_off = spot.off;
		free(at->data.data);
		at->data.data = NULL;
	}
	if ((a->body != NULL && spool_put(fp, a->body, strlen(a->body),
	    &a->body_at, cause) != 0) ||
	    (a->html != NULL && spool_put(fp, a->html, strlen(a->html),
	    &a->html_at, cause) != 0) ||
	    (a->rtf.data != NULL && spool_put(fp, a->rtf.data, a->rtf.len,
	    &a->rtf_at, cause) != 0))
		return -1;
	for (i = 0; i < a->nexcs; i++) {
		if (a->excs[i].item != NULL &&
		    appt_spool(a->excs[i].item, fp, cause) != 0)
			return -1;
	}
	a->spooled = 1;
	appt_respool(a);
	return 0;
}

int
appt_unspool(struct appt *a, FILE *fp, char **cause)
{
	struct appt_attach	*at;
	uint8_t			*p;
	size_t			 i;

	if (a->spooled) {
		if (a->body_at.present && a->body == NULL) {
			if (spool_get(fp, a->body_at.off, a->body_at.len, &p,
			    cause) != 0)
				return -1;
			a->body = (char *)p;
		}
		if (a->html_at.present && a->html == NULL) {
			if (spool_get(fp, a->html_at.off, a->html_at.len, &p,
			    cause) != 0)
				return -1;
			a->html = (char *)p;
		}
		if (a->rtf_at.present && a->rtf.data == NULL) {
			if (spool_get(fp, a->rtf_at.off, a->rtf_at.len,
			    &a->rtf.data, cause) != 0)
				return -1;
			a->rtf.len = a->rtf_at.len;
		}
	}
	for (i = 0; i < a->nattach && a->attachs != NULL; i++) {
		at = &a->attachs[i];
		if (at->spooled && at->data.data == NULL &&
		    spool_get(fp, at->spool_off, at->data.len, &at->data.data,
		    cause) != 0)
			return -1;
	}
	for (i = 0; i < a->nexcs; i++) {
		if (a->excs[i].item != NULL &&
		    appt_unspool(a->excs[i].item, fp, cause) != 0)
			return -1;
	}
	return 0;
}

void
appt_respool(struct appt *a)
{
	size_t	i;

	if (a->spooled) {
		free(a->body);
		free(a->html);
		free(a->rtf.data);
		a->body = a->html = NULL;
		a->rtf.data = NULL;
		a->rtf.len = 0;
	}
	for (i = 0; i < a->nattach && a->attachs != NULL; i++) {
		if (a->attachs[i].spooled) {
			free(a->attachs[i].data.data);
			a->attachs[i].data.data = NULL;
		}
	}
	for (i = 0; i < a->nexcs; i++) {
		if (a->excs[i].item != NULL)
			appt_respool(a->excs[i].item);
	}
}

int
appt_has_body(const struct appt *a)
{
	if (a->spooled)
		return (a->body_at.present && a->body_at.len > 0) ||
		    (a->html_at.present && a->html_at.len > 0) ||
		    a->rtf_at.present;
	return (a->body != NULL && *a->body != '\0') ||
	    (a->html != NULL && *a->html != '\0') || a->rtf.data != NULL;
}

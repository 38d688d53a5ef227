/* model.c: the appointment model: lifetimes, blobs, time and text helpers. */
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

char *
appt_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = xreallocarray(NULL, n + 1, 2);
	size_t i;

	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0xF];
	}
	s[2 * n] = '\0';
	return s;
}

int64_t
appt_ft_to_unix(int64_t ft)
{
	int64_t d = ft - APPT_FT_UNIX_EPOCH;

	/* Floor, not truncation, so times before 1970 stay ordered. */
	if (d < 0 && d % APPT_FT_PER_SEC != 0)
		return d / APPT_FT_PER_SEC - 1;
	return d / APPT_FT_PER_SEC;
}

int64_t
appt_unix_to_ft(int64_t t)
{
	return t * APPT_FT_PER_SEC + APPT_FT_UNIX_EPOCH;
}

/* Windows-1252 0x80-0x9F; 0 marks the undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

uint32_t
appt_cp1252_to_cp(uint8_t b)
{
	if (b < 0x80 || b > 0x9F)
		return b;
	return cp1252_high[b - 0x80] != 0 ? cp1252_high[b - 0x80] : 0xFFFD;
}

int
appt_cp1252_from_cp(uint32_t cp)
{
	size_t k;

	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (int)cp;
	for (k = 0; k < 32; k++)
		if (cp1252_high[k] != 0 && cp1252_high[k] == cp)
			return (int)(0x80 + k);
	return -1;
}

size_t
appt_utf8_put(uint32_t cp, char *p)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xC0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xE0 | (cp >> 12));
		p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		p[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | (cp >> 18));
	p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	p[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Characters that must not reach the output: C0 controls but TAB, LF
 * and CR, DEL, and the C1 range, which no sane subject contains. */
static int
dropped(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/* Decode one UTF-8 sequence at s (n bytes left). Returns its length and
 * sets *cp, or 0 for an invalid sequence. Rejects overlongs and
 * surrogates as RFC 3629 requires. */
static size_t
get_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

uint32_t
appt_utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	uint32_t cp;
	size_t len;

	/* strnlen keeps the decoder inside the string. */
	if ((len = get_utf8(s, strnlen(*sp, 4), &cp)) == 0) {
		*sp += 1;
		return 0xFFFD;
	}
	*sp += len;
	return cp;
}

/* Printable ASCII, and TAB, LF and CR: the bulk of any text, kept as
 * they are without decoding. */
static int
plain_ascii(unsigned char c)
{
	return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r';
}

char *
appt_text_clean(char *s)
{
	const unsigned char *in = (const unsigned char *)s;
	size_t n, i = 0, o, len;
	char *out;
	uint32_t cp;

	/* Most text is already clean: find the first thing to change. */
	for (;;) {
		while (plain_ascii(in[i]))
			i++;
		if (in[i] == '\0')
			return s;
		if (in[i] < 0x80 || (len = get_utf8(in + i, strnlen(s + i, 4),
		    &cp)) == 0 || dropped(cp))
			break;
		i += len;
	}
	n = i + strlen(s + i);
	/* U+FFFD takes 3 bytes where a bad byte took 1: size for that. */
	out = xmalloc(i + (n - i) * 3 + 1);
	memcpy(out, s, i);
	o = i;
	while (i < n) {
		if (plain_ascii(in[i])) {
			out[o++] = (char)in[i++];
			continue;
		}
		if ((len = get_utf8(in + i, n - i, &cp)) == 0) {
			o += appt_utf8_put(0xFFFD, out + o);
			i++;
			continue;
		}
		if (!dropped(cp)) {
			memcpy(out + o, in + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	free(s);
	return xreallocarray(out, o + 1, 1);
}

/* Whether all four UTF-16 units in w are 0x0020-0x007E: high bytes
 * zero, low bytes at least 0x20 (adding 0x60 sets bit 7) and below
 * 0x7F (adding 1 leaves bit 7 clear). Lanes cannot carry into each
 * other: each sum stays below 0x0160. */
static int
ascii4(uint64_t w)
{
	const uint64_t	hi = 0xFF00FF00FF00FF00ULL, b7 = 0x0080008000800080ULL;

	return (w & hi) == 0 && ((w + 0x0060006000600060ULL) & b7) == b7 &&
	    ((w + 0x0001000100010001ULL) & b7) == 0;
}

char *
appt_utf16le_to_utf8(const uint8_t *p, size_t len)
{
	size_t n = len / 2, i, o = 0;
	char *out = xmalloc(n * 3 + 1);
	uint32_t u, lo;

	for (i = 0; i < n; i++) {
		/* Four printable ASCII units (0x20-0x7E) at once: bodies
		 * are long and mostly that. */
		while (i + 4 <= n && ascii4(le_get64(p + 2 * i))) {
			out[o++] = (char)p[2 * i];
			out[o++] = (char)p[2 * i + 2];
			out[o++] = (char)p[2 * i + 4];
			out[o++] = (char)p[2 * i + 6];
			i += 4;
		}
		if (i == n)
			break;
		u = p[2 * i] | (uint32_t)p[2 * i + 1] << 8;
		if (u < 0x80 && plain_ascii((unsigned char)u)) {
			out[o++] = (char)u;
			continue;
		}
		if (u == 0)
			break;		/* a stored terminator ends the text */
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
			lo = p[2 * i + 2] | (uint32_t)p[2 * i + 3] << 8;
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) +
				    (lo - 0xDC00);
				i++;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF)
			u = 0xFFFD;	/* lone surrogate */
		if (dropped(u))
			continue;
		o += appt_utf8_put(u, out + o);
	}
	out[o] = '\0';
	return xreallocarray(out, o + 1, 1);
}

size_t
appt_utf8_to_utf16le(const char *s, uint8_t *out)
{
	size_t n = 0;
	uint32_t cp;

	while (*s != '\0') {
		cp = appt_utf8_next(&s);
		if (cp >= 0x10000) {
			if (out != NULL) {
				cp -= 0x10000;
				le_put16(out + 2 * n,
				    (uint16_t)(0xD800 + (cp >> 10)));
				le_put16(out + 2 * n + 2,
				    (uint16_t)(0xDC00 + (cp & 0x3FF)));
			}
			n += 2;
			continue;
		}
		if (out != NULL)
			le_put16(out + 2 * n, (uint16_t)cp);
		n++;
	}
	return n;
}

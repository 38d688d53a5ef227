/* reader_props.c: the raw values of a struct rd_props as C values
 * (reader_int.h).
 *
 * Strings become clean UTF-8: UTF-16LE as it is, 8-bit strings through
 * the file's codepage, or the one a message names (0x3FFD), with iconv;
 * HTML bytes that are not UTF-8 through 1252. Integers, booleans,
 * FILETIMEs and blobs are read as the type the file gave says; a value
 * of another type than expected counts as absent. The multi-valued
 * string layout of Keywords is parsed here. A value the backend could
 * not read (type_err, data_err) fails only when it is used. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "le.h"
#include "pst/mapi.h"
#include "reader_int.h"
#include "text.h"
#include "xmalloc.h"

static iconv_t	 open_codepage(int);
static char	*convert(iconv_t, const uint8_t *, size_t);
static int	 val_get(const struct rd_props *, enum rd_slot,
		    const struct rd_val **, char **);
static int	 val_copy(const struct rd_val *, uint8_t **, size_t *,
		    char **);
static int	 val_bytes(const struct rd_val *, const uint8_t **, size_t *,
		    char **);

int
reader_codepage_ok(int cp)
{
	switch (cp) {
	case 874: case 932: case 936: case 949: case 950: case 20127:
		return 1;
	}
	return cp >= 1250 && cp <= 1258;
}

/* An iconv descriptor from a Windows codepage to UTF-8. */
static iconv_t
open_codepage(int cp)
{
	char name[32];

	switch (cp) {
	case 20127:
		return iconv_open("UTF-8", "ASCII");
	case 65001:
		return iconv_open("UTF-8", "UTF-8");
	case 28591: case 28592: case 28593: case 28594: case 28595:
	case 28596: case 28597: case 28598: case 28599:
		snprintf(name, sizeof name, "ISO-8859-%d", cp - 28590);
		return iconv_open("UTF-8", name);
	}
	snprintf(name, sizeof name, "CP%d", cp);
	return iconv_open("UTF-8", name);
}

/* The file's codepage and 1252 for HTML bytes that are not UTF-8;
 * rn_conv_close() closes them, and the one a message named. */
int
rn_conv_open(struct rdn *rn, char **cause)
{
	rn->cd_file = open_codepage(rn->rd.codepage);
	rn->cd_1252 = open_codepage(1252);
	if (rn->cd_file == (iconv_t)-1 || rn->cd_1252 == (iconv_t)-1) {
		xasprintf(cause, "codepage %d: %s", rn->rd.codepage,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
rn_conv_close(struct rdn *rn)
{
	if (rn->cd_file != (iconv_t)-1)
		iconv_close(rn->cd_file);
	if (rn->cd_1252 != (iconv_t)-1)
		iconv_close(rn->cd_1252);
	if (rn->cd_msg != (iconv_t)-1)
		iconv_close(rn->cd_msg);
}

/* Bytes in some codepage to clean UTF-8; a byte iconv rejects becomes
 * U+FFFD. Stops at a NUL. */
static char *
convert(iconv_t cd, const uint8_t *p, size_t len)
{
	const uint8_t *nul;
	char *out, *in, *o;
	size_t left, room, cap;

	if ((nul = memchr(p, '\0', len)) != NULL)
		len = nul - p;
	cap = len * 4 + 4;
	out = xmalloc(cap);
	in = (char *)p;
	left = len;
	o = out;
	room = cap - 1;
	iconv(cd, NULL, NULL, NULL, NULL);
	/* The output has room for 4 bytes an input byte, so only EILSEQ
	 * and EINVAL stop it: replace one byte and go on. */
	while (left > 0 && iconv(cd, &in, &left, &o, &room) == (size_t)-1 &&
	    errno != E2BIG && room >= 3) {
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3;
		room -= 3;
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	*o = '\0';
	return text_clean(out);
}

char *
rd_string(struct rd *rd, uint32_t type, const uint8_t *data, size_t len)
{
	struct rdn *rn = (struct rdn *)rd;

	if (type == MAPI_PT_UNICODE)
		return text_utf16le_to_utf8(data, len);
	if (type == MAPI_PT_STRING8)
		return convert(rn->cd_file, data, len);
	return NULL;
}

/* A slot's value: 1 there, 0 absent, -1 its type unreadable. */
static int
val_get(const struct rd_props *p, enum rd_slot s, const struct rd_val **v,
    char **cause)
{
	const struct rd_val *x = &p->v[s];

	if (!x->set)
		return 0;
	if (x->type_err != NULL) {
		*cause = xstrdup(x->type_err);
		return -1;
	}
	*v = x;
	return 1;
}

/* A copy of a value's raw bytes, one byte longer (*len may be 0). */
static int
val_copy(const struct rd_val *v, uint8_t **data, size_t *len, char **cause)
{
	*data = NULL;
	*len = 0;
	if (v->data_err != NULL) {
		*cause = xstrdup(v->data_err);
		return -1;
	}
	*data = xmalloc(v->len + 1);
	if (v->len > 0)
		memcpy(*data, v->data, v->len);
	*len = v->len;
	return 0;
}

/* A value's raw bytes, borrowed (*len may be 0). */
static int
val_bytes(const struct rd_val *v, const uint8_t **data, size_t *len,
    char **cause)
{
	if (v->data_err != NULL) {
		*cause = xstrdup(v->data_err);
		return -1;
	}
	/* An empty value may have no bytes at all: never hand on NULL. */
	*data = v->data != NULL ? v->data : (const uint8_t *)"";
	*len = v->data != NULL ? v->len : 0;
	return 0;
}

/* An item's properties and the codepage it names. */
int
rn_item_props(struct rdn *rn, void *item, struct rd_props *p, char **cause)
{
	char *why = NULL;
	int32_t cp;

	memset(p, 0, sizeof *p);
	if (rn->rd.be->props(&rn->rd, item, p, cause) != 0) {
		rd_props_free(p);
		return -1;
	}
	if (p->v[S_CODEPAGE].set &&
	    rn_prop_i32(p, S_CODEPAGE, &cp, &why) == 0 && cp > 0)
		p->codepage = cp;
	free(why);
	return 0;
}

/* A string property as clean UTF-8 (*out NULL when absent). strip: the
 * subject's 0x01 prefix marker plus the character after it. */
int
rn_prop_string(struct rdn *rn, const struct rd_props *p, enum rd_slot s,
    int strip, char **out, char **cause)
{
	const struct rd_val *v;
	const uint8_t *q;
	size_t len;
	iconv_t cd;
	int r;

	*out = NULL;
	if ((r = val_get(p, s, &v, cause)) != 1)
		return r;
	if (v->type != MAPI_PT_UNICODE && v->type != MAPI_PT_STRING8)
		return 0;
	if (val_bytes(v, &q, &len, cause) != 0)
		return -1;
	if (v->type == MAPI_PT_UNICODE) {
		if (strip && len >= 4 && q[0] == 0x01 && q[1] == 0x00) {
			q += 4;
			len -= 4;
		}
		*out = text_utf16le_to_utf8(q, len);
		return 0;
	}
	if (strip && len >= 2 && q[0] == 0x01) {
		q += 2;
		len -= 2;
	}
	cd = rn->cd_file;
	if (p->codepage > 0 && p->codepage != rn->rd.codepage) {
		if (rn->cd_msg_cp != p->codepage) {
			if (rn->cd_msg != (iconv_t)-1)
				iconv_close(rn->cd_msg);
			rn->cd_msg = open_codepage(p->codepage);
			rn->cd_msg_cp = p->codepage;
		}
		if (rn->cd_msg != (iconv_t)-1)
			cd = rn->cd_msg;
	}
	*out = convert(cd, q, len);
	return 0;
}

/* An integer-like value; *found says whether one was there. */
int
rn_entry_int(const struct rd_props *p, enum rd_slot s, int32_t *v, int *found,
    char **cause)
{
	const struct rd_val *x;
	const uint8_t *raw;
	size_t len;
	int r;

	*found = 0;
	if ((r = val_get(p, s, &x, cause)) != 1)
		return r;
	if (x->type != MAPI_PT_LONG && x->type != MAPI_PT_SHORT &&
	    x->type != MAPI_PT_BOOLEAN)
		return 0;
	if (val_bytes(x, &raw, &len, cause) != 0)
		return -1;
	*found = 1;
	if (x->type == MAPI_PT_LONG && len >= 4)
		*v = (int32_t)le_get32(raw);
	else if (x->type != MAPI_PT_BOOLEAN && len >= 2)
		*v = (int16_t)(raw[0] | raw[1] << 8);
	else if (len >= 1)
		*v = raw[0];
	else
		*found = 0;
	return 0;
}

/* Absent or of another type leaves *v alone. */
int
rn_prop_i32(const struct rd_props *p, enum rd_slot s, int32_t *v, char **cause)
{
	int found;

	return rn_entry_int(p, s, v, &found, cause);
}

int
rn_prop_bool(const struct rd_props *p, enum rd_slot s, int *v, char **cause)
{
	int32_t x = 0;
	int found;

	if (rn_entry_int(p, s, &x, &found, cause) != 0)
		return -1;
	if (found)
		*v = x != 0;
	return 0;
}

int
rn_prop_time(const struct rd_props *p, enum rd_slot s, int64_t *v,
    char **cause)
{
	const struct rd_val *x;
	const uint8_t *raw;
	uint64_t ft = 0;
	size_t len, i;
	int r;

	if ((r = val_get(p, s, &x, cause)) != 1)
		return r;
	if (x->type != MAPI_PT_SYSTIME)
		return 0;
	if (val_bytes(x, &raw, &len, cause) != 0)
		return -1;
	if (len == 8) {
		for (i = 8; i > 0; i--)
			ft = ft << 8 | raw[i - 1];
		if (ft <= INT64_MAX)
			*v = (int64_t)ft;
	}
	return 0;
}

/* Any type: the bytes as they are. */
int
rn_prop_blob(const struct rd_props *p, enum rd_slot s, struct appt_blob *b,
    char **cause)
{
	uint8_t *raw;
	size_t len;

	if (!p->v[s].set)
		return 0;
	if (val_copy(&p->v[s], &raw, &len, cause) != 0)
		return -1;
	appt_blob_clear(b);
	b->data = raw;
	b->len = len;
	return 0;
}

/* Keywords (multi-valued strings), or the older Categories LID. The
 * multi-valued layout (MS-PST 2.3.3.4.2) is parsed here: a count, that
 * many offsets, then the strings back to back. libpff 20180714 reports
 * no values for it. */
int
rn_prop_categories(struct rdn *rn, const struct rd_props *p, struct appt *a,
    char **cause)
{
	enum rd_slot s = p->v[S_KEYWORDS].set ? S_KEYWORDS : S_CATEGORIES;
	const struct rd_val *x;
	uint32_t n, i, off, next;
	uint8_t *raw;
	size_t len;
	char *str;
	int r;

	if ((r = val_get(p, s, &x, cause)) != 1)
		return r;
	if (x->type == MAPI_PT_UNICODE || x->type == MAPI_PT_STRING8) {
		if (rn_prop_string(rn, p, s, 0, &str, cause) != 0)
			return -1;
		a->categories = xcalloc(1, sizeof *a->categories);
		a->categories[0] = str;
		a->ncategories = 1;
		return 0;
	}
	if (x->type != MAPI_PT_MV_UNICODE && x->type != MAPI_PT_MV_STRING8)
		return 0;
	if (val_copy(x, &raw, &len, cause) != 0)
		return -1;
	n = len >= 4 ? le_get32(raw) : 0;
	if (len < 4 || n > (len - 4) / 4) {
		free(raw);
		xasprintf(cause, "malformed categories value");
		return -1;
	}
	if (n > 0)
		a->categories = xcalloc(n, sizeof *a->categories);
	for (i = 0; i < n; i++) {
		off = le_get32(raw + 4 + 4 * i);
		next = i + 1 < n ? le_get32(raw + 8 + 4 * i) : len;
		if (off < 4 + 4 * n || off > next || next > len) {
			free(raw);
			xasprintf(cause, "malformed categories value");
			return -1;
		}
		if (x->type == MAPI_PT_MV_UNICODE)
			str = text_utf16le_to_utf8(raw + off, next - off);
		else
			str = convert(rn->cd_file, raw + off, next - off);
		a->categories[a->ncategories++] = str;
	}
	free(raw);
	return 0;
}

/* PidTagHtml: bytes in the message's charset, or a string (*out NULL
 * when absent). */
int
rn_prop_html(struct rdn *rn, const struct rd_props *p, char **out,
    char **cause)
{
	const struct rd_val *v;
	uint8_t *raw;
	size_t len;

	switch (val_get(p, S_HTML, &v, cause)) {
	case -1:
		return -1;
	case 1:
		if (v->type == MAPI_PT_UNICODE || v->type == MAPI_PT_STRING8) {
			if (rn_prop_string(rn, p, S_HTML, 0, out, cause) != 0)
				return -1;
		} else if (v->type == MAPI_PT_BINARY) {
			if (val_copy(v, &raw, &len, cause) != 0)
				return -1;
			if (memchr(raw, '\0', len) != NULL)
				len = strlen((char *)raw);
			if (text_utf8_valid(raw, len)) {
				raw[len] = '\0';
				*out = text_clean((char *)raw);
			} else {
				*out = convert(rn->cd_1252, raw, len);
				free(raw);
			}
		}
		break;
	}
	return 0;
}

/* A binary slot's bytes, borrowed; 1 found, 0 absent or unreadable. */
int
rn_slot_raw(const struct rd_props *p, enum rd_slot s, const uint8_t **data,
    size_t *len)
{
	const struct rd_val *v;
	char *cause = NULL;
	int r;

	*data = NULL;
	*len = 0;
	if ((r = val_get(p, s, &v, &cause)) == 1 &&
	    val_bytes(v, data, len, &cause) != 0)
		r = 0;
	free(cause);
	return r == 1;
}

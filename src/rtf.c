/* rtf.c: LZFu (MS-OXRTFCP) and HTML/plain text out of RTF (MS-OXRTFEX). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "le.h"
#include "pst/crc.h"
#include "buf.h"
#include "rtf.h"
#include "text.h"
#include "xmalloc.h"

#define RTF_DICT_SIZE	4096
#define RTF_HDR_SIZE	16
#define RTF_LZFU	0x75465A4Cu
#define RTF_MELA	0x414C454Du
#define RTF_MAX_MATCH	17
#define RTF_MAX_DEPTH	512

/* MS-OXRTFCP 2.1.3.1.2: the dictionary's initial contents. */
static const char rtf_prebuf[] =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}"
    "{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
    "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
    "{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
#define RTF_PREBUF_LEN	(sizeof rtf_prebuf - 1)

/* Destinations whose text is never shown. */
static const char *const rtf_skip_dests[] = {
	"fonttbl", "colortbl", "stylesheet", "info", "pict", "object",
	"header", "headerl", "headerr", "headerf", "footer", "footerl",
	"footerr", "footerf", "listtable", "listoverridetable", "revtbl",
	"rsidtbl", "generator", "xmlnstbl", "themedata", "colorschememapping",
	"datastore", "latentstyles", "filetbl", "pgdsctbl", "private",
	"fldinst", "bkmkstart", "bkmkend", "field_", "mmathPr", NULL
};

struct rtf_state {
	int	skip;		/* inside an ignored destination */
	int	htmlrtf;	/* \htmlrtf: RTF-only text, not HTML */
	int	htmltag;	/* inside {\*\htmltag} */
	int	uc;		/* fallback characters after \uN */
};

static int	is_skip_dest(const char *);
static int	render(const char *, size_t, int, char **);

int
rtf_decompress(const uint8_t *in, size_t len, char **out, size_t *outlen,
    char **cause)
{
	uint8_t dict[RTF_DICT_SIZE];
	uint32_t compsize, rawsize, type, crc;
	size_t end, i, o = 0, wpos, off, n, k;
	unsigned int ctl, bit;
	char *raw;

	if (len < RTF_HDR_SIZE) {
		xasprintf(cause, "compressed RTF of %zu bytes has no header",
		    len);
		return -1;
	}
	compsize = le_get32(in);
	rawsize = le_get32(in + 4);
	type = le_get32(in + 8);
	crc = le_get32(in + 12);
	if (compsize < 12 || compsize > len - 4) {
		xasprintf(cause, "compressed RTF size %u does not fit %zu "
		    "bytes", compsize, len);
		return -1;
	}
	end = (size_t)compsize + 4;
	if (type == RTF_MELA) {
		if (rawsize > end - RTF_HDR_SIZE) {
			xasprintf(cause, "uncompressed RTF claims %u bytes, "
			    "has %zu", rawsize, end - RTF_HDR_SIZE);
			return -1;
		}
		raw = xmalloc((size_t)rawsize + 1);
		memcpy(raw, in + RTF_HDR_SIZE, rawsize);
		raw[rawsize] = '\0';
		*out = raw;
		*outlen = rawsize;
		return 0;
	}
	if (type != RTF_LZFU) {
		xasprintf(cause, "unknown RTF compression 0x%08x", type);
		return -1;
	}
	if (pst_crc32(0, in + RTF_HDR_SIZE, end - RTF_HDR_SIZE) != crc) {
		xasprintf(cause, "compressed RTF CRC mismatch");
		return -1;
	}
	/* A 2-byte reference expands to at most 17 bytes, so more than 9
	 * raw bytes per compressed byte cannot be real. */
	if (rawsize / 9 > end - RTF_HDR_SIZE) {
		xasprintf(cause, "compressed RTF claims %u raw bytes from "
		    "%zu", rawsize, end - RTF_HDR_SIZE);
		return -1;
	}
	memset(dict, 0, sizeof dict);
	memcpy(dict, rtf_prebuf, RTF_PREBUF_LEN);
	wpos = RTF_PREBUF_LEN;
	raw = xmalloc((size_t)rawsize + 1);
	i = RTF_HDR_SIZE;
	while (i < end && o < rawsize) {
		ctl = in[i++];
		for (bit = 0; bit < 8 && o < rawsize; bit++) {
			if ((ctl & (1u << bit)) == 0) {
				if (i >= end)
					goto done;
				raw[o++] = (char)in[i];
				dict[wpos] = in[i++];
				wpos = (wpos + 1) % RTF_DICT_SIZE;
				continue;
			}
			if (end - i < 2)
				goto done;
			off = (size_t)in[i] << 4 | in[i + 1] >> 4;
			n = (in[i + 1] & 0x0f) + 2;
			i += 2;
			if (off == wpos)
				goto done;	/* the end marker */
			for (k = 0; k < n && o < rawsize; k++) {
				dict[wpos] = dict[(off + k) % RTF_DICT_SIZE];
				raw[o++] = (char)dict[wpos];
				wpos = (wpos + 1) % RTF_DICT_SIZE;
			}
		}
	}
done:
	raw[o] = '\0';
	*out = raw;
	*outlen = o;
	return 0;
}

int
rtf_compress(const char *src, size_t len, uint8_t **out, size_t *outlen,
    char **cause)
{
	const uint8_t *s = (const uint8_t *)src;
	uint8_t dict[RTF_DICT_SIZE], *p;
	size_t cap, n, pos = 0, ctlpos, wpos, filled, o, best, bestoff, cand;
	size_t k, m, j;
	int bit;

	if (len > UINT32_MAX - 64) {
		xasprintf(cause, "RTF of %zu bytes is too large", len);
		return -1;
	}
	/* Worst case: all literals, one control byte per 8, plus the end. */
	cap = RTF_HDR_SIZE + len + len / 8 + 8;
	p = xcalloc(1, cap);
	memset(dict, 0, sizeof dict);
	memcpy(dict, rtf_prebuf, RTF_PREBUF_LEN);
	wpos = filled = RTF_PREBUF_LEN;
	o = RTF_HDR_SIZE;
	for (;;) {
		ctlpos = o++;
		p[ctlpos] = 0;
		for (bit = 0; bit < 8; bit++) {
			if (pos == len) {
				/* The end marker: a reference to wpos. */
				p[ctlpos] |= (uint8_t)(1u << bit);
				p[o++] = (uint8_t)(wpos >> 4);
				p[o++] = (uint8_t)((wpos & 0x0f) << 4);
				goto finish;
			}
			/* Longest match that neither overlaps the bytes being
			 * written nor reaches unwritten dictionary space. */
			best = 0;
			bestoff = 0;
			m = len - pos < RTF_MAX_MATCH ? len - pos :
			    RTF_MAX_MATCH;
			for (cand = 0; cand < filled && m >= 2; cand++) {
				if (cand == wpos)
					continue;
				for (k = 0; k < m; k++) {
					j = (cand + k) % RTF_DICT_SIZE;
					if ((j + RTF_DICT_SIZE - wpos) %
					    RTF_DICT_SIZE < m ||
					    dict[j] != s[pos + k])
						break;
				}
				if (k > best) {
					best = k;
					bestoff = cand;
				}
			}
			if (best >= 2) {
				p[ctlpos] |= (uint8_t)(1u << bit);
				p[o++] = (uint8_t)(bestoff >> 4);
				p[o++] = (uint8_t)((bestoff & 0x0f) << 4 |
				    (best - 2));
				n = best;
			} else {
				p[o++] = s[pos];
				n = 1;
			}
			for (k = 0; k < n; k++) {
				dict[wpos] = s[pos++];
				wpos = (wpos + 1) % RTF_DICT_SIZE;
				if (filled < RTF_DICT_SIZE)
					filled++;
			}
		}
	}
finish:
	le_put32(p, (uint32_t)(o - 4));
	le_put32(p + 4, (uint32_t)len);
	le_put32(p + 8, RTF_LZFU);
	le_put32(p + 12, pst_crc32(0, p + RTF_HDR_SIZE, o - RTF_HDR_SIZE));
	*out = p;
	*outlen = o;
	return 0;
}

static int
is_skip_dest(const char *w)
{
	int i;

	for (i = 0; rtf_skip_dests[i] != NULL; i++)
		if (strcmp(w, rtf_skip_dests[i]) == 0)
			return 1;
	return 0;
}

/* One pass over RTF: where it is and what it has written. */
struct rtf_render {
	const char	*rtf;
	size_t		 len, i;
	int		 html;		/* de-encapsulating HTML */
	struct rtf_state st[RTF_MAX_DEPTH], *cur;
	size_t		 depth;
	size_t		 extra;		/* groups deeper than st[] */
	int		 star;		/* after \*: the next word skips */
	int		 fromhtml;	/* \fromhtml1 seen */
	int		 skipchars;	/* \uN fallback characters left */
	uint32_t	 hi;		/* a high surrogate waiting */
	struct buf	 b;
};

/* Whether text here is left out: an ignored destination, or RTF-only
 * text while de-encapsulating HTML. */
static int
rtf_hidden(const struct rtf_render *r)
{
	return r->cur->skip || (r->html && !r->cur->htmltag &&
	    r->cur->htmlrtf);
}

/* A control symbol c (the character after a backslash, not a letter);
 * r->i is past it. */
static void
rtf_symbol(struct rtf_render *r, unsigned char c)
{
	char	hex[3];

	if (c == '*') {
		r->star = 1;
		return;
	}
	if (c == '\'') {
		if (r->len - r->i < 2 ||
		    !isxdigit((unsigned char)r->rtf[r->i]) ||
		    !isxdigit((unsigned char)r->rtf[r->i + 1]))
			return;
		hex[0] = r->rtf[r->i];
		hex[1] = r->rtf[r->i + 1];
		hex[2] = '\0';
		r->i += 2;
		if (r->skipchars > 0) {
			r->skipchars--;
			return;
		}
		if (rtf_hidden(r))
			return;
		buf_addcp(&r->b, text_cp1252_to_cp(
		    (uint8_t)strtoul(hex, NULL, 16)));
		return;
	}
	if (rtf_hidden(r))
		return;
	if (c == '{' || c == '}' || c == '\\')
		buf_add(&r->b, &c, 1);
	else if (c == '~')
		buf_addcp(&r->b, 0xA0);
	else if (c == '_')
		buf_addcp(&r->b, 0x2011);
	else if (c == '\r' || c == '\n')
		buf_add(&r->b, "\n", 1);
}

/* A control word's letters into word (cut to its size) and its
 * numeric parameter; r->i is past the delimiting space, if any. */
static void
rtf_word_read(struct rtf_render *r, char *word, size_t size, long *param,
    int *hasparam)
{
	size_t	wl = 0;
	int	neg = 0;

	while (r->i < r->len && isalpha((unsigned char)r->rtf[r->i])) {
		if (wl < size - 1)
			word[wl++] = r->rtf[r->i];
		r->i++;
	}
	word[wl] = '\0';
	*hasparam = 0;
	*param = 0;
	if (r->i < r->len && r->rtf[r->i] == '-') {
		neg = 1;
		r->i++;
	}
	while (r->i < r->len && isdigit((unsigned char)r->rtf[r->i])) {
		if (*param < 100000000)
			*param = *param * 10 + (r->rtf[r->i] - '0');
		*hasparam = 1;
		r->i++;
	}
	if (neg)
		*param = -*param;
	if (r->i < r->len && r->rtf[r->i] == ' ')
		r->i++;
}

/* \uN: a UTF-16 code unit, surrogate pairs joined. */
static void
rtf_unicode(struct rtf_render *r, long param)
{
	uint32_t	cp;

	cp = (uint32_t)(param < 0 ? param + 65536 : param) & 0xffff;
	r->skipchars = r->cur->uc;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		r->hi = cp;
		return;
	}
	if (cp >= 0xDC00 && cp <= 0xDFFF && r->hi != 0)
		cp = 0x10000 + ((r->hi - 0xD800) << 10) + (cp - 0xDC00);
	else if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD;
	r->hi = 0;
	buf_addcp(&r->b, cp);
}

/* A control word that writes text: 0 when it is not one. */
static int
rtf_word_text(struct rtf_render *r, const char *word)
{
	static const struct {
		const char	*word;
		uint32_t	 cp;
	} map[] = {
		{ "par", '\n' }, { "line", '\n' }, { "row", '\n' },
		{ "tab", '\t' }, { "cell", '\t' },
		{ "emdash", 0x2014 }, { "endash", 0x2013 },
		{ "bullet", 0x2022 }, { "lquote", 0x2018 },
		{ "rquote", 0x2019 }, { "ldblquote", 0x201C },
		{ "rdblquote", 0x201D }
	};
	size_t	k;

	for (k = 0; k < sizeof map / sizeof map[0]; k++) {
		if (strcmp(word, map[k].word) == 0) {
			buf_addcp(&r->b, map[k].cp);
			return 1;
		}
	}
	return 0;
}

/* A control word; r->i is at its first letter. */
static void
rtf_word(struct rtf_render *r)
{
	char	word[32];
	long	param;
	int	hasparam;

	rtf_word_read(r, word, sizeof word, &param, &hasparam);
	if (strcmp(word, "bin") == 0) {
		/* Binary data: skip it whole. */
		r->i += (size_t)param <= r->len - r->i ? (size_t)param :
		    r->len - r->i;
		return;
	}
	if (r->html && (strcmp(word, "htmltag") == 0 ||
	    strcmp(word, "mhtmltag") == 0)) {
		r->cur->htmltag = word[0] == 'h';
		r->cur->skip = word[0] == 'm';
		r->star = 0;
		return;
	}
	if (r->star || is_skip_dest(word)) {
		r->cur->skip = 1;
		r->star = 0;
		return;
	}
	if (strcmp(word, "fromhtml") == 0 && param == 1)
		r->fromhtml = 1;
	else if (strcmp(word, "htmlrtf") == 0)
		r->cur->htmlrtf = !hasparam || param != 0;
	else if (strcmp(word, "uc") == 0)
		r->cur->uc = param < 0 ? 0 : param > 10 ? 10 : (int)param;
	else if (r->skipchars > 0)
		r->skipchars--;
	else if (rtf_hidden(r))
		return;
	else if (strcmp(word, "u") == 0)
		rtf_unicode(r, param);
	else
		rtf_word_text(r, word);
}

/* A group opens ({) or closes (}): the state is pushed or popped. */
static void
rtf_group(struct rtf_render *r, int open)
{
	if (open) {
		if (r->depth + 1 < RTF_MAX_DEPTH) {
			r->st[r->depth + 1] = r->st[r->depth];
			r->cur = &r->st[++r->depth];
		} else
			r->extra++;
	} else {
		if (r->extra > 0)
			r->extra--;
		else if (r->depth > 0)
			r->cur = &r->st[--r->depth];
		r->skipchars = 0;
	}
	r->star = 0;
}

/* One pass over RTF. html: de-encapsulate HTML (returns 0 when there is
 * no \fromhtml1); otherwise plain text. *out is always set. */
static int
render(const char *rtf, size_t len, int html, char **out)
{
	struct rtf_render	 r;
	unsigned char		 c;

	memset(&r, 0, sizeof r);
	r.rtf = rtf;
	r.len = len;
	r.html = html;
	r.st[0].uc = 1;
	r.cur = &r.st[0];
	buf_add(&r.b, "", 0);
	while (r.i < len) {
		c = (unsigned char)rtf[r.i++];
		if (c == '{' || c == '}')
			rtf_group(&r, c == '{');
		else if (c == '\r' || c == '\n')
			continue;
		else if (c != '\\') {
			if (r.skipchars > 0)
				r.skipchars--;
			else if (!rtf_hidden(&r))
				buf_addcp(&r.b, text_cp1252_to_cp(c));
		} else if (r.i >= len)
			break;
		else if (isalpha((unsigned char)rtf[r.i]))
			rtf_word(&r);
		else {
			c = (unsigned char)rtf[r.i++];
			rtf_symbol(&r, c);
		}
	}
	*out = text_clean(r.b.p);
	return html ? r.fromhtml : 1;
}

int
rtf_to_html(const char *rtf, size_t len, char **html)
{
	char *s;

	if (render(rtf, len, 1, &s) != 1) {
		free(s);
		return 0;
	}
	*html = s;
	return 1;
}

char *
rtf_to_text(const char *rtf, size_t len)
{
	char *s;

	render(rtf, len, 0, &s);
	return s;
}

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

/* One pass over RTF. html: de-encapsulate HTML (returns 0 when there is
 * no \fromhtml1); otherwise plain text. *out is always set. */
static int
render(const char *rtf, size_t len, int html, char **out)
{
	struct rtf_state st[RTF_MAX_DEPTH], *cur;
	struct buf b = { NULL, 0, 0 };
	char word[32];
	size_t i = 0, wl, depth = 0, extra = 0;
	long param;
	int hasparam, neg, star = 0, fromhtml = 0, skipchars = 0;
	uint32_t cp, hi = 0;
	unsigned char c;

	memset(&st[0], 0, sizeof st[0]);
	st[0].uc = 1;
	cur = &st[0];
	buf_add(&b, "", 0);
	while (i < len) {
		c = (unsigned char)rtf[i];
		if (c == '{') {
			i++;
			if (depth + 1 < RTF_MAX_DEPTH) {
				st[depth + 1] = st[depth];
				cur = &st[++depth];
			} else
				extra++;
			star = 0;
			continue;
		}
		if (c == '}') {
			i++;
			if (extra > 0)
				extra--;
			else if (depth > 0)
				cur = &st[--depth];
			star = 0;
			skipchars = 0;
			continue;
		}
		if (c == '\r' || c == '\n') {
			i++;
			continue;
		}
		if (c != '\\') {
			i++;
			if (skipchars > 0) {
				skipchars--;
				continue;
			}
			if (cur->skip || (html && !cur->htmltag &&
			    cur->htmlrtf))
				continue;
			buf_addcp(&b, text_cp1252_to_cp((uint8_t)c));
			continue;
		}
		/* A control symbol or word. */
		if (++i >= len)
			break;
		c = (unsigned char)rtf[i];
		if (!isalpha(c)) {
			i++;
			if (c == '*') {
				star = 1;
				continue;
			}
			if (c == '\'') {
				if (len - i < 2 || !isxdigit((unsigned char)
				    rtf[i]) || !isxdigit((unsigned char)
				    rtf[i + 1]))
					continue;
				word[0] = rtf[i];
				word[1] = rtf[i + 1];
				word[2] = '\0';
				i += 2;
				if (skipchars > 0) {
					skipchars--;
					continue;
				}
				if (cur->skip || (html && !cur->htmltag &&
				    cur->htmlrtf))
					continue;
				cp = text_cp1252_to_cp(
				    (uint8_t)strtoul(word, NULL, 16));
				buf_addcp(&b, cp);
				continue;
			}
			if (cur->skip || (html && !cur->htmltag &&
			    cur->htmlrtf))
				continue;
			if (c == '{' || c == '}' || c == '\\')
				buf_add(&b, &c, 1);
			else if (c == '~')
				buf_addcp(&b, 0xA0);
			else if (c == '_')
				buf_addcp(&b, 0x2011);
			else if (c == '\r' || c == '\n')
				buf_add(&b, "\n", 1);
			continue;
		}
		wl = 0;
		while (i < len && isalpha((unsigned char)rtf[i])) {
			if (wl < sizeof word - 1)
				word[wl++] = rtf[i];
			i++;
		}
		word[wl] = '\0';
		neg = 0;
		hasparam = 0;
		param = 0;
		if (i < len && rtf[i] == '-') {
			neg = 1;
			i++;
		}
		while (i < len && isdigit((unsigned char)rtf[i])) {
			if (param < 100000000)
				param = param * 10 + (rtf[i] - '0');
			hasparam = 1;
			i++;
		}
		if (neg)
			param = -param;
		if (i < len && rtf[i] == ' ')
			i++;

		if (strcmp(word, "bin") == 0) {
			/* Binary data: skip it whole. */
			i += (size_t)param <= len - i ? (size_t)param : len - i;
			continue;
		}
		if (html && (strcmp(word, "htmltag") == 0 ||
		    strcmp(word, "mhtmltag") == 0)) {
			cur->htmltag = word[0] == 'h';
			cur->skip = word[0] == 'm';
			star = 0;
			continue;
		}
		if (star || is_skip_dest(word)) {
			cur->skip = 1;
			star = 0;
			continue;
		}
		if (strcmp(word, "fromhtml") == 0 && param == 1) {
			fromhtml = 1;
			continue;
		}
		if (strcmp(word, "htmlrtf") == 0) {
			cur->htmlrtf = !hasparam || param != 0;
			continue;
		}
		if (strcmp(word, "uc") == 0) {
			cur->uc = param < 0 ? 0 : param > 10 ? 10 : (int)param;
			continue;
		}
		if (skipchars > 0) {
			skipchars--;
			continue;
		}
		if (cur->skip || (html && !cur->htmltag && cur->htmlrtf))
			continue;
		if (strcmp(word, "u") == 0) {
			cp = (uint32_t)(param < 0 ? param + 65536 : param) &
			    0xffff;
			skipchars = cur->uc;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				hi = cp;
				continue;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF && hi != 0)
				cp = 0x10000 + ((hi - 0xD800) << 10) +
				    (cp - 0xDC00);
			else if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			hi = 0;
			buf_addcp(&b, cp);
		} else if (strcmp(word, "par") == 0 ||
		    strcmp(word, "line") == 0 || strcmp(word, "row") == 0)
			buf_add(&b, "\n", 1);
		else if (strcmp(word, "tab") == 0 || strcmp(word, "cell") == 0)
			buf_add(&b, "\t", 1);
		else if (strcmp(word, "emdash") == 0)
			buf_addcp(&b, 0x2014);
		else if (strcmp(word, "endash") == 0)
			buf_addcp(&b, 0x2013);
		else if (strcmp(word, "bullet") == 0)
			buf_addcp(&b, 0x2022);
		else if (strcmp(word, "lquote") == 0)
			buf_addcp(&b, 0x2018);
		else if (strcmp(word, "rquote") == 0)
			buf_addcp(&b, 0x2019);
		else if (strcmp(word, "ldblquote") == 0)
			buf_addcp(&b, 0x201C);
		else if (strcmp(word, "rdblquote") == 0)
			buf_addcp(&b, 0x201D);
	}
	*out = text_clean(b.p);
	return html ? fromhtml : 1;
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

/* text.c: UTF-8, UTF-16LE and Windows-1252 conversions and cleaning
 * (text.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "text.h"
#include "xmalloc.h"

/* Windows-1252 0x80-0x9F; 0 marks the undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

uint32_t
text_cp1252_to_cp(uint8_t b)
{
	if (b < 0x80 || b > 0x9F)
		return b;
	return cp1252_high[b - 0x80] != 0 ? cp1252_high[b - 0x80] : 0xFFFD;
}

int
text_cp1252_from_cp(uint32_t cp)
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
text_utf8_put(uint32_t cp, char *p)
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

size_t
text_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
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

int
text_utf8_valid(const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i, n;
	uint32_t		 cp;

	for (i = 0; i < len; i += n)
		if ((n = text_utf8_decode(s + i, len - i, &cp)) == 0)
			return 0;
	return 1;
}

uint32_t
text_utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	uint32_t cp;
	size_t len;

	/* strnlen keeps the decoder inside the string. */
	if ((len = text_utf8_decode(s, strnlen(*sp, 4), &cp)) == 0) {
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
text_clean(char *s)
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
		if (in[i] < 0x80 || (len = text_utf8_decode(in + i,
		    strnlen(s + i, 4), &cp)) == 0 || dropped(cp))
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
		if ((len = text_utf8_decode(in + i, n - i, &cp)) == 0) {
			o += text_utf8_put(0xFFFD, out + o);
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
text_utf16le_to_utf8(const uint8_t *p, size_t len)
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
		o += text_utf8_put(u, out + o);
	}
	out[o] = '\0';
	return xreallocarray(out, o + 1, 1);
}

size_t
text_utf8_to_utf16le(const char *s, uint8_t *out)
{
	size_t n = 0;
	uint32_t cp;

	while (*s != '\0') {
		cp = text_utf8_next(&s);
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


char *
text_hex(const uint8_t *p, size_t n)
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

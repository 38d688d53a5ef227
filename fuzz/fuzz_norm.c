/* fuzz_norm.c: libFuzzer target for dedup_norm_subject(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "model.h"
#include "text.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Strict UTF-8: no overlongs, surrogates or code points past U+10FFFF. */
static int
valid_utf8(const unsigned char *p)
{
	uint32_t c;
	size_t need, k;

	while (*p != '\0') {
		if (p[0] < 0x80) {
			p++;
			continue;
		}
		if (p[0] >= 0xC2 && p[0] <= 0xDF)
			need = 1;
		else if (p[0] >= 0xE0 && p[0] <= 0xEF)
			need = 2;
		else if (p[0] >= 0xF0 && p[0] <= 0xF4)
			need = 3;
		else
			return 0;
		c = p[0] & (0x3F >> need);
		for (k = 1; k <= need; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (p[k] & 0x3F);
		}
		if ((need == 2 &&
			(c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
		    (need == 3 && (c < 0x10000 || c > 0x10FFFF)))
			return 0;
		p += need + 1;
	}
	return 1;
}

/* Trimmed, single spaces only. */
static int
well_spaced(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return 1;
	return s[0] != ' ' && s[len - 1] != ' ' && strstr(s, "  ") == NULL;
}

/* The reader hands dedup text that went through text_clean(); the
 * raw bytes must not break the normalizer either. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw, *text, *n1, *n2;

	if (size > 4096)
		return 0;
	raw = xmalloc(size + 1);
	memcpy(raw, data, size);
	raw[size] = '\0';

	n1 = dedup_norm_subject(raw);
	if (!valid_utf8((const unsigned char *)n1) || !well_spaced(n1))
		abort();
	free(n1);

	text = text_clean(xstrdup(raw));
	n1 = dedup_norm_subject(text);
	n2 = dedup_norm_subject(n1);
	if (!valid_utf8((const unsigned char *)n1) || !well_spaced(n1) ||
	    strcmp(n1, n2) != 0)
		abort();
	free(n2);
	free(n1);
	free(text);
	free(raw);
	return 0;
}

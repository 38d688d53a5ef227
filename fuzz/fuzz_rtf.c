/* fuzz_rtf.c: libFuzzer target for LZFu, the RTF readers and the HTML
 * text of bodies (html.c), which the writer feeds with both. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "rtf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
html_text(const char *html, size_t len)
{
	char	*text, *cause = NULL;

	if (html_to_text(html, len, &text, &cause) != 0) {
		free(cause);
		return;
	}
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw, *html, *text, *back, *cause = NULL;
	uint8_t *z;
	size_t len, zlen, blen;

	/* The input as RTF text, and as HTML (NUL-terminated, as the
	 * model's strings are). */
	text = rtf_to_text((const char *)data, size);
	free(text);
	if (rtf_to_html((const char *)data, size, &html) == 1) {
		html_text(html, strlen(html));
		free(html);
	}
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	html_text(text, strlen(text));
	free(text);

	if (rtf_decompress(data, size, &raw, &len, &cause) != 0) {
		free(cause);
		return 0;
	}
	text = rtf_to_text(raw, len);
	free(text);
	if (rtf_to_html(raw, len, &html) == 1) {
		html_text(html, strlen(html));
		free(html);
	}
	/* The compressor is quadratic-ish; keep round trips small. */
	if (len <= 8192) {
		if (rtf_compress(raw, len, &z, &zlen, &cause) != 0)
			abort();
		if (rtf_decompress(z, zlen, &back, &blen, &cause) != 0 ||
		    blen != len || memcmp(back, raw, len) != 0)
			abort();
		free(back);
		free(z);
	}
	free(raw);
	return 0;
}

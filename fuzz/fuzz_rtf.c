/* fuzz_rtf.c: libFuzzer target for LZFu and the RTF readers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw, *html, *text, *back, *cause = NULL;
	uint8_t *z;
	size_t len, zlen, blen;

	/* The input as RTF text. */
	text = rtf_to_text((const char *)data, size);
	free(text);
	if (rtf_to_html((const char *)data, size, &html) == 1)
		free(html);

	if (rtf_decompress(data, size, &raw, &len, &cause) != 0) {
		free(cause);
		return 0;
	}
	text = rtf_to_text(raw, len);
	free(text);
	if (rtf_to_html(raw, len, &html) == 1)
		free(html);
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

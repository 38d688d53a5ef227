/* rtf.h: compressed RTF (LZFu, MS-OXRTFCP) and HTML/plain text out of it.
 *
 * Pure code, bounds-checked: the decompressor never writes past the size
 * it allocated from the header, and refuses a header whose raw size is
 * absurd for the input. Errors: 0, or -1 with *cause allocated.
 * Ownership: outputs are owned by the caller.
 */
#ifndef RTF_H
#define RTF_H

#include <stddef.h>
#include <stdint.h>

/* PidTagRtfCompressed -> RTF bytes (NUL-terminated, *outlen excludes it). */
int	rtf_decompress(const uint8_t *, size_t, char **, size_t *, char **);

/* HTML encapsulated in RTF (\fromhtml1, \*\htmltag): 1 and *html set,
 * 0 if the RTF does not encapsulate HTML. */
int	rtf_to_html(const char *, size_t, char **);

/* Plain text of an RTF document (paragraphs as LF). Owned by caller. */
char	*rtf_to_text(const char *, size_t);

/* LZFu compression (for fixtures): "compressed" form. */
int	rtf_compress(const char *, size_t, uint8_t **, size_t *, char **);

#endif

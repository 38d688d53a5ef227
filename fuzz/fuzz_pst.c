/* fuzz_pst.c: libFuzzer target for our PST reader: raw bytes -> open,
 * both B-trees, every folder, message, table, attachment and embedded
 * message (pst_walk). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pst/pst.h"
#include "pst/walk.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pst	*f;
	struct pst_walk	 w;
	uint8_t		*copy;
	char		*cause = NULL;

	/* An exact-size copy: any read past the end is an ASan report. */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (pst_open_mem(copy, size, &f, &cause) != 0) {
		if (cause == NULL || *cause == '\0')
			abort();	/* every failure names its cause */
		free(cause);
		free(copy);
		return 0;
	}
	pst_walk(f, &w);
	if (w.errors > 0 && w.first_error == NULL)
		abort();
	free(w.first_error);
	pst_close(f);
	free(copy);
	return 0;
}

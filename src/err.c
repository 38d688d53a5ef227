/* err.c: error codes to exit statuses (err.h). */
#include "compat.h"

#include "err.h"

int
err_status(int code)
{
	switch (code) {
	case 0:
		return EX_OK;
	case ERR_DATA:
		return EX_DATAERR;
	case ERR_NOINPUT:
		return EX_NOINPUT;
	case ERR_IO:
		return EX_IOERR;
	case ERR_CANTCREAT:
	case ERR_EXISTS:
		return EX_CANTCREAT;
	default:
		return EX_SOFTWARE;
	}
}

/* outfile.c: atomic output files (temporary beside the target, then rename). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "outfile.h"
#include "xmalloc.h"

#define OUTFILE_BUFSIZ	65536

struct outfile {
	char		*path;		/* the target */
	char		*tmp;		/* the temporary, or NULL when the
					   target is written in place */
	FILE		*fp;
	FILE		*dest;		/* stdout or a device: fp is a
					   scratch file copied here at
					   commit, so that it can be read
					   back and nothing half-written
					   comes out */
	int		 is_stdout;
	int		 noreplace;	/* commit must not replace a file */
};

/* Temporaries being written, for outfile_cleanup() in a signal
 * handler; a slot is set only once its path is complete. */
#define OUTFILE_MAXTEMPS	1024	/* one per folder file, and more */
static char *volatile outfile_temps[OUTFILE_MAXTEMPS];

static void	 outfile_track(const char *, int);
static char	*outfile_absolute(const char *);
static int	 outfile_fail(struct outfile *, int, const char *, int,
		    char **);
static int	 outfile_copy(struct outfile *);
static mode_t	 outfile_umask(void);
static int	 outfile_publish(struct outfile *, char **);

int
outfile_open(const char *path, struct outfile **ofp, char **cause)
{
	struct outfile	*of;
	struct stat	 sb;
	char		*target;
	int		 fd, error;

	*ofp = NULL;
	if (strcmp(path, "-") == 0) {
		of = xcalloc(1, sizeof *of);
		of->path = xstrdup(path);
		of->is_stdout = 1;
		if ((of->fp = outfile_scratch(NULL, cause)) == NULL) {
			outfile_abort(of);
			return OUTFILE_CANTCREAT;
		}
		of->dest = stdout;
		*ofp = of;
		return 0;
	}
	if (*path == '\0') {
		xasprintf(cause, "cannot create: empty file name");
		return OUTFILE_CANTCREAT;
	}

	/* Replace what a symlink points to, not the link itself. */
	target = NULL;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		target = realpath(path, NULL);
	if (target == NULL)
		target = xstrdup(path);

	of = xcalloc(1, sizeof *of);
	of->path = target;
	if (stat(target, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			outfile_abort(of);
			xasprintf(cause, "cannot create: %s", strerror(EISDIR));
			return OUTFILE_CANTCREAT;
		}
		if (!S_ISREG(sb.st_mode)) {
			/* A device or FIFO: renaming over it would replace
			 * the node with a regular file. */
			fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC);
			if (fd == -1 || (of->dest = fdopen(fd, "w")) == NULL) {
				xasprintf(cause, "cannot create: %s",
				    strerror(errno));
				if (fd != -1)
					close(fd);
				outfile_abort(of);
				return OUTFILE_CANTCREAT;
			}
			if ((of->fp = outfile_scratch(NULL, cause)) == NULL) {
				outfile_abort(of);
				return OUTFILE_CANTCREAT;
			}
			*ofp = of;
			return 0;
		}
	}

	xasprintf(&of->tmp, "%s.XXXXXX", target);
	fd = mkstemp(of->tmp);
	if (fd == -1) {
		error = errno;
		xasprintf(cause, "cannot create: %s", strerror(error));
		free(of->tmp);
		of->tmp = NULL;
		outfile_abort(of);
		/* A full or failing disk is an I/O error, not a bad path. */
		return error == ENOSPC || error == EDQUOT || error == EIO ?
		    OUTFILE_IOERR : OUTFILE_CANTCREAT;
	}
	outfile_track(of->tmp, 1);
	/* mkstemp makes 0600; give the file what it would have had. */
	if (stat(target, &sb) == 0)
		(void)fchmod(fd, sb.st_mode & 07777);
	else
		(void)fchmod(fd, 0666 & ~outfile_umask());
	if ((of->fp = fdopen(fd, "w")) == NULL) {
		xasprintf(cause, "cannot create: %s", strerror(errno));
		close(fd);
		outfile_abort(of);
		return OUTFILE_CANTCREAT;
	}
	/* Outputs run to megabytes: fewer, larger writes. */
	setvbuf(of->fp, NULL, _IOFBF, OUTFILE_BUFSIZ);
	*ofp = of;
	return 0;
}

int
outfile_create(const char *path, int force, struct outfile **ofp,
    char **cause)
{
	struct stat	sb;
	int		error;

	*ofp = NULL;
	if (!force && strcmp(path, "-") != 0 && lstat(path, &sb) == 0 &&
	    (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode))) {
		xasprintf(cause, "already exists");
		return OUTFILE_EXISTS;
	}
	if ((error = outfile_open(path, ofp, cause)) != 0)
		return error;
	(*ofp)->noreplace = !force && (*ofp)->tmp != NULL;
	return 0;
}

const char *
outfile_scratch_where(const struct outfile *of)
{
	const char	*dir;

	if (of != NULL && of->tmp != NULL)
		return of->path;
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	return dir;
}

FILE *
outfile_scratch(struct outfile *of, char **cause)
{
	char		*path;
	FILE		*fp;
	int		 fd, error;

	/* Beside the output, where the user has made room for it. */
	if (of != NULL && of->tmp != NULL)
		xasprintf(&path, "%s.XXXXXX", of->tmp);
	else
		xasprintf(&path, "%s/pstdedup.XXXXXX",
		    outfile_scratch_where(of));
	if ((fd = mkstemp(path)) == -1) {
		xasprintf(cause, "cannot create a scratch file: %s",
		    strerror(errno));
		free(path);
		return NULL;
	}
	unlink(path);
	free(path);
	if ((fp = fdopen(fd, "w+")) == NULL) {
		error = errno;
		close(fd);
		xasprintf(cause, "cannot create a scratch file: %s",
		    strerror(error));
		return NULL;
	}
	setvbuf(fp, NULL, _IOFBF, OUTFILE_BUFSIZ);
	return fp;
}

FILE *
outfile_fp(struct outfile *of)
{
	return of->fp;
}

FILE *
outfile_reread(struct outfile *of, char **cause)
{
	FILE	*fp;
	int	 fd, error;

	errno = 0;
	if (fflush(of->fp) != 0 || ferror(of->fp)) {
		xasprintf(cause, "cannot write: %s",
		    strerror(errno != 0 ? errno : EIO));
		return NULL;
	}
	if ((fd = dup(fileno(of->fp))) == -1) {
		xasprintf(cause, "cannot read back: %s", strerror(errno));
		return NULL;
	}
	if ((fp = fdopen(fd, "r")) == NULL || fseeko(fp, 0, SEEK_SET) != 0) {
		error = errno;
		if (fp != NULL)
			fclose(fp);
		else
			close(fd);
		xasprintf(cause, "cannot read back: %s", strerror(error));
		return NULL;
	}
	return fp;
}

int
outfile_commit(struct outfile *of, char **cause)
{
	int	error;

	errno = 0;
	if (of->dest != NULL) {
		if (outfile_copy(of) != 0)
			return outfile_fail(of, OUTFILE_IOERR, "cannot write",
			    errno != 0 ? errno : EIO, cause);
		outfile_abort(of);
		return 0;
	}
	/* A stream error may have lost data even if later writes worked. */
	if (fflush(of->fp) != 0 || ferror(of->fp))
		return outfile_fail(of, OUTFILE_IOERR, "cannot write",
		    errno != 0 ? errno : EIO, cause);
	if (of->tmp != NULL && fsync(fileno(of->fp)) != 0)
		return outfile_fail(of, OUTFILE_IOERR, "cannot write", errno,
		    cause);
	error = fclose(of->fp);
	of->fp = NULL;
	if (error != 0)
		return outfile_fail(of, OUTFILE_IOERR, "cannot write", errno,
		    cause);
	if (of->tmp != NULL && of->noreplace)
		return outfile_publish(of, cause);
	if (of->tmp != NULL && rename(of->tmp, of->path) != 0)
		return outfile_fail(of, OUTFILE_IOERR, "cannot rename", errno,
		    cause);
	if (of->tmp != NULL)
		outfile_track(of->tmp, 0);
	free(of->tmp);
	of->tmp = NULL;
	outfile_abort(of);
	return 0;
}

void
outfile_abort(struct outfile *of)
{
	if (of == NULL)
		return;
	if (of->fp != NULL)
		fclose(of->fp);
	if (of->dest != NULL && !of->is_stdout)
		fclose(of->dest);
	if (of->tmp != NULL) {
		outfile_track(of->tmp, 0);
		unlink(of->tmp);
	}
	free(of->tmp);
	free(of->path);
	free(of);
}

void
outfile_cleanup(void)
{
	char	*tmp;
	size_t	 i;

	for (i = 0; i < OUTFILE_MAXTEMPS; i++) {
		if ((tmp = outfile_temps[i]) != NULL)
			unlink(tmp);
	}
}

/* Add a temporary to, or remove it from, the cleanup list. */
static void
outfile_track(const char *tmp, int add)
{
	size_t	i;

	for (i = 0; i < OUTFILE_MAXTEMPS; i++) {
		if (add && outfile_temps[i] == NULL) {
			outfile_temps[i] = (char *)tmp;
			return;
		}
		if (!add && outfile_temps[i] == tmp) {
			outfile_temps[i] = NULL;
			return;
		}
	}
}

int
outfile_same(const char *a, const char *b)
{
	struct stat	 sa, sb;
	char		*ra, *rb;
	int		 same;

	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	ra = outfile_absolute(a);
	rb = outfile_absolute(b);
	same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

/* The canonical directory of a path plus its last component, for paths
 * that may not exist yet; NULL if the directory does not exist. */
static char *
outfile_absolute(const char *path)
{
	const char	*slash, *base;
	char		*dir, *rdir, *abs;

	slash = compat_lastsep(path);
	if (slash == NULL) {
		dir = xstrdup(".");
		base = path;
	} else {
		dir = slash == path ? xstrdup("/") :
		    xstrndup(path, slash - path);
		base = slash + 1;
	}
	rdir = realpath(dir, NULL);
	free(dir);
	if (rdir == NULL)
		return NULL;
	if (*base == '\0' || strcmp(base, ".") == 0)
		abs = xstrdup(rdir);
	else
		xasprintf(&abs, "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir,
		    base);
	free(rdir);
	return abs;
}

/* The scratch file to its destination; errno tells why not. */
static int
outfile_copy(struct outfile *of)
{
	char	buf[OUTFILE_BUFSIZ];
	size_t	n;
	FILE	*dest = of->dest;

	if (fflush(of->fp) != 0 || ferror(of->fp) ||
	    fseeko(of->fp, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, of->fp)) > 0) {
		if (fwrite(buf, 1, n, dest) != n)
			return -1;
	}
	if (ferror(of->fp) || fflush(dest) != 0 || ferror(dest))
		return -1;
	if (!of->is_stdout) {
		of->dest = NULL;
		if (fclose(dest) != 0)
			return -1;
	}
	return 0;
}

/* Close and unlink after a failure; the outfile is freed. */
static int
outfile_fail(struct outfile *of, int code, const char *what, int error,
    char **cause)
{
	xasprintf(cause, "%s: %s", what, strerror(error));
	outfile_abort(of);
	return code;
}

static mode_t
outfile_umask(void)
{
	mode_t	mask;

	mask = umask(022);
	umask(mask);
	return mask;
}

/* Give the closed temporary the target's name only if no file has
 * taken it since the open: check and rename in one step. */
static int
outfile_publish(struct outfile *of, char **cause)
{
	int	error;

	if (renameat2(AT_FDCWD, of->tmp, AT_FDCWD, of->path,
	    RENAME_NOREPLACE) != 0) {
		error = errno;
		/* A file system without it: link(2) fails on an existing
		 * name just the same. */
		if (error != EINVAL && error != ENOSYS && error != ENOTSUP)
			goto fail;
		if (link(of->tmp, of->path) != 0) {
			error = errno;
			goto fail;
		}
		unlink(of->tmp);
	}
	outfile_track(of->tmp, 0);
	free(of->tmp);
	of->tmp = NULL;
	outfile_abort(of);
	return 0;

fail:
	if (error == EEXIST) {
		xasprintf(cause, "already exists");
		outfile_abort(of);
		return OUTFILE_EXISTS;
	}
	return outfile_fail(of, OUTFILE_IOERR, "cannot rename", error, cause);
}

/* Output folders: while a run writes, its files live only in tmp_path, a fresh folder
 * beside final_path; final_path changes only by renames at commit, and only ever holds a
 * complete set of files. An existing final folder is replaced only when it looks like a
 * walkshed output (empty, or regular files including summary.json), so a mistyped path
 * never deletes someone's data. */
#define _GNU_SOURCE /* sync_file_range */
#include "report/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- signal cleanup -------------------------------------------------------------------
 * The one mutable global in walkshed (STYLE.md forbids others): a signal handler takes no
 * arguments, so the temporary folders (and single files) it must remove have to be
 * reachable from static storage. Slots are written only with SIGINT/SIGTERM blocked and
 * read only by the handler. */
#define MAX_OPEN_OUTDIRS 4
static struct {
	volatile sig_atomic_t used;
	char path[PATH_MAX];
} open_tmp[MAX_OPEN_OUTDIRS];

static void block_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static bool register_tmp(const char *path)
{
	if (strlen(path) >= PATH_MAX)
		return false;
	for (int i = 0; i < MAX_OPEN_OUTDIRS; i++) {
		if (!open_tmp[i].used) {
			memcpy(open_tmp[i].path, path, strlen(path) + 1);
			open_tmp[i].used = 1;
			return true;
		}
	}
	return false;
}

static void unregister_tmp(const char *path)
{
	for (int i = 0; i < MAX_OPEN_OUTDIRS; i++)
		if (open_tmp[i].used && strcmp(open_tmp[i].path, path) == 0)
			open_tmp[i].used = 0;
}

/* Empties and removes `dir` using only async-signal-safe calls. opendir/readdir are not
 * among them, so the directory is read with the raw getdents64 system call; passes repeat
 * from the start because unlinking while reading may skip entries. */
static void remove_in_handler(const char *dir)
{
#ifdef SYS_getdents64
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		for (int pass = 0; pass < 8; pass++) {
			bool removed = false;
			lseek(fd, 0, SEEK_SET);
			for (;;) {
				_Alignas(8) char buf[4096];
				long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
				if (n <= 0)
					break;
				for (long off = 0; off < n;) {
					/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
					unsigned short reclen;
					memcpy(&reclen, buf + off + 16, sizeof reclen);
					const char *name = buf + off + 19;
					bool dots = name[0] == '.' &&
						    (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
					if (!dots && unlinkat(fd, name, 0) == 0)
						removed = true;
					off += reclen;
				}
			}
			if (!removed)
				break;
		}
		close(fd);
	}
#endif
	rmdir(dir);
}

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_OPEN_OUTDIRS; i++)
		if (open_tmp[i].used && unlink(open_tmp[i].path) != 0) /* a file, else a folder */
			remove_in_handler(open_tmp[i].path);
	_exit(sig == SIGINT ? 130 : 143);
}

void ws_outdir_install_signal_cleanup(void)
{
	static const int signals[] = {SIGINT, SIGTERM};
	for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		struct sigaction old, sa;
		/* A shell starts background jobs with SIGINT ignored; keep it that way. */
		if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGINT);
		sigaddset(&sa.sa_mask, SIGTERM);
		sigaction(signals[i], &sa, NULL);
	}
}

/* ---- paths ------------------------------------------------------------------------------ */

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + 1 + strlen(b) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a, strcmp(a, "/") == 0 ? "" : "/", b);
	return s;
}

/* Absolute, symlink-free form of `path` whose last components need not exist: realpath of
 * the deepest existing ancestor, then the rest lexically ("." dropped, ".." pops), which is
 * what those components will mean once created. NULL on OOM or an unusable path. */
static char *resolve(const char *path)
{
	char *abs = NULL;
	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		abs = join(cwd, path);
	}
	if (!abs)
		return NULL;
	size_t len = strlen(abs);
	char *out = NULL;
	/* Try abs, then each ancestor: cut at the last '/' each time. */
	for (size_t cut = len;;) {
		char saved = abs[cut];
		abs[cut] = '\0';
		char *real = realpath(cut ? abs : "/", NULL);
		abs[cut] = saved;
		if (real) {
			size_t cap = strlen(real) + (len - cut) + 2;
			out = malloc(cap);
			if (!out) {
				free(real);
				break;
			}
			memcpy(out, real, strlen(real) + 1);
			free(real);
			size_t n = strlen(out);
			char *state = NULL;
			for (char *comp = strtok_r(abs + cut, "/", &state); comp;
			     comp = strtok_r(NULL, "/", &state)) {
				if (strcmp(comp, ".") == 0)
					continue;
				if (strcmp(comp, "..") == 0) {
					while (n > 1 && out[n - 1] != '/')
						n--;
					if (n > 1)
						n--;
					out[n] = '\0';
					continue;
				}
				if (n > 1)
					out[n++] = '/';
				memcpy(out + n, comp, strlen(comp) + 1);
				n += strlen(comp);
			}
			break;
		}
		if (cut == 0)
			break;
		while (cut > 0 && abs[cut - 1] != '/')
			cut--;
		/* cut now points just past a '/': step over it (and repeated slashes). */
		while (cut > 0 && abs[cut - 1] == '/')
			cut--;
	}
	free(abs);
	return out;
}

/* The folder holding resolved path `p` ("/" for top-level entries). */
static char *parent_of(const char *p)
{
	const char *slash = strrchr(p, '/');
	size_t n = slash && slash != p ? (size_t)(slash - p) : 1;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, slash && slash != p ? p : "/", n);
		s[n] = '\0';
	}
	return s;
}

/* Whether resolved path `inner` is `outer` or lies below it. */
static bool is_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (strcmp(outer, "/") == 0)
		return true;
	return strncmp(inner, outer, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

/* Refuses `out` (resolved from `path`) against one input folder (`dir`, resolved). */
static bool check_folder(const char *what, const char *path, const char *out, const char *input,
			 const char *dir, struct ws_error *err)
{
	/* Resolved paths are shown only when links or ".." made them differ. */
	char shown[PATH_MAX + 8] = "";
	if (strcmp(path, out) != 0) {
		/* built by hand: gcc's sanitizer builds misreport snprintf("%s") here */
		size_t n = strnlen(out, PATH_MAX);
		shown[0] = ' ';
		shown[1] = '(';
		memcpy(shown + 2, out, n);
		shown[n + 2] = ')';
		shown[n + 3] = '\0';
	}
	if (strcmp(out, dir) == 0)
		return ws_error_set(err, WS_ERR_USAGE,
				    "%s %s%s is the folder of input %s; choose a folder of its own",
				    what, path, shown, input);
	if (is_within(out, dir))
		return ws_error_set(err, WS_ERR_USAGE,
				    "%s %s%s is inside %s, the folder of input %s; outputs are never "
				    "written beside inputs",
				    what, path, shown, dir, input);
	if (is_within(dir, out))
		return ws_error_set(err, WS_ERR_USAGE,
				    "%s %s%s contains input %s; replacing it would delete the input",
				    what, path, shown, input);
	return true;
}

bool ws_outdir_check(const char *what, const char *path, const char *const *inputs,
		     size_t n_inputs, struct ws_error *err)
{
	char *out = resolve(path);
	if (!out)
		return ws_error_set(err, WS_ERR_USAGE, "%s %s: cannot resolve: %s", what, path,
				    strerror(errno));
	bool good = true;
	for (size_t i = 0; good && i < n_inputs; i++) {
		/* The input's folder as named (shapelib opens its siblings there) and the folder
		 * of the file it links to. */
		char *file = resolve(inputs[i]);
		char *named_parent = NULL, *named_dir = NULL, *real_dir = NULL;
		{
			char *copy = strdup(inputs[i]);
			if (copy) {
				char *slash = strrchr(copy, '/');
				if (!slash)
					named_parent = strdup(".");
				else if (slash == copy)
					named_parent = strdup("/");
				else {
					*slash = '\0';
					named_parent = strdup(copy);
				}
				free(copy);
			}
		}
		if (named_parent)
			named_dir = resolve(named_parent);
		if (file)
			real_dir = parent_of(file);
		if (!file || !named_dir || !real_dir) {
			good = ws_error_set(err, WS_ERR_USAGE, "input %s: cannot resolve: %s", inputs[i],
					    strerror(errno));
		} else if (strcmp(out, file) == 0) {
			good = ws_error_set(err, WS_ERR_USAGE, "%s %s is the input file %s", what,
					    path, inputs[i]);
		} else {
			good = check_folder(what, path, out, inputs[i], named_dir, err) &&
			       check_folder(what, path, out, inputs[i], real_dir, err);
		}
		free(file);
		free(named_parent);
		free(named_dir);
		free(real_dir);
	}
	free(out);
	return good;
}

/* ---- folders ------------------------------------------------------------------------------ */

/* Whether an existing folder may be replaced: empty, or only regular files among which a
 * summary.json (walkshed writes no subfolders, so anything else is someone else's). */
static bool is_replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool any = false, summary = false, foreign = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		any = true;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			foreign = true;
		else if (strcmp(e->d_name, "summary.json") == 0)
			summary = true;
	}
	closedir(d);
	return !any || (summary && !foreign);
}

/* Removes the files directly in `dir`, then `dir`; true when it is gone. */
static bool remove_folder(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	return rmdir(dir) == 0;
}

/* fsyncs every file in `dir` and `dir` itself, so the rename publishes written data. */
static bool sync_folder(const char *dir, struct ws_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return ws_error_set(err, WS_ERR_IO, "%s: %s", dir, strerror(errno));
	bool good = true;
	struct dirent *e;
	while (good && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			good = ws_error_set(err, WS_ERR_IO, "%s/%s: cannot sync: %s", dir, e->d_name,
					    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (good && fsync(dirfd(d)) != 0)
		good = ws_error_set(err, WS_ERR_IO, "%s: cannot sync: %s", dir, strerror(errno));
	closedir(d);
	return good;
}

void ws_outdir_start_writeback(FILE *fp)
{
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
	/* A hint: a failure only means the commit's fsync does all the work. */
	sync_file_range(fileno(fp), 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)fp;
#endif
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd); /* best effort: the data are already safe; this orders the rename */
		close(fd);
	}
}

/* Splits `final` (trailing slashes removed) into a malloc'd parent and a pointer to the
 * last component inside `final`. */
static char *split(char *final, const char **base)
{
	char *slash = strrchr(final, '/');
	*base = slash ? slash + 1 : final;
	if (!slash)
		return strdup(".");
	if (slash == final)
		return strdup("/");
	return strndup(final, (size_t)(slash - final));
}

/* Creates <parent>/.<base>.<kind>-<pid>-<k>, trying k = 0, 1, ... past names an earlier
 * run left: a folder (mkdir 0777) or, when `fd` is given, a file (open O_EXCL, 0666) whose
 * descriptor goes to *fd. Not mkdtemp/mkstemp: they make the result private (0700/0600),
 * and outputs are shared like any file the user creates, so the umask decides. Creation is
 * exclusive, so an existing name (or a link planted there) is never used. Returns the path
 * (malloc'd), or NULL with errno set. */
static char *create_hidden_sibling(const char *parent, const char *base, const char *kind, int *fd)
{
	size_t n = strlen(parent) + strlen(base) + strlen(kind) + 48;
	char *s = malloc(n);
	if (!s)
		return NULL;
	for (unsigned k = 0; k < 10000; k++) {
		snprintf(s, n, "%s/.%s.%s-%ld-%u", parent, base, kind, (long)getpid(), k);
		bool made;
		if (fd) {
			*fd = open(s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
			made = *fd >= 0;
		} else {
			made = mkdir(s, 0777) == 0;
		}
		if (made)
			return s;
		if (errno != EEXIST)
			break;
	}
	int saved = errno;
	free(s);
	errno = saved;
	return NULL;
}

/* Creates the hidden temporary sibling of <parent>/<base> (a folder, or a file when fd is
 * given: create_hidden_sibling) and registers it for the signal handler, with SIGINT and
 * SIGTERM blocked in between so an interrupt finds it registered or not yet there.
 * `prefix` and `path` name the output in messages. NULL with err set, nothing left, on
 * failure. */
static char *begin_tmp(const char *prefix, const char *path, const char *parent,
		       const char *base, int *fd, struct ws_error *err)
{
	const char *kind = fd ? "file" : "folder";
	sigset_t old;
	block_signals(&old);
	char *tmp = create_hidden_sibling(parent, base, "tmp", fd);
	int saved = errno;
	bool registered = tmp && register_tmp(tmp);
	if (tmp && !registered) {
		if (fd) {
			close(*fd);
			unlink(tmp);
		} else {
			rmdir(tmp);
		}
	}
	restore_signals(&old);
	if (!tmp) {
		if (saved == ENOMEM)
			ws_error_nomem(err);
		else
			ws_error_set(err, WS_ERR_CANTCREAT, "%s%s: cannot create a %s in %s: %s", prefix,
				     path, kind, parent, strerror(saved));
		return NULL;
	}
	if (!registered) {
		free(tmp);
		ws_error_set(err, WS_ERR_INTERNAL, "%s%s: too many output %ss open", prefix, path, kind);
		return NULL;
	}
	return tmp;
}

static bool refuse_existing(const char *path, struct ws_error *err)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return true;
		return ws_error_set(err, WS_ERR_CANTCREAT, "output folder %s: %s", path,
				    strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return ws_error_set(err, WS_ERR_CANTCREAT,
				    "output folder %s is a symbolic link; give the folder itself",
				    path);
	if (!S_ISDIR(st.st_mode) || !is_replaceable(path))
		return ws_error_set(err, WS_ERR_CANTCREAT,
				    "output folder %s exists and is not a walkshed output folder "
				    "(no summary.json); choose another path",
				    path);
	return true;
}

bool ws_outdir_begin(struct ws_outdir *out, const char *path, struct ws_error *err)
{
	memset(out, 0, sizeof *out);
	char *final = strdup(path);
	if (!final)
		return ws_error_nomem(err);
	size_t n = strlen(final);
	while (n > 1 && final[n - 1] == '/')
		final[--n] = '\0';
	const char *base;
	char *parent = split(final, &base);
	char *tmpl = NULL;
	if (!parent)
		goto nomem;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		ws_error_set(err, WS_ERR_CANTCREAT, "output folder %s: give a folder name", path);
		goto fail;
	}
	if (!refuse_existing(final, err))
		goto fail;
	if (!(tmpl = begin_tmp("output folder ", path, parent, base, NULL, err)))
		goto fail;
	free(parent);
	out->final_path = final;
	out->tmp_path = tmpl;
	return true;
nomem:
	ws_error_nomem(err);
fail:
	free(tmpl);
	free(parent);
	free(final);
	return false;
}

char *ws_outdir_path(const struct ws_outdir *out, const char *name)
{
	if (!out || !out->tmp_path)
		return NULL;
	return join(out->tmp_path, name);
}

bool ws_outdir_commit(struct ws_outdir *out, struct ws_error *err)
{
	if (!out || !out->tmp_path)
		return ws_error_set(err, WS_ERR_INTERNAL, "no output folder is open");
	if (!sync_folder(out->tmp_path, err))
		return false;
	const char *base;
	char *parent = split(out->final_path, &base);
	char *old = NULL;
	if (!parent)
		return ws_error_nomem(err);
	bool good = false, have_old = false;
	sigset_t mask;
	/* Blocked so an interrupt cannot strand the previous output under its .old name. */
	block_signals(&mask);
	/* Checked again: the folder may have changed during the run. */
	if (!refuse_existing(out->final_path, err))
		goto done;
	struct stat st;
	if (lstat(out->final_path, &st) == 0) {
		if (!(old = create_hidden_sibling(parent, base, "old", NULL))) {
			ws_error_set(err, WS_ERR_CANTCREAT, "output folder %s: %s", out->final_path,
				     strerror(errno));
			goto done;
		}
		/* rename replaces the empty placeholder made for a unique name. */
		if (rename(out->final_path, old) != 0) {
			ws_error_set(err, WS_ERR_CANTCREAT, "output folder %s: cannot move aside: %s",
				     out->final_path, strerror(errno));
			rmdir(old);
			goto done;
		}
		have_old = true;
	}
	if (rename(out->tmp_path, out->final_path) != 0) {
		ws_error_set(err, WS_ERR_CANTCREAT, "output folder %s: cannot rename %s into place: %s",
			     out->final_path, out->tmp_path, strerror(errno));
		if (have_old)
			rename(old, out->final_path);
		goto done;
	}
	unregister_tmp(out->tmp_path);
	free(out->tmp_path);
	out->tmp_path = NULL;
	/* The new output is in place; a leftover old copy is untidy but not a failure. */
	if (have_old)
		remove_folder(old);
	sync_dir(parent);
	good = true;
done:
	restore_signals(&mask);
	free(old);
	free(parent);
	return good;
}

void ws_outdir_abort(struct ws_outdir *out)
{
	if (!out)
		return;
	if (out->tmp_path) {
		sigset_t mask;
		block_signals(&mask);
		remove_folder(out->tmp_path);
		unregister_tmp(out->tmp_path);
		restore_signals(&mask);
	}
	free(out->tmp_path);
	free(out->final_path);
	out->tmp_path = NULL;
	out->final_path = NULL;
}

/* ---- single files ---------------------------------------------------------------------- */

bool ws_outfile_begin(struct ws_outfile *f, const char *path, struct ws_error *err)
{
	memset(f, 0, sizeof *f);
	char *final = strdup(path);
	if (!final)
		return ws_error_nomem(err);
	const char *base;
	char *parent = split(final, &base);
	if (!parent) {
		free(final);
		return ws_error_nomem(err);
	}
	struct stat st;
	bool named = *base && strcmp(base, ".") != 0 && strcmp(base, "..") != 0;
	if (!named || (stat(final, &st) == 0 && S_ISDIR(st.st_mode))) {
		ws_error_set(err, WS_ERR_CANTCREAT, "%s: is a folder; give a file name", path);
		goto fail;
	}
	int fd = -1;
	char *tmp = begin_tmp("", path, parent, base, &fd, err);
	if (!tmp)
		goto fail;
	f->final_path = final;
	f->tmp_path = tmp;
	f->parent = parent;
	if (!(f->fp = fdopen(fd, "wb"))) {
		close(fd);
		ws_outfile_abort(f);
		return ws_error_nomem(err);
	}
	return true;
fail:
	free(parent);
	free(final);
	return false;
}

bool ws_outfile_commit(struct ws_outfile *f, struct ws_error *err)
{
	if (!f || !f->fp)
		return ws_error_set(err, WS_ERR_INTERNAL, "no output file is open");
	bool ok = fflush(f->fp) == 0 && fsync(fileno(f->fp)) == 0;
	int saved = errno;
	if (fclose(f->fp) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	f->fp = NULL;
	if (!ok)
		return ws_error_set(err, WS_ERR_IO, "%s: write failed: %s", f->final_path,
				    strerror(saved));
	sigset_t mask;
	block_signals(&mask);
	ok = rename(f->tmp_path, f->final_path) == 0;
	saved = errno;
	if (ok) {
		unregister_tmp(f->tmp_path);
		free(f->tmp_path);
		f->tmp_path = NULL;
	}
	restore_signals(&mask);
	if (!ok)
		return ws_error_set(err, WS_ERR_CANTCREAT, "%s: cannot rename %s into place: %s",
				    f->final_path, f->tmp_path, strerror(saved));
	sync_dir(f->parent);
	return true;
}

void ws_outfile_abort(struct ws_outfile *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->tmp_path) {
		sigset_t mask;
		block_signals(&mask);
		unlink(f->tmp_path);
		unregister_tmp(f->tmp_path);
		restore_signals(&mask);
	}
	free(f->tmp_path);
	free(f->final_path);
	free(f->parent);
	memset(f, 0, sizeof *f);
}

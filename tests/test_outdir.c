/* Output folders: refused paths (case 25 of BAD_INPUTS.md, symlinks included), atomic
 * begin/commit, abort, replacing a previous output, refusing someone else's folder, modes
 * that follow the umask, and SIGINT while writing leaving nothing behind; the same for a
 * single output file (ws_outfile). */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/outdir.h"
#include "tap.h"

static char root[] = "/tmp/ws-outdir-XXXXXX";

static const char *at(const char *rel)
{
	static char buf[8][512];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
	return buf[k];
}

static void touch(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

/* Whether `dir` holds an entry whose name starts with `prefix`. */
static bool has_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	bool found = false;
	struct dirent *e;
	while (d && (e = readdir(d)))
		found = found || strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return found;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void expect_refused(const char *out, const char *input, const char *what)
{
	struct ws_error err = {0};
	const char *inputs[] = {at("other/roads.shp"), input};
	bool good = ws_outdir_check("output folder", out, inputs, 2, &err);
	ok(!good && err.code == WS_ERR_USAGE && strncmp(err.msg, "output folder ", 14) == 0,
	   "refused: %s (%s)", what, err.msg);
}

static void test_check(void)
{
	mkdir(at("data"), 0700);
	mkdir(at("data/sub"), 0700);
	mkdir(at("other"), 0700);
	touch(at("data/compounds.shp"), "");
	touch(at("other/roads.shp"), "");
	symlink(at("data"), at("link_to_data"));
	symlink(at("data/compounds.shp"), at("other/link.shp"));
	char input[512]; /* at() recycles its buffers */
	snprintf(input, sizeof input, "%s", at("data/compounds.shp"));

	expect_refused(at("data"), input, "output is the input folder");
	expect_refused(at("data/"), input, "output is the input folder, trailing slash");
	expect_refused(at("data/sub"), input, "output inside the input folder (existing)");
	expect_refused(at("data/new/deeper"), input, "output inside the input folder (new)");
	expect_refused(at("other/../data/out"), input, "output inside the input folder via ..");
	expect_refused(root, input, "output contains the input folder");
	expect_refused(input, input, "output is the input file");
	expect_refused(at("link_to_data"), input, "output is a symlink to the input folder");
	expect_refused(at("link_to_data/out"), input, "output inside a symlink to the input folder");
	expect_refused(at("data/out"), at("link_to_data/compounds.shp"),
		       "input named through a symlinked folder");
	expect_refused(at("data/out"), at("other/link.shp"),
		       "output inside the folder an input symlink points to");
	expect_refused(at("out"), at("out/sub/compounds.shp"), "input inside the (future) output");

	struct ws_error err = {0};
	char roads[512];
	snprintf(roads, sizeof roads, "%s", at("other/roads.shp"));
	const char *inputs[] = {input, roads};
	ok(ws_outdir_check("output folder", at("out"), inputs, 2, &err), "a sibling folder is accepted: %s", err.msg);
	ok(ws_outdir_check("output folder", at("data2"), inputs, 2, &err), "a name sharing a prefix is accepted");
	ok(ws_outdir_check("output folder", at("new/out"), inputs, 2, &err), "a new nested folder is accepted");
	ok(!exists(at("out")) && !exists(at("new")), "check creates nothing");
	char cwd[512];
	if (getcwd(cwd, sizeof cwd) && chdir(at("data")) == 0) {
		const char *rel[] = {"compounds.shp"};
		struct ws_error e2 = {0};
		ok(!ws_outdir_check("output folder", ".", rel, 1, &e2) && e2.code == WS_ERR_USAGE,
		   "relative: '.' beside a relative input refused");
		ok(!ws_outdir_check("output folder", "sub/..", rel, 1, &e2), "relative: 'sub/..' refused");
		ok(ws_outdir_check("output folder", "../out", rel, 1, &e2), "relative: '../out' accepted");
		e2 = (struct ws_error){0};
		ok(!ws_outdir_check("--json file", "check.json", rel, 1, &e2) &&
			   strncmp(e2.msg, "--json file check.json ", 23) == 0 &&
			   strstr(e2.msg, "is inside") != NULL,
		   "a file beside the input is refused, named as given (%s)", e2.msg);
		if (chdir(cwd) != 0)
			diag("chdir back failed");
	}
}

static bool write_file(const struct ws_outdir *out, const char *name, const char *text)
{
	char *p = ws_outdir_path(out, name);
	if (!p)
		return false;
	touch(p, text);
	bool good = exists(p);
	free(p);
	return good;
}

static void test_begin_commit(void)
{
	struct ws_error err = {0};
	struct ws_outdir out;
	mkdir(at("runs"), 0700);
	ok(ws_outdir_begin(&out, at("runs/out"), &err), "begin: %s", err.msg);
	ok(out.tmp_path && strstr(out.tmp_path, "/runs/.out.tmp-") != NULL,
	   "temporary folder beside the output: %s", out.tmp_path ? out.tmp_path : "(null)");
	ok(!exists(at("runs/out")), "no output folder while writing");
	ok(write_file(&out, "summary.json", "{\"run\":1}") && write_file(&out, "a.csv", "x\n"),
	   "files written into the temporary folder");
	ok(ws_outdir_commit(&out, &err), "commit: %s", err.msg);
	ok(exists(at("runs/out/summary.json")) && exists(at("runs/out/a.csv")),
	   "committed folder holds the files");
	is_int(count_entries(at("runs")), 1, "nothing but the output beside it");
	ok(out.tmp_path == NULL, "tmp_path cleared at commit");
	ws_outdir_abort(&out);
	ok(exists(at("runs/out/a.csv")), "abort after commit removes nothing");

	/* Replacing a previous walkshed output. */
	ok(ws_outdir_begin(&out, at("runs/out"), &err), "begin over a previous output");
	ok(write_file(&out, "summary.json", "{\"run\":2}"), "second run writes");
	ok(ws_outdir_commit(&out, &err), "commit replaces it: %s", err.msg);
	ws_outdir_abort(&out);
	ok(exists(at("runs/out/summary.json")) && !exists(at("runs/out/a.csv")),
	   "old files gone, new ones in place");
	FILE *fp = fopen(at("runs/out/summary.json"), "r");
	char buf[64] = "";
	if (fp) {
		if (!fgets(buf, sizeof buf, fp))
			buf[0] = '\0';
		fclose(fp);
	}
	is_str(buf, "{\"run\":2}", "summary is the second run's");
	is_int(count_entries(at("runs")), 1, "no .old or .tmp folders left");

	/* Abort leaves nothing. */
	ok(ws_outdir_begin(&out, at("runs/aborted"), &err), "begin another");
	ok(write_file(&out, "x.shp", "1") && write_file(&out, "x.dbf", "2"), "files written");
	ws_outdir_abort(&out);
	is_int(count_entries(at("runs")), 1, "abort removed the temporary folder");
	ok(!exists(at("runs/aborted")), "no output after abort");
	ws_outdir_abort(NULL);
	ok(true, "abort(NULL) is safe");

	/* An empty existing folder may be used. */
	mkdir(at("runs/empty"), 0700);
	ok(ws_outdir_begin(&out, at("runs/empty"), &err), "an empty existing folder is accepted");
	ok(write_file(&out, "summary.json", "{}") && ws_outdir_commit(&out, &err),
	   "commit into it");
	ws_outdir_abort(&out);
	ok(exists(at("runs/empty/summary.json")), "committed into the empty folder's place");

	/* Someone else's folder, a file, a symlink. */
	mkdir(at("runs/photos"), 0700);
	touch(at("runs/photos/cat.jpg"), "meow");
	struct ws_error e2 = {0};
	ok(!ws_outdir_begin(&out, at("runs/photos"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "a non-walkshed folder is refused: %s", e2.msg);
	ok(strstr(e2.msg, "not a walkshed output folder") != NULL, "... saying why");
	ok(exists(at("runs/photos/cat.jpg")), "... and left alone");
	mkdir(at("runs/mixed"), 0700);
	touch(at("runs/mixed/summary.json"), "{}");
	mkdir(at("runs/mixed/keep"), 0700);
	e2 = (struct ws_error){0};
	ok(!ws_outdir_begin(&out, at("runs/mixed"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "a folder with a subfolder is refused even with summary.json");
	touch(at("runs/plain"), "data");
	e2 = (struct ws_error){0};
	ok(!ws_outdir_begin(&out, at("runs/plain"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "an existing file is refused");
	symlink(at("runs/out"), at("runs/link"));
	e2 = (struct ws_error){0};
	ok(!ws_outdir_begin(&out, at("runs/link"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "a symlinked output is refused");
	e2 = (struct ws_error){0};
	ok(!ws_outdir_begin(&out, at("no/such/parent/out"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "a missing parent folder: WS_ERR_CANTCREAT (%s)", e2.msg);
	ok(!has_prefixed(at("runs"), ".photos") && !has_prefixed(at("runs"), ".plain"),
	   "refusals leave no temporary folders");

	/* The previous output appears between begin and commit and is not ours: refused. */
	ok(ws_outdir_begin(&out, at("runs/late"), &err), "begin");
	mkdir(at("runs/late"), 0700);
	touch(at("runs/late/notes.txt"), "mine");
	e2 = (struct ws_error){0};
	ok(!ws_outdir_commit(&out, &e2) && e2.code == WS_ERR_CANTCREAT,
	   "commit refuses a foreign folder created meanwhile");
	ws_outdir_abort(&out);
	ok(exists(at("runs/late/notes.txt")) && !has_prefixed(at("runs"), ".late"),
	   "foreign folder untouched, temporary folder removed");
}

static int mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* Output folders and files get the mode any folder or file the user creates would get,
 * not mkdtemp's private 0700 (planners share output folders). */
static void test_modes(void)
{
	struct ws_error err = {0};
	struct ws_outdir out;
	struct ws_outfile f;
	mkdir(at("modes"), 0755);
	mode_t saved = umask(022);
	ok(ws_outdir_begin(&out, at("modes/shared"), &err) && write_file(&out, "summary.json", "{}") &&
		   ws_outdir_commit(&out, &err),
	   "umask 022: folder committed (%s)", err.msg);
	ws_outdir_abort(&out);
	is_int(mode_of(at("modes/shared")), 0755, "umask 022: output folder 0755");
	ok(ws_outfile_begin(&f, at("modes/check.json"), &err) && fputs("{}\n", f.fp) >= 0 &&
		   ws_outfile_commit(&f, &err),
	   "umask 022: file committed (%s)", err.msg);
	ws_outfile_abort(&f);
	is_int(mode_of(at("modes/check.json")), 0644, "umask 022: output file 0644");
	umask(077);
	ok(ws_outdir_begin(&out, at("modes/private"), &err) && ws_outdir_commit(&out, &err),
	   "umask 077: folder committed");
	ws_outdir_abort(&out);
	is_int(mode_of(at("modes/private")), 0700, "umask 077: output folder 0700");
	ok(ws_outfile_begin(&f, at("modes/private.json"), &err) && ws_outfile_commit(&f, &err),
	   "umask 077: file committed");
	ws_outfile_abort(&f);
	is_int(mode_of(at("modes/private.json")), 0600, "umask 077: output file 0600");
	umask(saved);
}

static void test_outfile(void)
{
	struct ws_error err = {0};
	struct ws_outfile f;
	mkdir(at("files"), 0700);
	ok(ws_outfile_begin(&f, at("files/a.json"), &err), "file begin: %s", err.msg);
	ok(f.tmp_path && strstr(f.tmp_path, "/files/.a.json.tmp-") != NULL,
	   "temporary file beside it: %s", f.tmp_path ? f.tmp_path : "(null)");
	ok(!exists(at("files/a.json")), "no file while writing");
	fputs("first\n", f.fp);
	ok(ws_outfile_commit(&f, &err), "commit: %s", err.msg);
	ws_outfile_abort(&f);
	is_int(count_entries(at("files")), 1, "only the file is left");

	ok(ws_outfile_begin(&f, at("files/a.json"), &err), "begin over the previous file");
	fputs("second\n", f.fp);
	ws_outfile_abort(&f);
	is_int(count_entries(at("files")), 1, "abort removes the temporary file");
	FILE *fp = fopen(at("files/a.json"), "r");
	char buf[32] = "";
	if (fp) {
		if (!fgets(buf, sizeof buf, fp))
			buf[0] = '\0';
		fclose(fp);
	}
	is_str(buf, "first\n", "an aborted write leaves the previous file as it was");

	ok(ws_outfile_begin(&f, at("files/a.json"), &err), "begin again");
	fputs("second\n", f.fp);
	ok(ws_outfile_commit(&f, &err), "commit replaces it");
	ws_outfile_abort(&f);
	fp = fopen(at("files/a.json"), "r");
	buf[0] = '\0';
	if (fp) {
		if (!fgets(buf, sizeof buf, fp))
			buf[0] = '\0';
		fclose(fp);
	}
	is_str(buf, "second\n", "the new content in place");

	struct ws_error e2 = {0};
	ok(!ws_outfile_begin(&f, at("files"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "a folder is refused as a file: %s", e2.msg);
	e2 = (struct ws_error){0};
	ok(!ws_outfile_begin(&f, at("no/such/dir/a.json"), &e2) && e2.code == WS_ERR_CANTCREAT,
	   "a missing folder: WS_ERR_CANTCREAT (%s)", e2.msg);
	struct ws_outfile zero = {0};
	ws_outfile_abort(&zero);
	ws_outfile_abort(NULL);
	ok(true, "abort on a zeroed struct and on NULL is safe");
	is_int(count_entries(at("files")), 1, "refusals leave nothing");
}

/* SIGINT while a single file is being written: the temporary file is removed. */
static void test_outfile_signal(void)
{
	mkdir(at("fsig"), 0700);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct ws_error err = {0};
		struct ws_outfile f;
		ws_outdir_install_signal_cleanup();
		if (!ws_outfile_begin(&f, at("fsig/check.json"), &err))
			_exit(1);
		fputs("{\"half\":", f.fp);
		fflush(f.fp);
		raise(SIGINT);
		_exit(3);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 130, "file: SIGINT exits 130 (got %d)",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	is_int(count_entries(at("fsig")), 0, "... and leaves no file, no temporary file");
	rmdir(at("fsig"));
}

static void test_signal(int sig, int want_status)
{
	mkdir(at("sig"), 0700);
	touch(at("sig/keep.txt"), "mine");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct ws_error err = {0};
		struct ws_outdir out;
		ws_outdir_install_signal_cleanup();
		if (!ws_outdir_begin(&out, at("sig/out"), &err))
			_exit(1);
		char *p = ws_outdir_path(&out, "partial.csv");
		FILE *fp = p ? fopen(p, "w") : NULL;
		if (!fp)
			_exit(2);
		fputs("half,written\n", fp);
		fflush(fp);
		/* A file the writers name themselves (shapelib adds extensions to a stem). */
		char *q = ws_outdir_path(&out, "x");
		char shx[1024];
		snprintf(shx, sizeof shx, "%s.shx", q);
		FILE *fq = fopen(shx, "w");
		if (fq)
			fclose(fq);
		raise(sig);
		_exit(3); /* not reached when the handler works */
	}
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == want_status, "signal %d: exit status %d (got %d)",
	   sig, want_status, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	is_int(count_entries(at("sig")), 1, "... only what the folder held before");
	ok(exists(at("sig/keep.txt")), "... which is untouched");
	unlink(at("sig/keep.txt"));
	rmdir(at("sig"));
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[1024];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int main(void)
{
	if (!mkdtemp(root)) {
		ok(false, "mkdtemp");
		return done();
	}
	test_check();
	test_begin_commit();
	test_modes();
	test_outfile();
	test_outfile_signal();
	test_signal(SIGINT, 130);
	test_signal(SIGTERM, 143);
	remove_tree(root);
	return done();
}

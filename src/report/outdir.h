/* Atomic output folders: every file of a run is written into a temporary folder beside
 * the requested one and renamed into place only when all writes succeeded, so a failed
 * or interrupted run leaves no half-written output. Nothing is ever written into an
 * input's folder. */
#ifndef WS_OUTDIR_H
#define WS_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

struct ws_outdir {
	char *final_path;   /* as requested */
	char *tmp_path;     /* <parent>/.<name>.tmp-<pid>-<k> while open; NULL otherwise */
};

/* Refuses (WS_ERR_USAGE) an output path that is, contains, or is inside the folder of any
 * input file (after resolving symlinks), or that is an input file itself. Call before
 * reading anything. `what` names the path in messages ("output folder"); `inputs` are
 * file paths. */
bool ws_outdir_check(const char *what, const char *path, const char *const *inputs,
		     size_t n_inputs, struct ws_error *err);
/* Creates the temporary folder (WS_ERR_CANTCREAT on failure). An existing output folder
 * is replaced at commit only if it is empty or holds a summary.json written by walkshed. */
bool ws_outdir_begin(struct ws_outdir *out, const char *path, struct ws_error *err);
/* Path of `name` inside the temporary folder; malloc'd, caller frees; NULL on OOM. */
char *ws_outdir_path(const struct ws_outdir *out, const char *name);
/* fsyncs and renames the temporary folder into place. */
bool ws_outdir_commit(struct ws_outdir *out, struct ws_error *err);
/* For writers, once a large file is complete and flushed: has the kernel start writing
 * `fp` to disk now (Linux sync_file_range), while the next files are computed, instead of
 * all at once in the fsyncs of ws_outdir_commit. A hint: never fails, does nothing
 * elsewhere, and the commit still fsyncs every file. */
void ws_outdir_start_writeback(FILE *fp);
/* Removes the temporary folder and everything in it; safe after commit or on NULL.
 * Also frees final_path: call it once after every successful begin, committed or not. */
void ws_outdir_abort(struct ws_outdir *out);

/* A single output file (walkshed check --json) with the same guarantees: written to a
 * hidden temporary file beside it, renamed into place by commit, removed on failure and on
 * SIGINT/SIGTERM. Its mode follows the umask, like the output folders. */
struct ws_outfile {
	char *final_path; /* as requested */
	char *tmp_path;   /* <parent>/.<name>.tmp-<pid>-<k> until committed */
	char *parent;
	FILE *fp;         /* open on tmp_path between begin and commit */
};
/* WS_ERR_CANTCREAT when the temporary file cannot be made or `path` is a folder. */
bool ws_outfile_begin(struct ws_outfile *f, const char *path, struct ws_error *err);
/* Flushes, fsyncs, closes and renames into place (WS_ERR_IO on a failed write). */
bool ws_outfile_commit(struct ws_outfile *f, struct ws_error *err);
/* Removes the temporary file if still there and frees; safe on a zeroed struct. Call once
 * after every successful begin, committed or not. */
void ws_outfile_abort(struct ws_outfile *f);

/* SIGINT/SIGTERM: removes the open temporary folders and files (if any) and exits
 * 130/143. Installed once by main. */
void ws_outdir_install_signal_cleanup(void);

#endif

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
	char *tmp_path;     /* <parent>/.<name>.tmp-XXXXXX while open; NULL otherwise */
};

/* Refuses (WS_ERR_USAGE) an output path that is, contains, or is inside the folder of any
 * input file (after resolving symlinks), or that is an input file itself. Call before
 * reading anything. `inputs` are file paths. */
bool ws_outdir_check(const char *path, const char *const *inputs, size_t n_inputs,
		     struct ws_error *err);
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

/* SIGINT/SIGTERM: removes the open temporary folder (if any) and exits 130/143.
 * Installed once by main. */
void ws_outdir_install_signal_cleanup(void);

#endif

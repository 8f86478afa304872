/* A progress bar on stderr for long phases: drawn only when stderr is a terminal and the
 * phase has run for more than a second, so logs and pipes never see it. */
#ifndef WS_PROGRESS_H
#define WS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct ws_progress {
	const char *label;
	double start_s;
	bool tty, drawn;
};

void ws_progress_begin(struct ws_progress *p, const char *label, bool enabled);
/* A ws_progress_fn: ctx is a struct ws_progress. */
void ws_progress_update(void *ctx, size_t done, size_t total);
/* Clears the bar if one was drawn. */
void ws_progress_end(struct ws_progress *p);

#endif

/* Only the CLI prints; algorithms call ws_progress_update between batches. */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "pipeline/study.h"

void ws_progress_begin(struct ws_progress *p, const char *label, bool enabled)
{
	p->label = label;
	p->start_s = ws_now_s();
	p->tty = enabled && isatty(STDERR_FILENO);
	p->drawn = false;
}

void ws_progress_update(void *ctx, size_t done, size_t total)
{
	struct ws_progress *p = ctx;
	if (!p->tty || total == 0 || ws_now_s() - p->start_s < 1.0)
		return;
	int width = 30, fill = (int)((double)done / (double)total * width);
	char bar[31];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = 0;
	fprintf(stderr, "\r%s [%s] %3d %%", p->label, bar, (int)(100.0 * (double)done / (double)total));
	fflush(stderr);
	p->drawn = true;
}

void ws_progress_end(struct ws_progress *p)
{
	if (p->drawn) {
		fprintf(stderr, "\r%*s\r", 60, "");
		fflush(stderr);
	}
	p->drawn = false;
}

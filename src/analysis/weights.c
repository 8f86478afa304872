/* Weight parsing: the whole value must be a finite decimal number (strtod syntax). */
#include "weights.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *ws_weight_state_name(enum ws_weight_state s)
{
	static const char *const names[] = {"ok", "missing", "not a number", "negative"};
	return names[s];
}

bool ws_weights_parse(struct ws_weights *w, const char *const *values, size_t n, struct ws_error *err)
{
	memset(w, 0, sizeof *w);
	w->n = n;
	w->value = calloc(n + 1, sizeof *w->value);
	w->state = calloc(n + 1, sizeof *w->state);
	if (!w->value || !w->state) {
		ws_weights_finish(w);
		return ws_error_nomem(err);
	}
	for (size_t c = 0; c < n; c++) {
		const char *s = values[c];
		char *end = NULL;
		errno = 0;
		double v = *s ? strtod(s, &end) : NAN;
		if (!*s)
			w->state[c] = WS_WEIGHT_MISSING;
		else if (!end || *end || errno == ERANGE || !isfinite(v))
			w->state[c] = WS_WEIGHT_NOT_NUMBER;
		else if (v < 0)
			w->state[c] = WS_WEIGHT_NEGATIVE;
		if (w->state[c] != WS_WEIGHT_OK) {
			w->n_bad++;
			continue;
		}
		w->value[c] = v;
		w->total += v;
	}
	return true;
}

void ws_weights_finish(struct ws_weights *w)
{
	if (!w)
		return;
	free(w->value);
	free(w->state);
	memset(w, 0, sizeof *w);
}

void ws_tally_add(struct ws_tally *t, const struct ws_weights *w, size_t c, bool in)
{
	t->n_of++;
	t->n += in;
	if (w && w->state[c] == WS_WEIGHT_OK) {
		t->w_of += w->value[c];
		if (in)
			t->w += w->value[c];
	}
}

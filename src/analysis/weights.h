/* Population weights (households or residents per compound, from --weight FIELD). A value
 * that is missing, not a number, or negative is never taken as zero: the compound is
 * flagged, listed by record, and left out of every weighted share (numerator and
 * denominator); compound counts still include it. Zero is a valid weight. */
#ifndef WS_WEIGHTS_H
#define WS_WEIGHTS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum ws_weight_state { WS_WEIGHT_OK, WS_WEIGHT_MISSING, WS_WEIGHT_NOT_NUMBER, WS_WEIGHT_NEGATIVE };

struct ws_weights {
	size_t n;
	double *value;                 /* per compound; 0 when state != OK */
	enum ws_weight_state *state;
	size_t n_bad;                  /* state != OK */
	double total;                  /* sum of the valid weights */
};

/* Parses one value per compound (strings as read from the DBF, "" when NULL). */
bool ws_weights_parse(struct ws_weights *w, const char *const *values, size_t n, struct ws_error *err);
void ws_weights_finish(struct ws_weights *w);
const char *ws_weight_state_name(enum ws_weight_state s);

/* A share as compounds and as weighted population: `n` of `n_of` compounds, weight `w`
 * of `w_of` (valid weights only). */
struct ws_tally {
	size_t n, n_of;
	double w, w_of;
};
/* Counts compound c (in = it is served) into t; w may be NULL (no weights). */
void ws_tally_add(struct ws_tally *t, const struct ws_weights *w, size_t c, bool in);

#endif

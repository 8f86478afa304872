/* The area-share coverage rule (--min-share): instead of SPEC 6's "reach <= threshold",
 * a snapped compound is covered when at least min_share of its area lies inside the
 * union isochrone at the threshold. Applied to an audit after the fact: statuses, counts,
 * the covered flags and the worst-first order follow the rule; reach figures stay. */
#ifndef WS_AREA_RULE_H
#define WS_AREA_RULE_H

#include <stdbool.h>

#include "pipeline/audit.h"
#include "util/error.h"

/* share: per compound (NAN: no area, never covered by this rule). */
bool ws_audit_apply_min_share(struct ws_audit *a, const double *share, double min_share,
			      struct ws_error *err);

#endif

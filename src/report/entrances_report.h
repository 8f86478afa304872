/* Reports of the compound entrances (--access gates|boundary, docs/isochrones.md): the
 * terminal lines and the "entrances" member of summary.json. Every gate that does not
 * count as an entrance is named (FID and SPEC 1 id) with the reason, so a typo in a
 * `compound` attribute or a gate drawn in the wrong place can be found and fixed. */
#ifndef WS_ENTRANCES_REPORT_H
#define WS_ENTRANCES_REPORT_H

#include <json-c/json.h>
#include <stdio.h>

#include "pipeline/study.h"

/* Nothing for --access point. Gates: counts by rule, then the unused gates (at most
 * 10; summary.json has them all); then the compounds that fell back to their point. */
void ws_entrances_print(FILE *out, const struct ws_study *st);

/* The "entrances" member (access mode, fallbacks, gate counts by rule, unused gates). */
struct json_object *ws_entrances_summary_json(const struct ws_study *st);

#endif

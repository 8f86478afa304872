/* Compound entrances for the access modes of SPEC 5 beyond the default point:
 * - gates: each gate of the gates layer is assigned to at most one compound. A gate whose
 *   `compound` attribute names a compound id belongs to that compound (an id that names
 *   no compound leaves the gate unassigned: a typo is reported, never reinterpreted).
 *   Otherwise its candidates are the compounds whose polygon contains it or lies within
 *   gate_distance_m of it; compounds that contain it come first, then the nearest
 *   boundary wins, then the lower FID.
 * - boundary: every graph node inside a compound or within gate_distance_m of it is an
 *   entrance of that compound (a node may serve several compounds).
 * Coordinates are in the working CRS. Results are per gate / per compound slots, the
 * same for any thread count. Algorithms only. */
#ifndef WS_ENTRANCES_H
#define WS_ENTRANCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/graph.h"
#include "util/error.h"
#include "util/shapes.h"

#define WS_GATE_DISTANCE_DEFAULT_M 30.0
#define WS_NO_COMPOUND UINT32_MAX

enum ws_access_mode { WS_ACCESS_POINT, WS_ACCESS_GATES, WS_ACCESS_BOUNDARY };

/* How a gate was assigned. */
enum ws_gate_rule {
	WS_GATE_ATTRIBUTE,      /* its `compound` attribute names the compound */
	WS_GATE_INSIDE,         /* inside the compound's polygon */
	WS_GATE_NEAR,           /* outside, boundary within the gate distance */
	WS_GATE_NONE,           /* no compound within the gate distance (or no location) */
	WS_GATE_UNKNOWN_ID,     /* the attribute names no compound id */
};

struct ws_gate_assignment {
	size_t n_gates;
	uint32_t *compound;          /* per gate: compound index, WS_NO_COMPOUND when none */
	enum ws_gate_rule *rule;     /* per gate */
	double *boundary_m;          /* per gate: distance to the assigned compound's boundary
					(NAN when unassigned) */
	size_t n_by_rule[5];
};

/* gate_xy: 2 per gate (NaN: no location); gate_attr: per gate the `compound` value, NULL
 * or "" when unset (the whole array may be NULL); compound_id: per compound. */
bool ws_gates_assign(struct ws_gate_assignment *ga, const double *gate_xy, size_t n_gates,
		     const char *const *gate_attr, const struct ws_shapes *compounds,
		     const char *const *compound_id, double gate_distance_m, int threads,
		     struct ws_error *err);
void ws_gates_finish(struct ws_gate_assignment *ga);

/* Per compound (CSR first[n_compounds + 1], malloc'd, caller frees both) the graph nodes
 * within gate_distance_m of its polygon, increasing node id. */
bool ws_boundary_nodes(const struct ws_graph *g, const struct ws_shapes *compounds,
		       double gate_distance_m, int threads, size_t **first, uint32_t **nodes,
		       struct ws_error *err);

const char *ws_access_mode_name(enum ws_access_mode m);

#endif

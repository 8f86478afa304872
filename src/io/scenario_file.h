/* Scenario files (docs/scenario.md): a plain INI text read with inih (Debian libinih),
 * naming the dataset, the parameters, the centers to close and the sites to add.
 * Relative paths are taken from the scenario file's folder. Every error names the file
 * and line. Reads the file; computes nothing. */
#ifndef WS_SCENARIO_FILE_H
#define WS_SCENARIO_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct ws_scenario_close {
	char *key;              /* a center id, or a name */
	bool by_name;
	int line;               /* 0: from the command line */
};

struct ws_scenario_site {
	char *label;            /* the section label, "--add" or the layer record */
	char *name, *level, *services, *crs;   /* NULL when not given */
	double x, y;
	bool has_x, has_y;
	int line;               /* first line of the section (0: command line) */
};

struct ws_scenario_spec {
	char *path;             /* the file, NULL for a command-line-only scenario */
	char *dataset_dir, *roads, *compounds, *centers, *work_crs, *src_crs, *id_field, *encoding;
	double minutes, speed_kmh, max_snap_m;   /* NAN when not given */
	char *weight, *level, *service;
	char *sites_crs;        /* default CRS of the sites (NULL: the roads' CRS) */
	struct ws_scenario_close *close;
	size_t n_close;
	struct ws_scenario_site *sites;
	size_t n_sites;
	char **layers;          /* point layers of sites */
	size_t n_layers;
};

/* An empty spec (every number NAN). */
void ws_scenario_spec_init(struct ws_scenario_spec *s);
void ws_scenario_spec_finish(struct ws_scenario_spec *s);
/* Reads `path` into s (initialised by the caller; entries are appended). */
bool ws_scenario_read(struct ws_scenario_spec *s, const char *path, struct ws_error *err);
/* Command-line quick forms: "ID,ID,..." closes by id; "X,Y[,name]" adds a site in `crs`
 * (NULL: the default). `flag` names the option in messages. */
bool ws_scenario_add_close_list(struct ws_scenario_spec *s, const char *list, bool by_name,
				int line, struct ws_error *err);
bool ws_scenario_add_site_text(struct ws_scenario_spec *s, const char *text, const char *crs,
			       const char *flag, struct ws_error *err);

#endif

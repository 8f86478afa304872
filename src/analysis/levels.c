/* Level names and thresholds. Names are unique (case-insensitive) and non-empty; the
 * list order is the hierarchy, highest first. */
#include "levels.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const default_names[] = {"district", "subdistrict", "community", "building"};

void ws_levels_finish(struct ws_levels *lv)
{
	if (!lv)
		return;
	for (size_t i = 0; i < lv->n; i++)
		free(lv->name[i]);
	memset(lv, 0, sizeof *lv);
}

static bool add_name(struct ws_levels *lv, const char *s, size_t len, struct ws_error *err)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return ws_error_set(err, WS_ERR_USAGE, "--levels: empty level name");
	if (lv->n == WS_LEVELS_MAX)
		return ws_error_set(err, WS_ERR_USAGE, "--levels: at most %d levels", WS_LEVELS_MAX);
	char *name = strndup(s, len);
	if (!name)
		return ws_error_nomem(err);
	if (ws_levels_find(lv, name) != WS_NO_LEVEL) {
		ws_error_set(err, WS_ERR_USAGE, "--levels: \"%s\" given twice", name);
		free(name);
		return false;
	}
	lv->minutes[lv->n] = NAN;
	lv->name[lv->n++] = name;
	return true;
}

bool ws_levels_init_default(struct ws_levels *lv, struct ws_error *err)
{
	memset(lv, 0, sizeof *lv);
	for (size_t i = 0; i < 4; i++)
		if (!add_name(lv, default_names[i], strlen(default_names[i]), err)) {
			ws_levels_finish(lv);
			return false;
		}
	return true;
}

bool ws_levels_set_names(struct ws_levels *lv, const char *list, struct ws_error *err)
{
	struct ws_levels fresh = {0};
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (!add_name(&fresh, p, len, err)) {
			ws_levels_finish(&fresh);
			return false;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	ws_levels_finish(lv);
	*lv = fresh;
	return true;
}

bool ws_levels_apply_tiers(struct ws_levels *lv, const char *preset, struct ws_error *err)
{
	if (strcasecmp(preset, "gb50180"))
		return ws_error_set(err, WS_ERR_USAGE, "--tiers: unknown preset \"%s\" (known: gb50180)", preset);
	for (size_t i = 0; i < lv->n; i++)
		lv->minutes[i] = i < 2 ? 15 : i == 2 ? 10 : 5;
	return true;
}

bool ws_levels_set_minutes(struct ws_levels *lv, const char *spec, struct ws_error *err)
{
	char *copy = strdup(spec);
	if (!copy)
		return ws_error_nomem(err);
	bool ok = true;
	char *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); ok && item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		if (!eq) {
			ok = ws_error_set(err, WS_ERR_USAGE, "--level-minutes: \"%s\": expected LEVEL=MINUTES", item);
			break;
		}
		*eq = '\0';
		char *name = item, *end = NULL;
		while (*name == ' ')
			name++;
		for (char *t = eq; t > name && t[-1] == ' ';)
			*--t = '\0';
		int l = ws_levels_find(lv, name);
		errno = 0;
		double v = strtod(eq + 1, &end);
		if (l == WS_NO_LEVEL)
			ok = ws_error_set(err, WS_ERR_USAGE, "--level-minutes: \"%s\" is not a level (see --levels)", name);
		else if (end == eq + 1 || *end || errno || !isfinite(v) || v <= 0)
			ok = ws_error_set(err, WS_ERR_USAGE, "--level-minutes: %s: expected a positive number, got \"%s\"",
					  name, eq + 1);
		else
			lv->minutes[l] = v;
	}
	free(copy);
	return ok;
}

int ws_levels_find(const struct ws_levels *lv, const char *value)
{
	for (size_t i = 0; i < lv->n; i++)
		if (!strcasecmp(lv->name[i], value))
			return (int)i;
	return WS_NO_LEVEL;
}

double ws_levels_minutes(const struct ws_levels *lv, size_t l, double general_minutes)
{
	return isnan(lv->minutes[l]) ? general_minutes : lv->minutes[l];
}

bool ws_levels_assign(const struct ws_levels *lv, const char *const *values, size_t n,
		      const char *what, int *level_of, struct ws_error *err)
{
	for (size_t s = 0; s < n; s++) {
		level_of[s] = WS_NO_LEVEL;
		if (!*values[s])
			continue;
		level_of[s] = ws_levels_find(lv, values[s]);
		if (level_of[s] != WS_NO_LEVEL)
			continue;
		char names[256] = "";
		for (size_t i = 0; i < lv->n; i++) {
			size_t len = strlen(names);
			snprintf(names + len, sizeof names - len, "%s%s", i ? "," : "", lv->name[i]);
		}
		return ws_error_set(err, WS_ERR_FORMAT, "%s: record %zu: level \"%s\" is not one of %s (see --levels)",
				    what, s, values[s], names);
	}
	return true;
}

void ws_levels_mask(const int *level_of, size_t n, size_t l, bool or_above, bool *use)
{
	for (size_t s = 0; s < n; s++)
		use[s] = level_of[s] != WS_NO_LEVEL &&
			 (or_above ? level_of[s] <= (int)l : level_of[s] == (int)l);
}

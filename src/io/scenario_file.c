/* Invariant: the spec holds only what the file or command line said (strings copied,
 * paths made relative to the file's folder); checks that need the data (does the center
 * exist?) happen later. inih calls the handler once per name = value; a line-counting
 * reader gives the handler its line, and the first error wins. */
#include "scenario_file.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ws_scenario_spec_init(struct ws_scenario_spec *s)
{
	memset(s, 0, sizeof *s);
	s->minutes = s->speed_kmh = s->max_snap_m = NAN;
}

void ws_scenario_spec_finish(struct ws_scenario_spec *s)
{
	if (!s)
		return;
	char **strs[] = {&s->path, &s->dataset_dir, &s->roads, &s->compounds, &s->centers, &s->work_crs,
			 &s->src_crs, &s->id_field, &s->encoding, &s->weight, &s->level, &s->service,
			 &s->sites_crs};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	for (size_t i = 0; i < s->n_close; i++)
		free(s->close[i].key);
	free(s->close);
	for (size_t i = 0; i < s->n_sites; i++) {
		struct ws_scenario_site *x = &s->sites[i];
		free(x->label);
		free(x->name);
		free(x->level);
		free(x->services);
		free(x->crs);
	}
	free(s->sites);
	for (size_t i = 0; i < s->n_layers; i++)
		free(s->layers[i]);
	free(s->layers);
	ws_scenario_spec_init(s);
}

static bool set_str(char **dst, const char *v, struct ws_error *err)
{
	char *p = strdup(v);
	if (!p)
		return ws_error_nomem(err);
	free(*dst);
	*dst = p;
	return true;
}

static bool parse_number(const char *v, double *out)
{
	char *end = NULL;
	errno = 0;
	double x = *v ? strtod(v, &end) : NAN;
	if (!*v || !end || *end || errno || !isfinite(x))
		return false;
	*out = x;
	return true;
}

static char *trim_copy(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return strndup(p, n);
}

bool ws_scenario_add_close_list(struct ws_scenario_spec *s, const char *list, bool by_name,
				int line, struct ws_error *err)
{
	const char *p = list;
	for (;;) {
		size_t n = by_name ? strlen(p) : strcspn(p, ",");
		char *key = trim_copy(p, n);
		if (!key)
			return ws_error_nomem(err);
		if (!*key) {
			free(key);
			return ws_error_set(err, WS_ERR_USAGE, "empty center %s in \"%s\"", by_name ? "name" : "id", list);
		}
		struct ws_scenario_close *c = realloc(s->close, (s->n_close + 1) * sizeof *c);
		if (!c) {
			free(key);
			return ws_error_nomem(err);
		}
		s->close = c;
		s->close[s->n_close++] = (struct ws_scenario_close){key, by_name, line};
		if (!p[n])
			return true;
		p += n + 1;
	}
}

static struct ws_scenario_site *new_site(struct ws_scenario_spec *s, const char *label, int line,
					 struct ws_error *err)
{
	struct ws_scenario_site *x = realloc(s->sites, (s->n_sites + 1) * sizeof *x);
	if (!x) {
		ws_error_nomem(err);
		return NULL;
	}
	s->sites = x;
	x = &s->sites[s->n_sites];
	memset(x, 0, sizeof *x);
	x->line = line;
	if (!(x->label = strdup(label))) {
		ws_error_nomem(err);
		return NULL;
	}
	s->n_sites++;
	return x;
}

bool ws_scenario_add_site_text(struct ws_scenario_spec *s, const char *text, const char *crs,
			       const char *flag, struct ws_error *err)
{
	const char *c1 = strchr(text, ',');
	const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	char *xs = c1 ? trim_copy(text, (size_t)(c1 - text)) : NULL;
	char *ys = c1 ? trim_copy(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1)) : NULL;
	double x, y;
	bool good = xs && ys && parse_number(xs, &x) && parse_number(ys, &y);
	free(xs);
	free(ys);
	if (!good)
		return ws_error_set(err, WS_ERR_USAGE, "%s: expected X,Y[,name], got \"%s\"", flag, text);
	struct ws_scenario_site *site = new_site(s, flag, 0, err);
	if (!site)
		return false;
	site->x = x;
	site->y = y;
	site->has_x = site->has_y = true;
	if (c2 && *(c2 + 1) && !(site->name = trim_copy(c2 + 1, strlen(c2 + 1))))
		return ws_error_nomem(err);
	if (crs && !(site->crs = strdup(crs)))
		return ws_error_nomem(err);
	return true;
}

struct parse_ctx {
	struct ws_scenario_spec *s;
	const char *base_dir;
	FILE *f;
	int line;
	int section_line;        /* line of the last [section] header read */
	int long_line;           /* first line longer than the reader's buffer */
	int error_line;          /* first handler error */
	struct ws_error error;
	char *site_section;      /* section of the site being filled */
	struct ws_error *err;    /* for out-of-memory only */
};

/* The reader: fgets that counts lines, so the handler knows its line. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse_ctx *ctx = stream;
	if (!fgets(str, num, ctx->f))
		return NULL;
	ctx->line++;
	const char *p = str + strspn(str, " \t");
	if (*p == '[')
		ctx->section_line = ctx->line;
	size_t n = strlen(str);
	if (n && str[n - 1] != '\n' && !feof(ctx->f)) {
		/* longer than inih's buffer: skip the rest and report it */
		int ch;
		while ((ch = fgetc(ctx->f)) != EOF && ch != '\n')
			;
		if (!ctx->long_line)
			ctx->long_line = ctx->line;
	}
	return str;
}

static char *resolve_path(const char *base, const char *v)
{
	if (v[0] == '/' || !base || !*base)
		return strdup(v);
	size_t n = strlen(base) + strlen(v) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", base, v);
	return p;
}

static int fail_at(struct parse_ctx *ctx, const char *fmt, const char *a, const char *b)
{
	if (!ctx->error_line) {
		ctx->error_line = ctx->line;
		ws_error_set(&ctx->error, WS_ERR_FORMAT, fmt, a, b);
	}
	return 0;
}

static int handle(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = user;
	struct ws_scenario_spec *s = ctx->s;
	struct ws_error *err = &ctx->error;
	bool ok = true;
	if (!strcasecmp(section, "dataset")) {
		char **dst = !strcasecmp(name, "dir")	    ? &s->dataset_dir
			     : !strcasecmp(name, "roads")     ? &s->roads
			     : !strcasecmp(name, "compounds") ? &s->compounds
			     : !strcasecmp(name, "centers")   ? &s->centers
							      : NULL;
		if (dst) {
			char *p = resolve_path(ctx->base_dir, value);
			if (!p)
				return fail_at(ctx, "out of memory%s%s", "", "");
			free(*dst);
			*dst = p;
			return 1;
		}
		dst = !strcasecmp(name, "crs")	     ? &s->work_crs
		      : !strcasecmp(name, "src_crs")  ? &s->src_crs
		      : !strcasecmp(name, "id_field") ? &s->id_field
		      : !strcasecmp(name, "encoding") ? &s->encoding
						      : NULL;
		if (!dst)
			return fail_at(ctx, "[dataset]: unknown key \"%s\"%s (dir, roads, compounds, centers, crs, src_crs, id_field, encoding)",
				       name, "");
		ok = set_str(dst, value, err);
	} else if (!strcasecmp(section, "parameters")) {
		double *num = !strcasecmp(name, "minutes")  ? &s->minutes
			      : !strcasecmp(name, "speed")    ? &s->speed_kmh
			      : !strcasecmp(name, "max_snap") ? &s->max_snap_m
							      : NULL;
		if (num) {
			double v;
			if (!parse_number(value, &v) || v <= 0)
				return fail_at(ctx, "%s: expected a positive number, got \"%s\"", name, value);
			*num = v;
			return 1;
		}
		char **dst = !strcasecmp(name, "weight")   ? &s->weight
			     : !strcasecmp(name, "level")   ? &s->level
			     : !strcasecmp(name, "service") ? &s->service
							    : NULL;
		if (!dst)
			return fail_at(ctx, "[parameters]: unknown key \"%s\"%s (minutes, speed, max_snap, weight, level, service)",
				       name, "");
		ok = set_str(dst, value, err);
	} else if (!strcasecmp(section, "close")) {
		bool by_name = !strcasecmp(name, "name");
		if (!by_name && strcasecmp(name, "id"))
			return fail_at(ctx, "[close]: unknown key \"%s\"%s (id, name)", name, "");
		if (!ws_scenario_add_close_list(s, value, by_name, ctx->line, err)) {
			ctx->error_line = ctx->error_line ? ctx->error_line : ctx->line;
			return 0;
		}
	} else if (!strcasecmp(section, "sites")) {
		if (!strcasecmp(name, "crs")) {
			ok = set_str(&s->sites_crs, value, err);
		} else if (!strcasecmp(name, "layer")) {
			char **l = realloc(s->layers, (s->n_layers + 1) * sizeof *l);
			if (!l)
				return fail_at(ctx, "out of memory%s%s", "", "");
			s->layers = l;
			if (!(s->layers[s->n_layers] = resolve_path(ctx->base_dir, value)))
				return fail_at(ctx, "out of memory%s%s", "", "");
			s->n_layers++;
		} else {
			return fail_at(ctx, "[sites]: unknown key \"%s\"%s (crs, layer)", name, "");
		}
	} else if (!strncasecmp(section, "site ", 5) || !strcasecmp(section, "site")) {
		struct ws_scenario_site *x = s->n_sites ? &s->sites[s->n_sites - 1] : NULL;
		if (!x || !ctx->site_section || strcmp(ctx->site_section, section)) {
			const char *label = section[4] ? section + 5 : "";
			while (*label == ' ')
				label++;
			if (!(x = new_site(s, label, ctx->section_line, err)))
				return fail_at(ctx, "out of memory%s%s", "", "");
			free(ctx->site_section);
			if (!(ctx->site_section = strdup(section)))
				return fail_at(ctx, "out of memory%s%s", "", "");
		}
		if (!strcasecmp(name, "x") || !strcasecmp(name, "y")) {
			double v;
			if (!parse_number(value, &v))
				return fail_at(ctx, "%s: expected a number, got \"%s\"", name, value);
			if (tolower((unsigned char)name[0]) == 'x') {
				x->x = v;
				x->has_x = true;
			} else {
				x->y = v;
				x->has_y = true;
			}
			return 1;
		}
		char **dst = !strcasecmp(name, "name")	  ? &x->name
			     : !strcasecmp(name, "level")    ? &x->level
			     : !strcasecmp(name, "services") ? &x->services
			     : !strcasecmp(name, "crs")	     ? &x->crs
							     : NULL;
		if (!dst)
			return fail_at(ctx, "[%s]: unknown key \"%s\" (x, y, crs, name, level, services)", section, name);
		ok = set_str(dst, value, err);
	} else {
		return fail_at(ctx, "unknown section [%s]%s (dataset, parameters, close, sites, site NAME)", section, "");
	}
	if (!ok && !ctx->error_line)
		ctx->error_line = ctx->line;
	return ok;
}

bool ws_scenario_read(struct ws_scenario_spec *s, const char *path, struct ws_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ws_error_set(err, errno == ENOENT ? WS_ERR_NOINPUT : WS_ERR_IO, "%s: %s", path, strerror(errno));
	char *base = strdup(path);
	if (!base || !(s->path = strdup(path))) {
		free(base);
		fclose(f);
		return ws_error_nomem(err);
	}
	char *slash = strrchr(base, '/');
	if (slash)
		*slash = 0;
	else
		base[0] = 0;
	struct parse_ctx ctx = {.s = s, .base_dir = base, .f = f, .err = err};
	int rc = ini_parse_stream(read_line, &ctx, handle, &ctx);
	bool read_error = ferror(f);
	fclose(f);
	free(base);
	free(ctx.site_section);
	if (read_error)
		return ws_error_set(err, WS_ERR_IO, "%s: read error", path);
	/* the first problem by line: a syntax error (inih), a too-long line, or a handler error */
	int first = 0;
	const char *what = NULL;
	if (rc > 0) {
		first = rc;
		what = "syntax error: expected [section], name = value, or a comment";
	}
	if (ctx.long_line && (!first || ctx.long_line <= first)) {
		first = ctx.long_line;
		what = "line too long (at most 196 characters)";
	}
	if (ctx.error_line && (!first || ctx.error_line <= first)) {
		first = ctx.error_line;
		what = ctx.error.msg;
	}
	if (rc < 0)
		return ws_error_set(err, WS_ERR_NOMEM, "%s: out of memory", path);
	if (first)
		return ws_error_set(err, ctx.error.code == WS_ERR_NOMEM ? WS_ERR_NOMEM : WS_ERR_FORMAT,
				    "%s:%d: %s", path, first, what);
	for (size_t i = 0; i < s->n_sites; i++)
		if (s->sites[i].line && (!s->sites[i].has_x || !s->sites[i].has_y))
			return ws_error_set(err, WS_ERR_FORMAT, "%s:%d: [site %s]: needs both x and y", path,
					    s->sites[i].line, s->sites[i].label);
	return true;
}

/* libFuzzer target for the layer reader. Invariant: whatever the bytes, ws_layer_read
 * either returns a complete layer or an error, without crashing, leaking, reading out of
 * bounds or allocating more than the input can justify.
 *
 * Input: three little-endian uint32 lengths (.shp, .shx, .dbf), then those bytes in that
 * order (a length beyond the input is cut to what is left). make_seeds.c writes the seed
 * corpus in this format from files made with shapelib.
 *
 * Build and run from the repository root (Debian 12: clang, libclang-rt-14-dev, libshp-dev):
 */
// clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -I. tests/fuzz/fuzz_layer.c
//       src/io/layer.c src/io/encoding.c src/util/*.c -lshp -lm -o fuzz_layer
// mkdir -p /tmp/fuzz_corpus
// ./fuzz_layer -fork=8 -max_total_time=120 -rss_limit_mb=1024 -malloc_limit_mb=256
//       /tmp/fuzz_corpus tests/fuzz/corpus
// Replay the saved corpus only (seconds): ./fuzz_layer -runs=0 tests/fuzz/corpus
// shapelib itself is not instrumented; a -fsanitize build of its three .c files (Debian
// source package shapelib 1.5.0) linked instead of -lshp also catches overflows inside it.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/layer.h"

static char dir[] = "/tmp/ws_fuzz_layer_XXXXXX";
static char shp_path[64], shx_path[64], dbf_path[64];

static void write_file(const char *path, const uint8_t *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (n && fwrite(data, 1, n, f) != n)
		abort();
	fclose(f);
}

static uint32_t take_len(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void remove_dir(void)
{
	unlink(shp_path);
	unlink(shx_path);
	unlink(dbf_path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!shp_path[0]) {
		if (!mkdtemp(dir))
			abort();
		snprintf(shp_path, sizeof shp_path, "%s/f.shp", dir);
		snprintf(shx_path, sizeof shx_path, "%s/f.shx", dir);
		snprintf(dbf_path, sizeof dbf_path, "%s/f.dbf", dir);
		atexit(remove_dir);
	}
	if (size < 12)
		return 0;
	size_t len[3], at = 12;
	for (int i = 0; i < 3; i++) {
		size_t want = take_len(data + 4 * i), left = size - at;
		len[i] = want < left ? want : left;
		at += len[i];
	}
	write_file(shp_path, data + 12, len[0]);
	write_file(shx_path, data + 12 + len[0], len[1]);
	write_file(dbf_path, data + 12 + len[0] + len[1], len[2]);

	static const enum ws_geom_kind kinds[3] = { WS_GEOM_POINT, WS_GEOM_LINE, WS_GEOM_POLYGON };
	for (int k = 0; k < 3; k++) {
		struct ws_layer layer;
		struct ws_error err = { 0 };
		bool good = ws_layer_read(&layer, shp_path, kinds[k], NULL, &err);
		/* the documented contract: success means a consistent layer, failure a message */
		if (good) {
			if (layer.geom.n_features == 0 || layer.geom.n_parts == 0)
				abort();
			for (size_t i = 0; i < 2 * layer.geom.n_points; i++)
				if (!(layer.geom.xy[i] >= -1e15 && layer.geom.xy[i] <= 1e15))
					abort();
			for (size_t f = 0; f < layer.geom.n_features; f++)
				for (size_t j = 0; j < layer.n_fields; j++)
					(void)strlen(ws_layer_value(&layer, f, (int)j));
		} else if (err.code == WS_OK || !err.msg[0]) {
			abort();
		}
		ws_layer_finish(&layer);
	}
	return 0;
}

/* Replays the fuzz corpus through fuzz_layer.c's LLVMFuzzerTestOneInput without libFuzzer
 * (gcc builds), so the suite runs every saved input under ASan/UBSan in the sanitizer CI
 * build. A crash, sanitizer report or broken contract (abort in the target) fails the
 * test. TAP: one line per file.   usage: fuzz_replay CORPUS_DIR... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *path, int *n)
{
	DIR *d = opendir(path);
	if (!d) {
		printf("not ok %d - cannot open %s\n", ++*n, path);
		return 1;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[count++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof *names, compare_names);
	int fails = 0;
	for (size_t i = 0; i < count; i++) {
		char file[4096];
		snprintf(file, sizeof file, "%s/%s", path, names[i]);
		FILE *f = fopen(file, "rb");
		uint8_t *buf = NULL;
		size_t len = 0;
		if (f) {
			fseek(f, 0, SEEK_END);
			long size = ftell(f);
			fseek(f, 0, SEEK_SET);
			buf = malloc(size > 0 ? (size_t)size : 1);
			len = buf && size > 0 ? fread(buf, 1, (size_t)size, f) : 0;
			fclose(f);
		}
		if (!buf) {
			printf("not ok %d - cannot read %s\n", ++*n, file);
			fails++;
		} else {
			LLVMFuzzerTestOneInput(buf, len); /* aborts on a broken contract */
			printf("ok %d - %s (%zu bytes)\n", ++*n, names[i], len);
		}
		free(buf);
		free(names[i]);
	}
	free(names);
	return fails;
}

int main(int argc, char **argv)
{
	int n = 0, fails = 0;
	for (int i = 1; i < argc; i++)
		fails += replay_dir(argv[i], &n);
	printf("1..%d\n", n);
	return fails ? 1 : 0;
}

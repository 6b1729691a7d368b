#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "launcher.h"

bool out_json(const lrun *run, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "mapsan: --json %s: %s\n", path, strerror(errno));
		return false;
	}
	fputs("[", f);
	for (size_t i = 0; i < run->n; i++) {
		char *s = report_json(&run->v[i]);
		fprintf(f, "%s\n%s", i ? "," : "", s ? s : "null");
		free(s);
	}
	fputs(run->n ? "\n]\n" : "]\n", f);
	if (fclose(f) != 0) {
		fprintf(stderr, "mapsan: --json %s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}

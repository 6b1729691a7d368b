/* buggy-demo MODE: runs one deliberate misuse (overrun, double, use, free)
 * or the correct sequence (clean). */
#include "buggy.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(void);
} modes[] = {
	{ "overrun", buggy_overrun },
	{ "double", buggy_double_unmap },
	{ "use", buggy_use_after_unmap },
	{ "free", buggy_free_mapping },
	{ "clean", buggy_clean },
};

static int usage(void)
{
	fprintf(stderr, "usage: buggy-demo overrun|double|use|free|clean\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return usage();
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name) == 0) {
			int r = modes[i].run();
			printf("buggy-demo %s: returned %d\n", modes[i].name, r);
			return r == 0 ? 0 : 1;
		}
	}
	return usage();
}

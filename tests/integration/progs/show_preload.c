/* Prints LD_PRELOAD and whether each preloaded library is in the process. */
#include "prog.h"

int main(void)
{
	const char *pre = getenv("LD_PRELOAD");
	printf("LD_PRELOAD=%s\n", pre ? pre : "");
	FILE *maps = fopen("/proc/self/maps", "r");
	if (!maps)
		die("/proc/self/maps");
	char line[1024];
	int mapsan = 0, jemalloc = 0;
	while (fgets(line, sizeof line, maps)) {
		mapsan |= strstr(line, "libmapsan.so") != NULL;
		jemalloc |= strstr(line, "libjemalloc") != NULL;
	}
	fclose(maps);
	printf("mapsan %s, jemalloc %s\n", mapsan ? "loaded" : "absent", jemalloc ? "loaded" : "absent");
	return 0;
}

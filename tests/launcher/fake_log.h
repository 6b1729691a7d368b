/* What the test doubles of the runtime share: the log file that the
 * launcher names in MAPSAN_OPTIONS, written the way the runtime writes it. */
#ifndef MAPSAN_FAKE_LOG_H
#define MAPSAN_FAKE_LOG_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The last log_path= in MAPSAN_OPTIONS, as the runtime's parser reads it. */
static inline int fake_log_path(char *buf, size_t cap)
{
	const char *opts = getenv("MAPSAN_OPTIONS");
	const char *p = opts, *hit = NULL;

	while (p && (p = strstr(p, "log_path=")) != NULL) {
		if (p == opts || p[-1] == ':')
			hit = p + 9;
		p += 9;
	}
	if (!hit)
		return -1;
	size_t len = strcspn(hit, ":");
	if (len + 1 > cap)
		return -1;
	memcpy(buf, hit, len);
	buf[len] = '\0';
	return 0;
}

/* Appends text to PATH.PID whole, with one write, as the runtime does. */
static inline int fake_log_write(const char *text)
{
	char base[4096], path[4200];
	int fd;

	if (fake_log_path(base, sizeof base) != 0)
		return -1;
	snprintf(path, sizeof path, "%s.%d", base, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

#endif

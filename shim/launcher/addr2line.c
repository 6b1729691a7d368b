#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "symbolize.h"

/* The runtime already records each return address minus one, so the
 * offset names the call instruction itself. A non-PIE executable's offsets
 * may be relative to its load address, which addr2line does not know. */
static uint64_t lookup_address(uint64_t off, const elf_info *e)
{
	return e->exec && off < e->bias ? off + e->bias : off;
}

static bool write_input(const a2l_module *m, const elf_info *e, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return false;
	for (size_t i = 0; i < m->n; i++)
		fprintf(f, "0x%llx\n", (unsigned long long)lookup_address(m->offs[i], e));
	return fclose(f) == 0;
}

static pid_t spawn(const char *tool, const char *module, const char *input, int *out_fd)
{
	int pipefd[2], in;
	pid_t p;

	if ((in = open(input, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		close(in);
		return -1;
	}
	p = fork();
	if (p == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(in, 0);
		dup2(pipefd[1], 1);
		/* Its complaints about odd debug info are not the user's business. */
		if (null >= 0)
			dup2(null, 2);
		/* Offline, as SPEC §2 says: a debuginfod server would turn each
		 * module into a network round trip, or a hang without network. */
		unsetenv("DEBUGINFOD_URLS");
		execl(tool, "addr2line", "-C", "-f", "-i", "-a", "-e", module, (char *)NULL);
		_exit(127);
	}
	close(in);
	close(pipefd[1]);
	if (p < 0)
		close(pipefd[0]);
	*out_fd = pipefd[0];
	return p;
}

static char *unknown_or_dup(const char *s)
{
	return s[0] == '\0' || strncmp(s, "??", 2) == 0 ? NULL : strdup(s);
}

/* "file:line", "file:line (discriminator N)", "??:0" or "??:?". */
static void parse_location(char *loc, a2l_entry *e)
{
	char *paren = strstr(loc, " (discriminator");
	char *colon;

	if (paren)
		*paren = '\0';
	colon = strrchr(loc, ':');
	if (colon) {
		*colon = '\0';
		e->line = (unsigned)strtoul(colon + 1, NULL, 10);
	}
	e->file = unknown_or_dup(loc);
}

static void result_add(a2l_result *r, char *function, char *location)
{
	a2l_entry *v = realloc(r->e, (r->n + 1) * sizeof *v), *e;

	if (!v)
		return;
	r->e = v;
	e = &v[r->n++];
	memset(e, 0, sizeof *e);
	parse_location(location, e);
	/* Without a line table addr2line names the nearest preceding symbol,
	 * however far past its end the address lies: in a stripped library
	 * every static function reads as the exported one before it. The
	 * runtime's name, which checks symbol sizes, is the better guess. */
	if (e->file)
		e->function = unknown_or_dup(function);
}

static bool is_address_line(const char *s)
{
	if (strncmp(s, "0x", 2) != 0 || !s[2])
		return false;
	return strspn(s + 2, "0123456789abcdefABCDEF") == strlen(s + 2);
}

static void read_output(int fd, a2l_module *m)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL, *function = NULL;
	size_t cap = 0;
	ssize_t len;
	long k = -1;

	if (!f) {
		close(fd);
		return;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!function && is_address_line(line)) {
			k++;
		} else if (k >= 0 && (size_t)k < m->n && !function) {
			function = strdup(line);
		} else if (function) {
			result_add(&m->res[k], function, line);
			free(function);
			function = NULL;
		}
	}
	free(function);
	free(line);
	fclose(f);
}

void addr2line_module(a2l_module *m, const char *tool, const char *scratch)
{
	elf_info e;
	int fd, status;
	pid_t p;

	if (!m->res || !elf_inspect(m->path, &e) || !write_input(m, &e, scratch))
		return;
	p = spawn(tool, m->path, scratch, &fd);
	if (p < 0)
		return;
	read_output(fd, m);
	while (waitpid(p, &status, 0) < 0 && errno == EINTR)
		;
	unlink(scratch);
}

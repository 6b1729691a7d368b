/* Criterion assertions over a finished run, with the run's reports and
 * stderr in every failure message. */
#ifndef IT_EXPECT_H
#define IT_EXPECT_H

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

#define RUN_FMT "reports [%s], exit %d, signal %d%s\nstdout: %.2000s\nstderr: %.2000s"
#define RUN_ARGS(r) it_kinds(r), (r)->code, (r)->sig, (r)->timed_out ? " (timed out)" : "", (r)->out, (r)->err
/* For messages with nothing else to format. */
#define RUN_CONTEXT(r) RUN_FMT, RUN_ARGS(r)

/* The run exited with `code` and made exactly one report, of `kind`. */
#define expect_one(r, kind, code_) do { \
	cr_assert_eq((r)->nreports, 1, "want one %s report; " RUN_FMT, (kind), RUN_ARGS(r)); \
	cr_assert_eq(it_count((r), (kind)), 1, "want kind %s; " RUN_FMT, (kind), RUN_ARGS(r)); \
	cr_assert((r)->exited && (r)->code == (code_), "want exit %d; " RUN_FMT, (code_), RUN_ARGS(r)); \
} while (0)

/* The run was clean: no report, exit 0, and the program reached its end. */
#define expect_clean(r, last_line) do { \
	cr_assert_eq((r)->nreports, 0, "want no report; " RUN_CONTEXT(r)); \
	cr_assert((r)->exited && (r)->code == 0, "want exit 0; " RUN_CONTEXT(r)); \
	cr_assert(strstr((r)->out, last_line), "want \"%s\" on stdout; " RUN_FMT, last_line, RUN_ARGS(r)); \
} while (0)

#define expect_out(r, text) \
	cr_assert(strstr((r)->out, text), "want \"%s\" on stdout; " RUN_FMT, text, RUN_ARGS(r))
#define expect_err(r, text) \
	cr_assert(strstr((r)->err, text), "want \"%s\" on stderr; " RUN_FMT, text, RUN_ARGS(r))
#define expect_exit(r, code_) \
	cr_assert((r)->exited && (r)->code == (code_), "want exit %d; " RUN_FMT, (code_), RUN_ARGS(r))

#endif

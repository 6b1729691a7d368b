/* Criterion assertions over verdicts, with messages that show both sides. */
#ifndef MAPSAN_TEST_EXPECT_H
#define MAPSAN_TEST_EXPECT_H

#include <criterion/criterion.h>

#include "machine_fixture.h"

#define EXPECT_VERDICT(v, want, name)                                          \
	cr_expect(fx_matches(&(v), (want)), "%s: want %s, got %s", (name),     \
		  fx_describe_want(want), fx_describe(&(v)))

#define ASSERT_VERDICT(v, want, name)                                          \
	cr_assert(fx_matches(&(v), (want)), "%s: want %s, got %s", (name),     \
		  fx_describe_want(want), fx_describe(&(v)))

#define EXPECT_RANGE(v, want_base_, want_size_, name)                                      \
	cr_expect((v).map_base == (want_base_) && (v).map_size == (want_size_),            \
		  "%s: want range [%#llx, +%#llx), got %s", (name),            \
		  (unsigned long long)(want_base_),                             \
		  (unsigned long long)(want_size_), fx_describe(&(v)))

#define EXPECT_STACKS(v, origin, unmap, name)                                  \
	cr_expect((v).origin_stack == (origin) && (v).unmap_stack == (unmap),  \
		  "%s: want origin %u unmap %u, got %s", (name),               \
		  (unsigned)(origin), (unsigned)(unmap), fx_describe(&(v)))

#define ASSERT_MAP(m, addr, len, stack)                                        \
	cr_assert(fx_map((m), (addr), (len), (stack)),                         \
		  "setup mmap(%#llx, %#llx) was not clean",                    \
		  (unsigned long long)(addr), (unsigned long long)(len))

#define ASSERT_UNMAP(m, addr, len, stack)                                      \
	cr_assert(fx_unmap((m), (addr), (len), (stack)),                       \
		  "setup munmap(%#llx, %#llx) was not clean",                  \
		  (unsigned long long)(addr), (unsigned long long)(len))

/* The live mapping at addr is exactly [base, base+size) made at origin. */
#define EXPECT_LIVE(m, at_, want_base_, want_size_, want_origin_)                               \
	do {                                                                   \
		ms_range_info li_ = { 0 };                                             \
		bool found_ = ms_find_live((m), (at_), &li_);                 \
		cr_expect(found_ && li_.base == (want_base_) && li_.size == (want_size_)   \
				  && li_.origin_stack == (want_origin_),             \
			  "live at %#llx: want [%#llx, +%#llx) origin %u, "    \
			  "got %s [%#llx, +%#llx) origin %u",                  \
			  (unsigned long long)(at_),                          \
			  (unsigned long long)(want_base_),                          \
			  (unsigned long long)(want_size_), (unsigned)(want_origin_),      \
			  found_ ? "" : "none", (unsigned long long)li_.base,  \
			  (unsigned long long)li_.size, li_.origin_stack);     \
	} while (0)

#define EXPECT_NOT_LIVE(m, addr)                                               \
	do {                                                                   \
		ms_range_info nl_ = { 0 };                                             \
		cr_expect(!ms_find_live((m), (addr), &nl_),                    \
			  "%#llx should not be live, is in [%#llx, +%#llx)",   \
			  (unsigned long long)(addr),                          \
			  (unsigned long long)nl_.base,                        \
			  (unsigned long long)nl_.size);                       \
	} while (0)

#endif

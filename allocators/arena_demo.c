/* Builds a linked list and a table of strings in an arena, checks them and
 * frees everything at once. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct node {
	struct node *next;
	uint64_t value;
} node;

static node *list_build(arena *a, unsigned count)
{
	node *head = NULL;
	for (unsigned i = 0; i < count; i++) {
		node *n = arena_alloc(a, sizeof(*n), _Alignof(node));
		if (!n)
			return NULL;
		n->value = (uint64_t)i * i;
		n->next = head;
		head = n;
	}
	return head;
}

static uint64_t list_sum(const node *n)
{
	uint64_t sum = 0;
	for (; n; n = n->next)
		sum += n->value;
	return sum;
}

static int strings_fill(arena *a, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		size_t len = 16 + (i * 37) % 3000;
		char *s = arena_alloc(a, len, 1);
		if (!s)
			return -1;
		memset(s, 'a' + (int)(i % 26), len);
	}
	return 0;
}

int main(void)
{
	arena *a = arena_create(64 * 1024);
	if (!a) {
		perror("arena_create");
		return 1;
	}
	node *list = list_build(a, 10000);
	if (!list || strings_fill(a, 2000) != 0) {
		fprintf(stderr, "arena-demo: out of memory\n");
		arena_destroy(a);
		return 1;
	}
	uint64_t sum = list_sum(list);
	size_t regions = arena_regions(a);
	size_t used = arena_used(a);
	arena_destroy(a);
	printf("arena-demo: sum %llu, %zu bytes in %zu regions\n",
	       (unsigned long long)sum, used, regions);
	return sum == 333283335000ULL ? 0 : 1;
}

#include <ffi.h>

#include "native.h"

typedef union {
	int i;
	long l;
	size_t z;
	uint64_t u;
	void *p;
	ffi_arg wide; /* libffi widens small integer returns to ffi_arg */
} c_value;

static ffi_type *ffi_type_of(sn_ctype t)
{
	switch (t) {
	case SN_C_INT: return &ffi_type_sint;
	case SN_C_LONG: return &ffi_type_slong;
	case SN_C_SIZE: return sizeof(size_t) == 8 ? &ffi_type_uint64 : &ffi_type_uint32;
	case SN_C_U64: return &ffi_type_uint64;
	case SN_C_PTR: return &ffi_type_pointer;
	default: return &ffi_type_void;
	}
}

static void c_store(c_value *v, sn_ctype t, uint64_t x)
{
	switch (t) {
	case SN_C_INT: v->i = (int)x; break;
	case SN_C_LONG: v->l = (long)x; break;
	case SN_C_SIZE: v->z = (size_t)x; break;
	case SN_C_PTR: v->p = (void *)(uintptr_t)x; break;
	default: v->u = x; break;
	}
}

static uint64_t c_load(const c_value *v, sn_ctype t)
{
	switch (t) {
	case SN_C_INT: return (uint64_t)(int64_t)(int)(ffi_sarg)v->wide;
	case SN_C_LONG: return (uint64_t)(int64_t)v->l;
	case SN_C_SIZE: return v->z;
	case SN_C_PTR: return (uint64_t)(uintptr_t)v->p;
	case SN_C_VOID: return 0;
	default: return v->u;
	}
}

bool native_ffi(void *fn, const sn_stmt *st, const uint64_t *args, uint64_t *ret)
{
	ffi_cif cif;
	ffi_type *types[SN_MAX_FFI_ARGS];
	c_value values[SN_MAX_FFI_ARGS], result = {0};
	void *ptrs[SN_MAX_FFI_ARGS];
	for (unsigned i = 0; i < st->nffi; i++) {
		types[i] = ffi_type_of(st->ffi_type[i]);
		c_store(&values[i], st->ffi_type[i], args[i]);
		ptrs[i] = &values[i];
	}
	if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, st->nffi, ffi_type_of(st->ffi_ret), types) != FFI_OK)
		return false;
	ffi_call(&cif, FFI_FN(fn), &result, ptrs);
	*ret = c_load(&result, st->ffi_ret);
	return true;
}

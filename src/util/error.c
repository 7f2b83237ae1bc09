#define _GNU_SOURCE
#include "util/error.h"

#include <string.h>

const char *ry_strerror(int code)
{
	switch (code) {
	case 0:             return "success";
	case RY_EPANICKED:  return "panicked";
	case RY_EPOISONED:  return "poisoned";
	case RY_EBORROW:    return "already mutably borrowed";
	case RY_EBORROWMUT: return "already borrowed";
	case RY_ENOTNUM:    return "not a number";
	case RY_ENONAME:    return "name not found";
	case RY_EBADADDR:   return "not a valid address";
	}
	if (code < 0) {
		/* strerrordesc_np is thread-safe and never writes a buffer,
		 * unlike strerror. */
		const char *s = strerrordesc_np(-code);
		if (s)
			return s;
	}
	return "unknown error";
}

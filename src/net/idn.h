/*
 * idn: internationalised host names (IDNA) to the ASCII form DNS carries
 * (punycode, "bücher.example" -> "xn--bcher-kva.example"), through
 * libidn2 as getent and dig convert them: UTS #46 non-transitional
 * processing with NFC input, falling back to transitional for a name
 * that only the older rules allow (glibc's order).
 *
 * Thread safety: reentrant.
 */
#ifndef RY_NET_IDN_H
#define RY_NET_IDN_H

#include <stdbool.h>

/* Whether name holds a byte outside ASCII (and so needs converting). */
bool ry_idn_needed(const char *name);

/* The ASCII form of name (NUL-terminated UTF-8) in *ascii, malloc'd: the
 * caller frees it.  0; RY_EBADADDR with *why (static text) for a name
 * IDNA does not allow or text that is not UTF-8; -ENOMEM. */
int ry_idn_to_ascii(const char *name, char **ascii, const char **why);

#endif

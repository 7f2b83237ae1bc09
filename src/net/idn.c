/*
 * idn: host names to their ASCII form with libidn2 (see idn.h).
 */
#include "net/idn.h"

#include <errno.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

bool ry_idn_needed(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p >= 0x80)
			return true;
	return false;
}

int ry_idn_to_ascii(const char *name, char **ascii, const char **why)
{
	char *out = NULL;
	int rc = idn2_to_ascii_8z(name, &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);

	if (rc == IDN2_DISALLOWED)
		rc = idn2_to_ascii_8z(name, &out, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
	if (rc == IDN2_MALLOC) {
		*why = "out of memory";
		return -ENOMEM;
	}
	if (rc != IDN2_OK) {
		/* idn2_strerror's texts are constant. */
		*why = rc == IDN2_ENCODING_ERROR || rc == IDN2_NFC ? "not valid UTF-8 text"
		       : idn2_strerror(rc);
		return RY_EBADADDR;
	}
	/* The caller frees with free(); libidn2 asks for idn2_free. */
	*ascii = strdup(out);
	idn2_free(out);
	if (!*ascii) {
		*why = "out of memory";
		return -ENOMEM;
	}
	return 0;
}

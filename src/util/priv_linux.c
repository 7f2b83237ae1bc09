#define _GNU_SOURCE
#include "util/priv.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool started_privileged;

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d) == 0 ? 0 : -errno;
}

/* Sets effective and permitted to (what is permitted now) & keep, and
 * inheritable to nothing. */
static int caps_limit(uint32_t keep_lo, uint32_t keep_hi)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int rc = caps_get(d);

	if (rc != 0)
		return rc;
	d[0].permitted &= keep_lo;
	d[1].permitted &= keep_hi;
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	d[0].inheritable = d[1].inheritable = 0;
	return syscall(SYS_capset, &h, d) == 0 ? 0 : -errno;
}

static bool any_permitted(void)
{
	struct __user_cap_data_struct d[2];

	return caps_get(d) == 0 && (d[0].permitted || d[1].permitted);
}

#define NET_RAW_LO (1u << CAP_NET_RAW)	/* CAP_NET_RAW is 13: the low word */

int ry_priv_drop_setid(void)
{
	uid_t ruid = getuid(), euid = geteuid();
	gid_t rgid = getgid(), egid = getegid();
	bool root = euid == 0;

	started_privileged = euid == 0 || any_permitted() || ruid != euid || rgid != egid;
	if (ruid == euid && rgid == egid)
		return 0;
	/* Keep the capabilities across the change of uid, then narrow
	 * them: only a setuid-root start had any, and only CAP_NET_RAW is
	 * of use. */
	if (root && ruid != 0 && prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0)
		return -errno;
	if (setresgid(rgid, rgid, rgid) != 0 || setresuid(ruid, ruid, ruid) != 0)
		return -errno;
	if (getegid() != rgid || geteuid() != ruid)
		return -EPERM;
	if (root && ruid != 0) {
		(void)prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
		return caps_limit(NET_RAW_LO, 0);
	}
	return 0;
}

/* Keeps at most the capabilities in keep_lo (the low word: CAP_NET_RAW
 * or none) in the bounding set, the ambient set and the process's own. */
static int keep_only(uint32_t keep_lo)
{
	/* The bounding set first, while CAP_SETPCAP is still held: what
	 * is not in it no spawned program can gain, even as root.  Without
	 * CAP_SETPCAP (an ordinary user) there is nothing to drop there. */
	for (int c = 0; c <= 63 && prctl(PR_CAPBSET_READ, (long)c, 0L, 0L, 0L) >= 0; c++) {
		if ((c < 32 && (keep_lo & (1u << c))) || prctl(PR_CAPBSET_READ, (long)c, 0L, 0L, 0L) == 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, (long)c, 0L, 0L, 0L) != 0 && errno != EPERM)
			return -errno;
	}
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L);
	return caps_limit(keep_lo, 0);
}

int ry_priv_keep_net_raw(void)
{
	return keep_only(NET_RAW_LO);
}

int ry_priv_drop_all(void)
{
	return keep_only(0);
}

int ry_priv_drop_thread(void)
{
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L);
	return caps_limit(0, 0);
}

bool ry_priv_started_privileged(void)
{
	return started_privileged;
}

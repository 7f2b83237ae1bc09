/*
 * sweep_record: the record of one sweep target, plain and JSON, in one
 * place: ping-sweep writes every target's line through it, with the
 * keys the --resume reader (net/sweep_plan, RY_SWEEP_KEY_*) reads back,
 * so the two cannot drift apart.
 *
 * Plain: ADDR [NAME] [STATE [ERROR]] [RTT ms] [MAC], columns chosen by
 * the options (the name column, --all, -l); count mode: ADDR [NAME]
 * xmt/rcv/%loss = S/R/L% [min/avg/max = A/B/C] [RTT...].  JSON: every
 * field, always, with null for what is not known.
 *
 * Thread safety: plain functions of their arguments.
 */
#ifndef RY_NET_SWEEP_RECORD_H
#define RY_NET_SWEEP_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "net/sweep_job.h"
#include "util/out.h"

struct ry_sweep_record_form {
	bool name_column;	/* NAME: a target was given by name, or -d */
	bool rdns;		/* -d: the rdns field (JSON) */
	bool state;		/* --all: STATE and ERROR in plain too */
	bool rtt;		/* -l, --all: RTT and MAC in plain too */
	bool shard;		/* --shard: the shard field (JSON) */
	uint64_t shard_k;
};

/* One target of a sweep (or of -u, --all, --sort) into rec, put. */
void ry_sweep_record_target(struct ry_rec *rec, const struct ry_sweep_view *v,
			    const struct ry_sweep_record_form *f);
/* One target's count-mode statistics into rec, put. */
void ry_sweep_record_count(struct ry_rec *rec, const struct ry_sweep_view *v,
			   const struct ry_sweep_record_form *f);

#endif

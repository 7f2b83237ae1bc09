/*
 * sweep_record: a sweep target's record (see sweep_record.h).
 */
#include <stdio.h>
#include <string.h>

#include "net/sweep_record.h"

/* The fields both forms open with: the address, and the name column
 * (plain: the name given, else the PTR name (-d), else "-", so that
 * columns stay put; JSON: both fields). */
static void begin(struct ry_rec *rec, const struct ry_sweep_view *v, const struct ry_sweep_record_form *f,
		  bool with_rdns)
{
	char addr[RY_ADDRSTR_MAX];

	ry_ipaddr_str(v->addr, addr, sizeof addr);
	ry_rec_begin(rec);
	ry_rec_cstr(rec, RY_SWEEP_KEY_ADDRESS, addr, 0);
	if (!f->name_column)
		return;
	const char *shown = v->given ? v->given : v->rdns ? v->rdns : "-";
	ry_rec_str(rec, "name", shown, strlen(shown), RY_REC_PLAIN);
	if (v->given)
		ry_rec_cstr(rec, "name", v->given, RY_REC_JSON);
	else
		ry_rec_null(rec, "name");
	if (with_rdns && v->rdns)
		ry_rec_str(rec, "rdns", v->rdns, strlen(v->rdns), RY_REC_JSON);
	else if (with_rdns)
		ry_rec_null(rec, "rdns");
}

static void end(struct ry_rec *rec, const struct ry_sweep_view *v, const struct ry_sweep_record_form *f)
{
	ry_rec_cstr(rec, "method", v->method, RY_REC_JSON);
	if (f->shard)
		ry_rec_int(rec, "shard", (long long)f->shard_k, RY_REC_JSON);
	ry_rec_put(rec);
}

void ry_sweep_record_target(struct ry_rec *rec, const struct ry_sweep_view *v,
			    const struct ry_sweep_record_form *f)
{
	begin(rec, v, f, f->rdns);
	/* A target a stop kept from being probed, or from being given
	 * up, is neither up nor down (--resume probes it again). */
	ry_rec_bool(rec, "alive", v->up, RY_REC_JSON);
	ry_rec_cstr(rec, RY_SWEEP_KEY_STATE, v->state, f->state ? 0 : RY_REC_JSON);
	if (!v->up && v->fail)	/* "host unreachable from 10.0.0.254" */
		ry_rec_cstr(rec, "error", v->fail, f->state ? 0 : RY_REC_JSON);
	if (v->up && v->rtt >= 0)
		ry_rec_num(rec, "rtt_ms", v->rtt / 1e6, 3, " ms", f->rtt ? 0 : RY_REC_JSON);
	else
		ry_rec_null(rec, "rtt_ms");
	if (v->mac) {	/* ARP: the hardware address that answered */
		char mac[RY_MAC_STR];
		ry_mac_str(v->mac, mac);
		ry_rec_cstr(rec, "mac", mac, f->rtt ? 0 : RY_REC_JSON);
	}
	end(rec, v, f);
}

/* fping -c's numbers: "ADDR xmt/rcv/%loss = 3/3/0%, min/avg/max =
 * 0.031/0.040/0.052" (-C: then each probe's RTT, - for a lost one). */
void ry_sweep_record_count(struct ry_rec *rec, const struct ry_sweep_view *v,
			   const struct ry_sweep_record_form *f)
{
	char text[160];

	begin(rec, v, f, false);	/* -d names the live hosts of a sweep */
	ry_rec_int(rec, "sent", v->sent, RY_REC_JSON);
	ry_rec_int(rec, RY_SWEEP_KEY_RECEIVED, v->recv, RY_REC_JSON);
	ry_rec_int(rec, "loss_pct", v->loss_pct, RY_REC_JSON);
	snprintf(text, sizeof text, "xmt/rcv/%%loss = %u/%u/%u%%", v->sent, v->recv, v->loss_pct);
	ry_rec_cstr(rec, "stats", text, RY_REC_PLAIN);
	if (v->recv) {
		ry_rec_num(rec, "rtt_min_ms", v->rmin / 1e6, 3, NULL, RY_REC_JSON);
		ry_rec_num(rec, "rtt_avg_ms", v->ravg / 1e6, 3, NULL, RY_REC_JSON);
		ry_rec_num(rec, "rtt_max_ms", v->rmax / 1e6, 3, NULL, RY_REC_JSON);
		snprintf(text, sizeof text, "min/avg/max = %.3f/%.3f/%.3f", v->rmin / 1e6, v->ravg / 1e6,
			 v->rmax / 1e6);
		ry_rec_cstr(rec, "rtts", text, RY_REC_PLAIN);
	} else {
		ry_rec_null(rec, "rtt_min_ms");
		ry_rec_null(rec, "rtt_avg_ms");
		ry_rec_null(rec, "rtt_max_ms");
	}
	if (v->each) {
		ry_rec_list_begin(rec, "rtts_ms", 0);
		for (unsigned k = 0; k < v->neach; k++)
			ry_rec_list_num(rec, v->each[k] / 1e6, 3, v->each[k] < 0);
		ry_rec_list_end(rec);
	}
	end(rec, v, f);
}

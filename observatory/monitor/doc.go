// Package monitor is the observatory's own availability monitor: a
// long-running loop that probes every procedure's start URL at an
// interval, stores each sample durably under a data folder, and sums a
// quarter up per procedure (uptime, mean and median time to first byte,
// coverage) for the availability criterion and for people.
//
// # Probing
//
// The monitor works in rounds, one per interval. In a round each
// procedure's start URL gets one plain HTTP GET with the scanner's probe
// ([scanner.ProbeURL]: status, time to first byte, DNS/TLS/timeout
// classification, a cold connection each time). Each probe starts at a
// random offset within the first part of the round (the jitter), so that
// hosts are not hit in lockstep, and at most Options.PerHost probes of one
// host run at once (per-host politeness, as in the scanner). A host that
// times out costs the round one timeout: its procedures not yet probed in
// that round are recorded as timed out without waiting again (the default
// catalogue has up to 20 procedures on one host; 20 timeouts of 15 s in a
// row would stretch every round to five minutes).
//
// # Gaps are not downtime
//
// Two kinds of time are excluded from uptime and reported as gaps:
//   - the monitor was not running: no sample was taken. It is found on
//     read, from the samples' own times: each sample covers the time since
//     the procedure's previous sample when that is at most two intervals,
//     else one interval; the rest of the window is not covered;
//   - the machine had no network: a round in which not one probe got an
//     HTTP answer while it probed at least two distinct hosts. Its samples
//     are stored with a flag and counted as gap, not as downtime. (With a
//     single host the monitor cannot tell a host that is down from a
//     network that is down: it counts downtime.)
//
// A host that fails while others answer is downtime.
//
// # Storage
//
// One append-only file per procedure per UTC day,
// DIR/monitor/<procedure id>/<YYYY-MM-DD>.smp, of fixed-size 16-byte
// binary records (see [RecordSize]): time of day in milliseconds, time to
// first byte in microseconds, the monitor's interval in milliseconds, the
// HTTP status, the failure kind and the no-network flag, and a check byte.
// A quarter of 250 procedures probed every minute is about 33 million
// samples, 530 MB; one procedure's quarter is about 92 files of 23 KiB,
// 2.1 MB, so the availability of one procedure is read without touching
// the others'. An embedded database was not chosen: it would add a
// dependency and a single file whose corruption loses everything, for
// data that is only ever appended and read back by procedure and by day.
// Plain files are also easy to copy, prune (delete old days) and inspect.
//
// Durability: the samples of a round are written when the round ends, one
// write(2) per procedure, so a process killed with SIGKILL loses at most
// the round in flight, one sample per procedure (the kernel keeps what
// was written). The files are fsync'ed at most every Options.SyncEvery
// (default one minute) and on a clean stop, which bounds what a power
// failure can lose. A torn last record (a file whose size is not a
// multiple of 16, or a record whose check byte or fields are wrong) is
// dropped on read and counted; the writer cuts a torn tail off before it
// appends, so the records that follow stay aligned.
//
// # Prometheus
//
// [Monitor.Handler] serves /metrics with the official Prometheus Go client
// (per-procedure up/down, last time to first byte, probe counts) and
// /healthz (200 while rounds complete and samples are written, 503
// otherwise).
package monitor

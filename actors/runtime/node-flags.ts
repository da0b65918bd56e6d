/**
 * The V8 flags every fundcore process runs with (package.json's start scripts say the same;
 * the processes fundcore and its bench spawn pass these).
 *
 * `--max-semi-space-size=128` (MiB): an actor system allocates a great many short-lived objects
 * per command (messages, events, their encodings, promises). With V8's default young
 * generation they are promoted and collected as old ones; a larger semi-space lets them die
 * young. Measured on this 2-core machine, same build, one run after the other: V8's default
 * → 64 MiB, the in-process hot account 8,379 / 9,116 → 10,123 transfers/s, the repayment day
 * at 1,000 loans 312 / 320 → 365 / 349 payments/s, for ~80 MiB more resident memory; 64 →
 * 128 MiB (2026-12-07), the day at 2,000 loans 496 → 552 payments/s (means of five runs),
 * single transfers 9,433 → 10,011/s, batches unchanged, for 120–180 MiB more; 256 MiB gained
 * nothing more and took 500 MiB more (docs/benchmarks.md).
 */
export const nodeRuntimeFlags: readonly string[] = ['--max-semi-space-size=128'];

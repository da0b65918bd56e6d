import type { ConnectionOptions } from '@nats-io/transport-node';

/**
 * How every fundcore process connects to NATS. It reconnects for ever (a node or gateway
 * outlives a NATS restart) and skips the client's async traces: by default the client builds
 * an Error, with its stack, for every request and JetStream publish, in case it fails —
 * several per cent of a busy gateway's CPU — while fundcore maps every NATS failure to its
 * own runtime error (cluster/nats-errors.ts) and never reads that stack.
 */
export function natsConnectionOptions(servers: string, name: string, reconnectTimeWaitMs = 250): ConnectionOptions {
  return { servers, name, maxReconnectAttempts: -1, reconnectTimeWait: reconnectTimeWaitMs, noAsyncTraces: true };
}

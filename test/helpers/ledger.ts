import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { AccountKind } from '../../core/ledger/account.js';
import { FundcoreNode, type NodeOptions } from '../../actors/node.js';
import type { TransferInput } from '../../actors/ledger/ledger-api.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { partFor } from '../../core/ledger/routing.js';

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: Test, prefix = 'fundcore-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A node on an in-memory journal, stopped when the test ends. */
export function memoryNode(t: Test, options: Partial<NodeOptions> = {}): FundcoreNode {
  const node = FundcoreNode.start({ journal: new MemoryJournal(), ...options });
  t.teardown(() => node.stop());
  return node;
}

export async function openAccount(node: FundcoreNode, id: string, kind: AccountKind = 'investor_wallet', overdraft = false): Promise<void> {
  const reply = await node.ledger.openAccount({ id, kind, currency: 'CNY', overdraft });
  if (!reply.ok) throw new Error(`open ${id}: ${reply.code}`);
}

export function transfer(id: string, debit: string, credit: string, amount: string, extra: Partial<TransferInput> = {}): TransferInput {
  return { id, debit, credit, amount, pending: false, timeoutMs: null, memo: null, ...extra };
}

/** Waits until the relay has delivered everything (all credits landed). */
export async function quiescent(node: FundcoreNode, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (node.system.relay.backlog > 0) {
    // What the relay holds says why: queued, in flight (an ask unanswered) or waiting to retry.
    if (Date.now() > deadline) throw new Error(`relay still holds ${node.system.relay.backlog} deliveries after ${timeoutMs} ms: ${JSON.stringify(node.system.relay.stats())}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function balanceOf(node: FundcoreNode, id: string): Promise<bigint> {
  const reply = await node.ledger.getAccount(id);
  if (!reply.ok) throw new Error(`get ${id}: ${reply.code}`);
  return reply.value.creditsPosted - reply.value.debitsPosted + reply.value.siblingNet;
}

/** A transfer id that a hot account of `parts` sub-accounts routes to `part`. */
export function idFor(prefix: string, part: number, parts: number): string {
  for (let n = 0; ; n++) if (partFor(`${prefix}-${n}`, parts) === part) return `${prefix}-${n}`;
}

import { systemAccounts } from '../actors/lending/ids.js';
import type { BankService } from '../actors/bank/bank-service.js';
import type { Logger } from '../actors/runtime/clock.js';
import { formatAmount } from '../core/money/amount.js';

type PlatformBank = Pick<BankService, 'openPlatformDepositoryAccount' | 'fundPlatformAccount'>;

/** How long start-up waits for the guarantee's depository account to open before giving up on the reserve. */
const guaranteeOpenWaitMs = 60_000;
const guaranteeOpenPollMs = 200;

/**
 * The platform's own depository accounts (revenue, guarantee): repayment batches pay interest
 * to the first, compensations come from the second, so a bank that books strictly must know
 * them. Idempotent by order number; a refusal throws (it cannot be served without them).
 */
export async function openPlatformDepositoryAccounts(bank: PlatformBank): Promise<void> {
  for (const account of [systemAccounts.revenue, systemAccounts.guarantee]) {
    const opened = await bank.openPlatformDepositoryAccount(account);
    if (!opened.ok) throw new Error(`cannot open the platform's depository account ${account}: ${opened.code}`);
  }
}

/**
 * Once the guarantee's depository account is open at the bank (asynchronous: its callback
 * needs the gateway listening), the platform's reserve is deposited there — once: the same
 * deposit id after a restart is the same order.
 */
export async function fundGuaranteeReserve(bank: PlatformBank, amountMinor: bigint, logger: Logger): Promise<void> {
  if (amountMinor === 0n) return;
  const deadline = Date.now() + guaranteeOpenWaitMs;
  while (Date.now() < deadline) {
    // Asking to open it again is the same order (idempotent): its answer says whether the bank opened it.
    const opening = await bank.openPlatformDepositoryAccount(systemAccounts.guarantee);
    if (opening.ok && opening.value.status === 'succeeded') {
      const funded = await bank.fundPlatformAccount('guarantee-reserve', systemAccounts.guarantee, amountMinor);
      if (funded.ok) logger.info({ amount: formatAmount(amountMinor, 'CNY'), orderNo: funded.value.orderNo }, 'guarantee reserve deposited at the bank');
      else logger.warn({ code: funded.code, detail: funded.detail }, 'guarantee reserve not deposited (a reserve of another amount was deposited before?)');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, guaranteeOpenPollMs));
  }
  logger.warn({ waitedMs: guaranteeOpenWaitMs }, "the guarantee's depository account did not open: no reserve deposited, compensations will fail at the bank");
}

import type { BusinessClock } from '../clock/business-clock.js';
import type { LendingConfig } from './lending-config.js';

/** What the lending behaviors read besides their state: the configuration and the business clock. */
export interface LendingDeps {
  readonly config: LendingConfig;
  readonly clock: BusinessClock;
}

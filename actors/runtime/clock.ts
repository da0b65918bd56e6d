/** Time and timers come in through these, so a simulation can drive them. */
export interface Clock {
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  after(delayMs: number, callback: () => void): TimerHandle;
  every(intervalMs: number, callback: () => void): TimerHandle;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  after(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  every(intervalMs, callback) {
    const handle = setInterval(callback, intervalMs);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

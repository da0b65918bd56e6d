/** A small JSON client over real HTTP (fetch) for the end-to-end and crash tests. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async get(path: string, key = this.key): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  async post(path: string, body?: object, key = this.key): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }
}

/** "12.34" → 1234n */
export function minorOf(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  const negative = (whole ?? '').startsWith('-');
  const value = BigInt((whole ?? '0').replace('-', '')) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -value : value;
}

export function amountOf(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

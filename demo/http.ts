/** A small JSON client for the demo: the API key on every call, the ops key where asked for. */
export interface Answer {
  readonly status: number;
  readonly body: any;
}

export class DemoHttp {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
    readonly opsKey: string,
  ) {}

  async get(path: string, key = this.apiKey): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: await bodyOf(response) };
  }

  async post(path: string, body?: object, key = this.apiKey): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await bodyOf(response) };
  }

  /** A POST that must answer one of `expected`; anything else stops the story with what the node said. */
  async must(path: string, body: object | undefined, expected: readonly number[], key = this.apiKey): Promise<any> {
    const answer = await this.post(path, body, key);
    if (!expected.includes(answer.status)) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async read(path: string, key = this.apiKey): Promise<any> {
    const answer = await this.get(path, key);
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  return (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
}

/** Polls until the condition holds, at most `timeoutMs`: the platform is asynchronous (the bank answers later). */
export async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s, and still not: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

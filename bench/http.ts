/** A browser-like JSON client: one cookie jar per person, real HTTP to 127.0.0.1. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly who: string,
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, expect: number[] = [200, 201]): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (!expect.includes(res.status)) throw new HttpError(res.status, parsed, `${this.who}: ${method} ${path}`);
    return { status: res.status, body: parsed as T };
  }

  post<T = unknown>(path: string, body: unknown = {}, expect?: number[]) {
    return this.request<T>('POST', path, body, expect);
  }

  get<T = unknown>(path: string, expect?: number[]) {
    return this.request<T>('GET', path, undefined, expect);
  }
}

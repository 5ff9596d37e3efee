/**
 * A tiny HTTP client for API tests: one instance is one "browser". It keeps the cookies the server
 * sets (the `evk.sid` session above all), sends JSON and reads JSON, and never follows redirects,
 * so a test sees exactly what the server answered.
 */

/**
 * A JSON answer as a test reads it: unchecked, field by field, at any depth (eslint.config.mjs turns
 * the no-unsafe rules off in test/ for this). A test that knows a route's type passes it: get<T>().
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one loose type of the tests' JSON answers, named once
export type LooseJson = any;

export interface HttpResponse<T = LooseJson> {
  status: number;
  headers: Headers;
  /** The body parsed as JSON when it is JSON, otherwise undefined. */
  body: T;
  text: string;
}

export interface BinaryResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

export interface RequestOptions {
  /** A value sent as JSON. */
  json?: unknown;
  /** A body sent as is (with the headers given). */
  raw?: string;
  headers?: Record<string, string>;
}

export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** The value of a cookie this browser holds, e.g. `cookie('evk.sid')`. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Every cookie this browser holds, as its `Cookie` header (for a request made with fetch itself). */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Forgets every cookie (a fresh browser). */
  clearCookies(): void {
    this.cookies.clear();
  }

  get<T = LooseJson>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { headers });
  }

  post<T = LooseJson>(path: string, json: unknown = {}, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { json, headers });
  }

  patch<T = LooseJson>(path: string, json: unknown = {}) {
    return this.request<T>('PATCH', path, { json });
  }

  /** A body-less DELETE still names the JSON type, as the API requires of every state-changing request (issue 9 item 8). */
  delete<T = LooseJson>(path: string) {
    return this.request<T>('DELETE', path, { headers: { 'content-type': 'application/json' } });
  }

  async request<T = LooseJson>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    const isJson = /\bjson\b/i.test(response.headers.get('content-type') ?? '');
    let body: unknown;
    if (isJson && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: response.status, headers: response.headers, body: body as T, text };
  }

  /** A download (a PDF): the bytes as they came. */
  async getBytes(path: string): Promise<BinaryResponse> {
    const response = await this.send('GET', path, {});
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined && method !== 'GET') {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    const cookieHeader = this.cookieHeader();
    if (cookieHeader) headers.cookie = cookieHeader;
    const url = /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.keepCookies(response);
    return response;
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((a) => {
        const [key, v = ''] = a.split('=');
        if (key.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

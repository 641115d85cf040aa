// One HTTP request to an address on this machine, optionally with a Host header of its own. Node's fetch
// silently drops a Host header, so a route that matches a host name (an Ingress rule, a Traefik
// IngressRoute) is reached through node:http instead.
import { request } from 'node:http';

/** What the endpoint answered. */
export interface HttpReply {
  /** Status code. */
  status: number;
  /** Body text (empty unless asked for; at most `MAX_BODY` bytes). */
  body: string;
}

/** Bodies are read up to this size: health pages and JSON answers, not downloads. */
export const MAX_BODY = 1024 * 1024;

/** What a request sends. */
export interface HttpOptions {
  /** Aborts the request. */
  signal: AbortSignal;
  /** Host header, when the route matches a host name. */
  host?: string;
  /** Whether to read the body of the answer. */
  readBody?: boolean;
}

/** GETs `url` (http only), sending `host` as the Host header when given; network errors carry their code as `cause`. */
export function httpGet(url: string, options: HttpOptions): Promise<HttpReply> {
  return httpRequest('GET', url, options);
}

/** POSTs `json` to `url` as application/json and reads the answer. */
export function httpPostJson(url: string, json: unknown, options: Omit<HttpOptions, 'readBody'>): Promise<HttpReply> {
  return httpRequest('POST', url, { ...options, readBody: true }, JSON.stringify(json));
}

function httpRequest(method: 'GET' | 'POST', url: string, options: HttpOptions, body?: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.host ? { host: options.host } : {};
    if (body !== undefined)
      Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    const req = request(url, { method, headers, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (!options.readBody || size >= MAX_BODY) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) }));
      res.on('error', (error) => reject(new Error(`reading the answer of ${url} failed`, { cause: error })));
    });
    req.on('error', (error) => reject(options.signal.aborted ? error : new Error(`${method} ${url} failed`, { cause: error })));
    req.end(body);
  });
}

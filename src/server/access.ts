import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const TOKEN_COOKIE = 'tamis_token';

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Host name of the Host header, without the port. */
function hostName(header: string | undefined): string {
  const h = (header ?? '').toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0] ?? '';
}

function deny(req: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply {
  if (req.url.startsWith('/api/')) return reply.code(status).send({ error: message });
  return reply.code(status).type('text/plain; charset=utf-8').send(message);
}

/**
 * Who may talk to the workbench. Without a token only loopback Host headers are answered (a web page
 * elsewhere cannot reach the case through DNS rebinding); with a token every request must carry it
 * (Authorization: Bearer, X-Tamis-Token, the cookie, or ?token= which then sets the HttpOnly cookie).
 * Writes must come from the workbench's own origin.
 */
export function installAccessControl(app: FastifyInstance, token: string | undefined): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!token) {
      const host = hostName(req.headers.host);
      if (!isLoopback(host)) {
        return deny(req, reply, 403, `This workbench answers only on loopback addresses, not "${host}". Open it at http://127.0.0.1:<port>/, or restart with --token to share it.`);
      }
    } else {
      const auth = req.headers.authorization;
      const fromQuery = (req.query as { token?: unknown }).token;
      const candidates = [
        auth?.startsWith('Bearer ') ? auth.slice(7) : undefined,
        typeof req.headers['x-tamis-token'] === 'string' ? req.headers['x-tamis-token'] : undefined,
        cookieValue(req.headers.cookie, TOKEN_COOKIE),
        typeof fromQuery === 'string' ? fromQuery : undefined,
      ];
      if (!candidates.some((c) => c !== undefined && sameToken(c, token))) {
        return deny(req, reply, 401, 'Access token missing or wrong: open the URL printed by `tamis serve` (it ends with ?token=…).');
      }
      if (typeof fromQuery === 'string' && sameToken(fromQuery, token)) {
        void reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== 'null') {
        let originHost = '';
        try {
          originHost = new URL(origin).host.toLowerCase();
        } catch {
          // unparsable origin: refused below
        }
        if (originHost !== (req.headers.host ?? '').toLowerCase()) {
          return deny(req, reply, 403, `Refused a change requested by another site (${origin}).`);
        }
      } else if (origin === 'null') {
        return deny(req, reply, 403, 'Refused a change requested from a sandboxed page.');
      }
    }
    return undefined;
  });
}

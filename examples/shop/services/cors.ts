// CORS for exactly one origin, the shell's. A page on any other origin gets no Access-Control-*
// headers, so the browser neither sends its preflighted call nor lets it read an answer.

export interface CorsDecision {
  /** Headers to add to the response. */
  headers: Record<string, string>;
  /** A preflight (OPTIONS with Access-Control-Request-Method): answer 204 with `headers` and stop. */
  preflight: boolean;
}

// Browsers cache a preflight at most this long anyway (Chromium caps at 2 hours); 10 minutes
// keeps a changed policy from lingering.
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function decideCors(allowedOrigin: string, request: { method: string; origin: string | undefined; requestMethod: string | undefined }): CorsDecision {
  const headers: Record<string, string> = { vary: 'Origin' };
  const preflight = request.method === 'OPTIONS' && request.requestMethod !== undefined;
  if (request.origin !== allowedOrigin) return { headers, preflight };
  headers['access-control-allow-origin'] = allowedOrigin;
  // Lets the micro frontend read why a token was refused (RFC 6750 §3).
  headers['access-control-expose-headers'] = 'WWW-Authenticate';
  if (preflight) {
    headers['access-control-allow-methods'] = 'GET';
    headers['access-control-allow-headers'] = 'Authorization';
    headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
  }
  return { headers, preflight };
}

// Structured JSON logs. Secrets never reach a log line: request bodies are not logged, and the
// redact list covers every field that could carry a credential.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'portcullis' },
    redact: {
      paths: ['password', '*.password', 'client_secret', '*.client_secret', 'token', '*.token', 'refresh_token', '*.refresh_token', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  });
}

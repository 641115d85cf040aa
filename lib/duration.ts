// Durations as people write and read them: `90s`, `5m`, `1m30s` parsed into ms, and ms formatted back.
import { ConfigError } from './errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses `5m`, `90s`, `1m30s`, `250ms`, `2h`, `1.5s` into ms; throws ConfigError naming the value. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (trimmed === '' || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new ConfigError(`"${text}" is not a duration`, 'Write a number with a unit, e.g. 250ms, 90s, 5m, 1m30s or 2h.');
  }
  return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (UNIT_MS[unit ?? ''] ?? NaN), 0));
}

/** Formats ms for people: `850ms`, `1.5s`, `45s`, `1m30s`, `3m`, `2h5m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1_000) return `${rounded}ms`;
  if (rounded < 60_000 && Math.round(rounded / 100) < 600) return `${Math.round(rounded / 100) / 10}s`;
  const total = Math.round(rounded / 1_000);
  const [h, m, s] = [Math.floor(total / 3_600), Math.floor((total % 3_600) / 60), total % 60];
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

import { StudioError } from './errors';

export const DEFAULT_BASE_URL = 'https://clients.csml.dev/v1/api';

/** True for hosts whose traffic never leaves this machine, where plain http cannot be sniffed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks the configured base URL before any credential is attached to a request to it:
 * https anywhere, http only to this machine, and no user info or query that would leak into logs.
 */
export function parseBaseUrl(raw: string): URL {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StudioError(
      'invalidBaseUrl',
      `The csml.apiBaseUrl setting ("${text.slice(0, 100)}") is not a URL; set it to ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StudioError('invalidBaseUrl', `The csml.apiBaseUrl setting must start with https://; set it to ${DEFAULT_BASE_URL}.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new StudioError(
      'invalidBaseUrl',
      `The csml.apiBaseUrl setting uses plain http:// to ${url.host}, which would expose signed requests; use https:// (plain http is only allowed to this machine).`,
    );
  }
  if (url.username || url.password) {
    throw new StudioError(
      'invalidBaseUrl',
      'The csml.apiBaseUrl setting must not contain a user name or password; remove them and store credentials with "CSML: Set API Credentials".',
    );
  }
  if (url.search || url.hash) {
    throw new StudioError(
      'invalidBaseUrl',
      `The csml.apiBaseUrl setting must not contain a query or fragment; set it to something like ${DEFAULT_BASE_URL}.`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Joins an API path onto the base URL, keeping the base's own path (`/v1/api`). */
export function endpointUrl(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname}${path}`;
  return url;
}

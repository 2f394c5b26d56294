/**
 * The browser half of the WebAuthn ceremonies (`@simplewebauthn/browser`): asks the server for options,
 * lets the browser talk to the security key or passkey, and sends the answer back. The browser's own
 * refusals (cancelled, timed out, no key) become ApiErrors with codes the page can explain.
 */
import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { ApiError, api } from '../api/client.js';

/** Code for a ceremony the person cancelled, or that timed out, or that no key answered. */
export const WEBAUTHN_CANCELLED = 'SVD_WEB_WEBAUTHN_CANCELLED';
/** Code for a browser without WebAuthn. */
export const WEBAUTHN_UNSUPPORTED = 'SVD_WEB_WEBAUTHN_UNSUPPORTED';

export function webauthnSupported(): boolean {
  return browserSupportsWebAuthn();
}

async function inBrowser<T>(ceremony: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) throw new ApiError(WEBAUTHN_UNSUPPORTED, 'WebAuthn is not supported', 0);
  try {
    return await ceremony();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const name = (error as { name?: string; cause?: { name?: string } }).cause?.name ?? (error as Error).name;
    if (name === 'InvalidStateError') throw new ApiError('SVD_AUTH_WEBAUTHN_REGISTERED', String(error), 409);
    throw new ApiError(WEBAUTHN_CANCELLED, (error as Error).message ?? String(error), 0);
  }
}

/** Adds a security key or passkey; signed in, `currentPassword` is required by the server. */
export async function registerSecurityKey(name: string, currentPassword?: string) {
  const { options } = await api.webauthnRegisterOptions(currentPassword);
  const response = await inBrowser(() =>
    startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON }),
  );
  return api.webauthnRegister(name, response);
}

/** The second factor of a sign-in with one of the account's keys. */
export async function signInWithSecurityKey() {
  const { options } = await api.webauthnAuthenticateOptions();
  const response = await inBrowser(() =>
    startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON }),
  );
  return api.webauthnAuthenticate(response);
}

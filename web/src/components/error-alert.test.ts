import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { i18next, initI18n } from '../i18n/index.js';
import { describeError } from './error-alert.js';

initI18n();

describe('describeError', () => {
  it('shows a translated message for a known code, and the code', async () => {
    await i18next.changeLanguage('be');
    const described = describeError(
      new ApiError('SVD_AUTH_BAD_CREDENTIALS', 'Wrong user name or password.', 401),
    );
    expect(described).toEqual({
      code: 'SVD_AUTH_BAD_CREDENTIALS',
      message: 'Няправільнае імя карыстальніка або пароль.',
    });
  });

  it("falls back to the server's message for a code without translation", async () => {
    await i18next.changeLanguage('ru');
    const described = describeError(
      new ApiError('SVD_EVIDENCE_DUPLICATE', 'This file is already in the vault.', 409),
    );
    expect(described).toEqual({
      code: 'SVD_EVIDENCE_DUPLICATE',
      message: 'This file is already in the vault.',
    });
  });

  it('gives a code to errors that did not come from the server', async () => {
    await i18next.changeLanguage('en');
    expect(describeError(new Error('boom')).code).toBe('SVD_WEB_UNEXPECTED');
  });
});

/**
 * Entry point. Reads the CSP nonce the server put in the page so Mantine's runtime <style> tags are allowed
 * under `style-src 'self' 'nonce-…'`; no inline script is ever needed.
 */
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router-dom';
import { ApiError } from './api/client.js';
import { App } from './app.js';
import { meQueryKey, SessionProvider } from './auth/session.js';
import { initI18n } from './i18n/index.js';
import { cssVariablesResolver, theme } from './theme.js';

const nonceMeta = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]');
// In development (vite dev server) the placeholder is not replaced; no nonce is then needed.
const nonce = nonceMeta?.content && nonceMeta.content !== '__CSP_NONCE__' ? nonceMeta.content : '';

// Mantine's modals lock page scroll through react-remove-scroll, which adds its own <style> tag and takes
// the nonce from this well-known global (package get-nonce); without it the CSP blocks that style.
(globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce || undefined;

const i18n = initI18n();

/** A session that ended on the server (expired, logged out elsewhere) sends the person back to login. */
function onApiError(error: unknown): void {
  if (error instanceof ApiError && (error.code === 'SVD_AUTH_REQUIRED' || error.code === 'SVD_AUTH_STAGE')) {
    void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 2,
      staleTime: 10_000,
    },
  },
});

const colorSchemeManager = localStorageColorSchemeManager({ key: 'sviedka.color-scheme' });

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <MantineProvider
        theme={theme}
        cssVariablesResolver={cssVariablesResolver}
        colorSchemeManager={colorSchemeManager}
        defaultColorScheme="light"
        getStyleNonce={() => nonce}
      >
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <App />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  </StrictMode>,
);

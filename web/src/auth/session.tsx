/**
 * Who is logged in and how far through the login steps they are. The server is the source of truth
 * (`/api/auth/me`); every step's response replaces the cached copy so the guard re-renders at once.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { api } from '../api/client.js';
import type { Locale, MeResponse, SessionStage, User } from '../api/types.js';
import { applyLanguage, i18next, isLanguage } from '../i18n/index.js';

export const meQueryKey = ['auth', 'me'] as const;

interface SessionValue {
  user: User | null;
  stage: SessionStage | null;
  isLoading: boolean;
  error: unknown;
  refetch: () => void;
  /** Stores the result of a login step (login, password change, TOTP). */
  setSession: (session: { user: User | null; stage: SessionStage | null }) => void;
  /** Changes the interface language, and the account's language when logged in. */
  changeLanguage: (language: Locale) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: meQueryKey,
    queryFn: api.me,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: 1,
  });

  const user = me.data?.user ?? null;
  const stage = me.data?.stage ?? null;

  // The account's language follows the person from device to device.
  useEffect(() => {
    if (user && isLanguage(user.locale) && user.locale !== i18next.language) void applyLanguage(user.locale);
  }, [user]);

  const setSession = useCallback<SessionValue['setSession']>(
    (session) => {
      queryClient.setQueryData<MeResponse>(meQueryKey, (previous) => ({
        csrfToken: previous?.csrfToken ?? '',
        user: session.user,
        stage: session.stage,
      }));
    },
    [queryClient],
  );

  const changeLanguage = useCallback<SessionValue['changeLanguage']>(
    async (language) => {
      await applyLanguage(language);
      const current = queryClient.getQueryData<MeResponse>(meQueryKey);
      if (current?.user && current.stage === 'ok' && current.user.locale !== language) {
        queryClient.setQueryData<MeResponse>(meQueryKey, {
          ...current,
          user: { ...current.user, locale: language },
        });
        await api.setLocale(language);
      }
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      // A fresh /me gives the anonymous CSRF token the next login needs; cached data of the old session goes.
      const anonymous = await api.me().catch(() => ({ user: null, stage: null, csrfToken: '' }));
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData<MeResponse>(meQueryKey, anonymous);
    }
  }, [queryClient]);

  const value = useMemo<SessionValue>(
    () => ({
      user,
      stage,
      isLoading: me.isLoading,
      error: me.error,
      refetch: () => void me.refetch(),
      setSession,
      changeLanguage,
      logout,
    }),
    [user, stage, me.isLoading, me.error, me.refetch, setSession, changeLanguage, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session; only inside SessionProvider. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

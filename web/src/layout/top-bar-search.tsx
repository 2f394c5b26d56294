/**
 * The top bar's name search: a name in any script or spelling (Belarusian or Russian Cyrillic, any Latin
 * transliteration) finds people and organizations through the screening search. "/" jumps here from
 * anywhere but a text field; typing shows up to eight results; arrows and Enter open an entity page, and the
 * last option opens the screening page with the name filled in. Only roles the search route admits see it.
 */
import { Badge, Combobox, Group, Kbd, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconListSearch, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { request } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { describeError } from '../components/error-alert.js';
import { useSchemaLabel } from '../registry/entities-page.js';
import type { MatchResult } from '../screening/api.js';
import { HighlightedName } from '../screening/highlight.js';
import {
  canSearch,
  isSearchShortcut,
  optionTarget,
  optionValue,
  percent,
  SEE_ALL,
  searchRequestPath,
  searchText,
} from './top-bar-search-model.js';

type SearchResult = Omit<MatchResult, 'match'>;

interface SearchResponse {
  results: SearchResult[];
  total: { value: number; relation: 'eq' | 'gte' };
}

/**
 * Secondary lines are the option's own colour, faded, not "dimmed" grey: the selected option is white on the
 * primary colour, where grey would fall below AA contrast.
 */
const SECONDARY = 0.85;

/** Waits this long after the last key before asking the server. */
const DEBOUNCE_MS = 250;

export function TopBarSearch() {
  const { user } = useSession();
  return canSearch(user?.role) ? <NameSearch /> : null;
}

function ResultOption({ result }: { result: SearchResult }) {
  const { t } = useTranslation();
  const schemaLabel = useSchemaLabel();
  const explanation = result.explanations[0];
  const matched = explanation?.tokens.map((token) => token.matched) ?? [];
  const matchedName = explanation?.matchedName;
  const birthDate = result.properties.birthDate?.[0];
  return (
    <Combobox.Option value={optionValue(result.id)} data-testid="top-bar-search-result">
      <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
        <Stack gap={0} miw={0}>
          <Text size="sm" fw={600} lineClamp={1}>
            {matchedName === result.caption ? (
              <HighlightedName name={result.caption} matched={matched} />
            ) : (
              result.caption
            )}
          </Text>
          {matchedName && matchedName !== result.caption ? (
            <Text size="xs" lineClamp={1}>
              <Text span size="xs" opacity={SECONDARY}>
                {t('search.matchedAs')}:{' '}
              </Text>
              <HighlightedName name={matchedName} matched={matched} size="xs" />
            </Text>
          ) : null}
          <Text size="xs" opacity={SECONDARY}>
            {schemaLabel(result.schema)}
            {birthDate ? ` · ${t('search.born', { date: birthDate })}` : ''}
          </Text>
        </Stack>
        <Badge variant="light" color="gray" radius="sm" title={t('search.score')} style={{ flexShrink: 0 }}>
          {percent(result.score)}
        </Badge>
      </Group>
    </Combobox.Option>
  );
}

function NameSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [debounced] = useDebouncedValue(value, DEBOUNCE_MS);
  const text = searchText(debounced);
  const typed = searchText(value);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const search = useQuery({
    queryKey: ['search', 'top-bar', text],
    queryFn: () => request<SearchResponse>('GET', searchRequestPath(text!)),
    enabled: text !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
  // Results for what is in the box now, not for an earlier text still on screen while the next one loads.
  const current = text !== null && text === typed && !search.isPlaceholderData ? search.data : undefined;
  const results = current?.results ?? [];
  const pending = typed !== null && (typed !== text || search.isFetching);

  // "/" anywhere outside a text field focuses the search, as in many web apps.
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (!isSearchShortcut({ ...pickKeys(event), target })) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // The best match is preselected when results arrive (not on every render, which would undo the arrows),
  // so Enter opens it; arrows move from there.
  const store = useRef(combobox);
  store.current = combobox;
  useEffect(() => {
    if (current && current.results.length > 0) store.current.selectFirstOption();
  }, [current]);

  const open = (target: string) => {
    combobox.closeDropdown();
    setValue('');
    inputRef.current?.blur();
    void navigate(target);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && !combobox.dropdownOpened && value) {
      setValue('');
      return;
    }
    // Enter with nothing selected (results not in yet): the screening page screens the name in full.
    if (event.key === 'Enter' && typed !== null && combobox.getSelectedOptionIndex() === -1) {
      event.preventDefault();
      open(optionTarget(SEE_ALL, value));
    }
  };

  let status: string | null = null;
  if (search.error && text === typed) status = describeError(search.error, t).message;
  else if (!current) status = t('search.searching');
  else if (results.length === 0) status = t('search.none');
  const errorCode = search.error && text === typed ? describeError(search.error, t).code : null;

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(option) => open(optionTarget(option, value))}
      position="bottom-start"
      width={460}
      shadow="md"
      withinPortal
    >
      <Combobox.Target withExpandedAttribute>
        <TextInput
          ref={inputRef}
          value={value}
          onChange={(event) => {
            const next = event.currentTarget.value;
            setValue(next);
            if (searchText(next)) combobox.openDropdown();
            else combobox.closeDropdown();
          }}
          onFocus={() => {
            if (typed) combobox.openDropdown();
          }}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          aria-keyshortcuts="/"
          autoComplete="off"
          spellCheck={false}
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            pending ? (
              <Loader size={14} aria-hidden />
            ) : (
              <Kbd size="xs" title={t('search.shortcut')} aria-hidden>
                /
              </Kbd>
            )
          }
          w={{ base: 160, xs: 240, md: 340 }}
          size="sm"
          data-testid="top-bar-search"
        />
      </Combobox.Target>
      <Combobox.Dropdown data-testid="top-bar-search-dropdown">
        <Combobox.Options aria-label={t('search.results')}>
          {status ? (
            <Combobox.Empty>
              <Text size="sm" c={errorCode ? 'red' : 'dimmed'} role={errorCode ? 'alert' : 'status'}>
                {status}
                {errorCode ? ` (${errorCode})` : ''}
              </Text>
            </Combobox.Empty>
          ) : null}
          {results.map((result) => (
            <ResultOption key={result.id} result={result} />
          ))}
          {typed ? (
            <Combobox.Option value={SEE_ALL} data-testid="top-bar-search-all">
              <Group gap={6} wrap="nowrap">
                <IconListSearch size={16} aria-hidden />
                <Text size="sm">{t('search.seeAll')}</Text>
              </Group>
            </Combobox.Option>
          ) : null}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

function pickKeys(event: globalThis.KeyboardEvent) {
  return { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey };
}
